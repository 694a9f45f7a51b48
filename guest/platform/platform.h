/*
 * The guest platform as Swift sees it (the bridging header): port I/O, the COM1 console, the
 * kernel command line, and halting. Implemented here (inline) and in runtime.c; boot.S gets
 * the machine into 64-bit mode and calls platform_start() there, which calls guest_main().
 */
#ifndef GUEST_PLATFORM_H
#define GUEST_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

/*
 * Port I/O. The "memory" clobber is a compiler barrier: device accesses stay in program order
 * relative to ordinary loads and stores (e.g. a buffer filled before a doorbell write).
 */
static inline __attribute__((always_inline)) void outb(uint16_t port, uint8_t value) {
    __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port) : "memory");
}

static inline __attribute__((always_inline)) uint8_t inb(uint16_t port) {
    uint8_t value;
    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port) : "memory");
    return value;
}

/* COM1, a 16550 UART. */
#define SERIAL_COM1 0x3f8
#define SERIAL_LSR (SERIAL_COM1 + 5)
#define SERIAL_LSR_THR_EMPTY 0x20

/*
 * Writes one byte to COM1, waiting until the transmit register is free. Bytes go out as
 * given: no "\n" to "\r\n" translation, so the host sees exactly what the guest printed.
 */
static inline __attribute__((always_inline)) void serial_putc(uint8_t byte) {
    while ((inb(SERIAL_LSR) & SERIAL_LSR_THR_EMPTY) == 0) {
    }
    outb(SERIAL_COM1, byte);
}

/* Writes `count` bytes to COM1. */
void serial_write(const uint8_t *_Nonnull bytes, size_t count);

/* The kernel command line from the PVH start_info, NUL-terminated; "" when there is none. */
const char *_Nonnull platform_cmdline(void);

/* Stops this CPU for good: interrupts off, then hlt forever. */
void platform_halt(void) __attribute__((noreturn));

#endif
