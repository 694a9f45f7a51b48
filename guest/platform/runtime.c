/*
 * The C half of the guest platform: the entry from boot.S, the COM1 console, and the few libc
 * symbols the Embedded Swift standard library calls. There is no libc in the guest.
 */
#include "platform.h"

#include "platform_internal.h"

/* ---- Entry ---------------------------------------------------------------------------- */

/* The head of the PVH start_info block (xen/include/public/arch-x86/hvm/start_info.h). */
struct hvm_start_info {
    uint32_t magic;
    uint32_t version;
    uint32_t flags;
    uint32_t nr_modules;
    uint64_t modlist_paddr;
    uint64_t cmdline_paddr;
    uint64_t rsdp_paddr;
    /* Version 1 and later. */
    uint64_t memmap_paddr;
    uint32_t memmap_entries;
    uint32_t reserved;
};
_Static_assert(__builtin_offsetof(struct hvm_start_info, cmdline_paddr) == 24, "PVH ABI");
_Static_assert(__builtin_offsetof(struct hvm_start_info, memmap_paddr) == 40, "PVH ABI");

/* An E820-style memory map entry (hvm_memmap_table_entry). */
struct hvm_memmap_entry {
    uint64_t address;
    uint64_t size;
    uint32_t type;
    uint32_t reserved;
};
#define MEMMAP_RAM 1

/*
 * The end of the RAM region holding `address`, from the PVH memory map; 0 when there is no
 * map (version 0) or no region holds it.
 */
static uint64_t ram_end_containing(const struct hvm_start_info *info, uint64_t address) {
    if (info->version < 1 || info->memmap_paddr == 0) return 0;
    const struct hvm_memmap_entry *map = (const struct hvm_memmap_entry *)(uintptr_t)info->memmap_paddr;
    for (uint32_t i = 0; i < info->memmap_entries; i++) {
        if (map[i].type == MEMMAP_RAM && map[i].address <= address && address < map[i].address + map[i].size) {
            return map[i].address + map[i].size;
        }
    }
    return 0;
}

#define PVH_START_MAGIC 0x336ec578

extern uint8_t __heap_start[];

/* The Swift entry, apps/<app>/main.swift. */
extern void guest_main(void);

static const char *cmdline = "";

static void serial_init(void) {
    outb(SERIAL_COM1 + 1, 0x00); /* no UART interrupts: the guest polls */
    outb(SERIAL_COM1 + 3, 0x80); /* DLAB on, to reach the divisor latch */
    outb(SERIAL_COM1 + 0, 0x01); /* divisor 1: 115200 baud */
    outb(SERIAL_COM1 + 1, 0x00);
    outb(SERIAL_COM1 + 3, 0x03); /* 8N1, DLAB off */
    outb(SERIAL_COM1 + 2, 0x07); /* FIFOs on and cleared */
    outb(SERIAL_COM1 + 4, 0x03); /* DTR and RTS */
}

static void serial_puts(const char *text) {
    while (*text != 0) serial_putc((uint8_t)*text++);
}

/* Called by boot.S in 64-bit mode, on the boot stack, with the start_info address. */
void platform_start(const struct hvm_start_info *info) __attribute__((noreturn));
void platform_start(const struct hvm_start_info *info) {
    serial_init();
    interrupts_init();
    clock_calibration_begin();
    if (info->magic != PVH_START_MAGIC) {
        /* Not entered through PVH: nothing describes the machine, so give up loudly. */
        serial_puts("FAILED boot: no PVH start_info\n");
        platform_halt();
    }
    /* QEMU puts the command line in low memory, inside the identity map boot.S sets up. */
    if (info->cmdline_paddr != 0) cmdline = (const char *)(uintptr_t)info->cmdline_paddr;
    /* Without a memory map, assume only what every configuration here has: 16 MiB of heap. */
    uint64_t ram_end = ram_end_containing(info, (uint64_t)(uintptr_t)__heap_start);
    heap_limit_to(ram_end != 0 ? ram_end : (uint64_t)(uintptr_t)__heap_start + (16u << 20));
    guest_main();
    platform_halt();
}

const char *platform_cmdline(void) { return cmdline; }

void platform_halt(void) {
    for (;;) __asm__ volatile("cli; hlt");
}

void platform_power_off(void) {
    static const struct __attribute__((packed)) {
        uint16_t limit;
        uint64_t base;
    } empty_idt = {0, 0};
    __asm__ volatile("cli; lidt %0; int3" : : "m"(empty_idt) : "memory");
    platform_halt(); /* not reached: the machine resets */
}

void serial_write(const uint8_t *bytes, size_t count) {
    for (size_t i = 0; i < count; i++) serial_putc(bytes[i]);
}

/* ---- Memory (the allocator is in heap.c) ------------------------------------------- */

/*
 * The compiler may turn loops into calls to these very functions; -ffreestanding keeps it
 * from doing so inside them (it implies -fno-builtin).
 */
/* `rep` string instructions: one instruction per call, fast even where ring 0 is emulated. */
void *memset(void *destination, int value, size_t count) {
    void *d = destination;
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(count) : "a"(value) : "memory");
    return destination;
}

void *memcpy(void *restrict destination, const void *restrict source, size_t count) {
    void *d = destination;
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(source), "+c"(count) : : "memory");
    return destination;
}

void *memmove(void *destination, const void *source, size_t count) {
    uint8_t *d = destination;
    const uint8_t *s = source;
    if (d < s) {
        for (size_t i = 0; i < count; i++) d[i] = s[i];
    } else {
        for (size_t i = count; i > 0; i--) d[i - 1] = s[i - 1];
    }
    return destination;
}

int memcmp(const void *a, const void *b, size_t count) {
    const uint8_t *x = a, *y = b;
    for (size_t i = 0; i < count; i++) {
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

size_t strlen(const char *text) {
    size_t length = 0;
    while (text[length] != 0) length++;
    return length;
}

/* ---- Output and randomness ------------------------------------------------------------ */

/* Embedded Swift's print() and its fatal-error messages end up here. */
int putchar(int c) {
    serial_putc((uint8_t)c);
    return (uint8_t)c;
}

/*
 * Seeds Swift's hashing and SystemRandomNumberGenerator. xorshift64* seeded from the time
 * stamp counter: NOT cryptographic, and predictable to anyone who can guess the boot time.
 */
void arc4random_buf(void *buffer, size_t count) {
    static uint64_t state;
    if (state == 0) {
        uint32_t low, high;
        __asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
        state = (((uint64_t)high << 32) | low) | 1; /* xorshift must not start at 0 */
    }
    uint8_t *out = buffer;
    for (size_t i = 0; i < count; i++) {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        out[i] = (uint8_t)((state * 0x2545f4914f6cdd1dull) >> 56);
    }
}
