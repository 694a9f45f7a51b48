/*
 * The allocator behind Swift's arrays and classes: size classes a quarter power of two apart
 * (32, 40, 48, 56, 64, 80, ... bytes, so at most a quarter is wasted) with a free list each, carved from the heap linker.ld reserves in .noinit (up to the end of RAM, from the
 * PVH memory map). O(1) and fragment-free enough for
 * a server whose packets come and go in a handful of sizes. Memory is never returned to the
 * bump region, only reused within its class.
 *
 * Each block starts with a 16-byte header holding its class, so free() needs no size and the
 * payload keeps the 16-byte alignment Swift expects. Stricter alignments (virtqueue rings ask
 * for 4096) are served straight from the bump region and never freed: drivers make them once.
 */
#include "platform.h"

#define ENOMEM 12
#define EINVAL 22
#define HEADER 16
#define LARGEST_BLOCK ((size_t)1 << 24) /* 16 MiB */
#define CLASS_COUNT 84
#define NOT_FREEABLE 0xffu

extern uint8_t __heap_start[], __heap_end[];
static size_t heap_used;
static uint8_t *heap_end = __heap_end;
static void *free_lists[CLASS_COUNT];
static size_t blocks_in_use;

static void *bump(size_t size, size_t alignment, uint64_t class) {
    uintptr_t base = (uintptr_t)__heap_start;
    size_t capacity = (size_t)(heap_end - __heap_start);
    size_t start = ((base + heap_used + HEADER + alignment - 1) & ~(uintptr_t)(alignment - 1)) - base;
    if (start > capacity || size > capacity - start) return 0;
    heap_used = start + size;
    uint8_t *payload = __heap_start + start;
    *(uint64_t *)(payload - HEADER) = class;
    return payload;
}

/* The class for a block of `total` bytes (header included) and that class's block size. */
static unsigned class_for(size_t total, size_t *block_size) {
    if (total <= 32) {
        *block_size = 32;
        return 0;
    }
    unsigned exponent = 63 - (unsigned)__builtin_clzll(total); /* 2^e <= total < 2^(e+1), e >= 5 */
    size_t step = (size_t)1 << (exponent - 2);
    size_t quarters = (total + step - 1) / step; /* 4 to 8 */
    if (quarters == 8) {
        exponent++;
        quarters = 4;
        step <<= 1;
    }
    *block_size = quarters * step;
    return (exponent - 5) * 4 + (unsigned)(quarters - 4) + 1;
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    if (alignment == 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    void *payload;
    if (alignment > HEADER) {
        payload = bump(size == 0 ? 1 : size, alignment, NOT_FREEABLE);
    } else {
        if (size > LARGEST_BLOCK - HEADER) return ENOMEM;
        size_t block_size;
        unsigned class = class_for(size + HEADER, &block_size);
        payload = free_lists[class];
        if (payload != 0) {
            free_lists[class] = *(void **)payload;
        } else {
            payload = bump(block_size - HEADER, HEADER, class);
        }
    }
    if (payload == 0) return ENOMEM;
    blocks_in_use++;
    *result = payload;
    return 0;
}

void free(void *pointer) {
    if (pointer == 0) return;
    uint64_t class = *(uint64_t *)((uint8_t *)pointer - HEADER);
    blocks_in_use--;
    if (class == NOT_FREEABLE) return;
    *(void **)pointer = free_lists[class];
    free_lists[class] = pointer;
}

void heap_limit_to(uint64_t end) {
    if (end > (uint64_t)(uintptr_t)__heap_start && end < (uint64_t)(uintptr_t)__heap_end) heap_end = (uint8_t *)(uintptr_t)end;
}

size_t platform_heap_used(void) { return heap_used; }
size_t platform_heap_capacity(void) { return (size_t)(heap_end - __heap_start); }
size_t platform_heap_blocks_in_use(void) { return blocks_in_use; }
