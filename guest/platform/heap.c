/*
 * The allocator behind Swift's arrays and classes: power-of-two size classes with a free list
 * each, carved from the heap linker.ld reserves in .noinit. O(1) and fragment-free enough for
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
#define SMALLEST_CLASS 5 /* 32 bytes: a header and 16 bytes of payload */
#define LARGEST_CLASS 24 /* 16 MiB */
#define NOT_FREEABLE 0xffu

extern uint8_t __heap_start[], __heap_end[];
static size_t heap_used;
static void *free_lists[LARGEST_CLASS + 1];
static size_t blocks_in_use;

static void *bump(size_t size, size_t alignment, uint64_t class) {
    uintptr_t base = (uintptr_t)__heap_start;
    size_t capacity = (size_t)(__heap_end - __heap_start);
    size_t start = ((base + heap_used + HEADER + alignment - 1) & ~(uintptr_t)(alignment - 1)) - base;
    if (start > capacity || size > capacity - start) return 0;
    heap_used = start + size;
    uint8_t *payload = __heap_start + start;
    *(uint64_t *)(payload - HEADER) = class;
    return payload;
}

static unsigned class_for(size_t size) {
    unsigned class = SMALLEST_CLASS;
    while (class <= LARGEST_CLASS && ((size_t)1 << class) < size + HEADER) class++;
    return class;
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    if (alignment == 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    void *payload;
    if (alignment > HEADER) {
        payload = bump(size == 0 ? 1 : size, alignment, NOT_FREEABLE);
    } else {
        unsigned class = class_for(size);
        if (class > LARGEST_CLASS) return ENOMEM;
        payload = free_lists[class];
        if (payload != 0) {
            free_lists[class] = *(void **)payload;
        } else {
            payload = bump(((size_t)1 << class) - HEADER, HEADER, class);
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

size_t platform_heap_used(void) { return heap_used; }
size_t platform_heap_blocks_in_use(void) { return blocks_in_use; }
