/*
 * The guest platform as Swift sees it (the bridging header): port and memory-mapped I/O, the
 * COM1 console, the kernel command line, the clock, interrupts and idling, halting.
 * Implemented here (inline) and in runtime.c, interrupts.c, apic.c, clock.c and heap.c;
 * boot.S gets the machine into 64-bit mode and calls platform_start() there, which sets up
 * interrupts and the clock and calls guest_main() with interrupts off.
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

/*
 * Memory-mapped device registers (virtio-mmio). Volatile, so every access happens, in order;
 * x86 keeps uncached accesses in program order, so no fence is needed beyond the compiler's.
 */
static inline __attribute__((always_inline)) uint32_t mmio_read32(uint64_t address) {
    return *(volatile uint32_t *)(uintptr_t)address;
}

static inline __attribute__((always_inline)) void mmio_write32(uint64_t address, uint32_t value) {
    *(volatile uint32_t *)(uintptr_t)address = value;
}

static inline __attribute__((always_inline)) uint8_t mmio_read8(uint64_t address) {
    return *(volatile uint8_t *)(uintptr_t)address;
}

/* Keeps the compiler from moving memory accesses across this point (ring memory vs. doorbell). */
static inline __attribute__((always_inline)) void compiler_barrier(void) {
    __asm__ volatile("" : : : "memory");
}

/*
 * A full barrier: no later load passes an earlier store, for the CPU as well as the compiler.
 * A locked add rather than mfence, which is an SSE2 instruction (the guest uses none).
 */
static inline __attribute__((always_inline)) void memory_fence(void) {
    __asm__ volatile("lock; addl $0, (%%rsp)" : : : "memory", "cc");
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

/* Nanoseconds since the guest's first instruction (the TSC, calibrated at boot). */
uint64_t platform_now_ns(void);

/* The calibrated TSC and LAPIC timer frequencies, in Hz. */
uint64_t platform_tsc_hz(void);
uint64_t platform_lapic_timer_hz(void);

/*
 * Sleeps until an interrupt arrives or platform_now_ns() reaches `deadline_ns` (UINT64_MAX:
 * no deadline), at most one second. Guest code runs with interrupts off; this is the only
 * place they are enabled (`sti; hlt`), so an interrupt between the caller's last look at its
 * rings and the hlt still wakes it.
 */
void platform_idle(uint64_t deadline_ns);

/*
 * Routes global system interrupt `gsi` (level-triggered, active high) to this CPU. On entry the
 * handler reads the 32-bit register at `interrupt_status_address` and writes the value to the
 * next register (virtio-mmio's InterruptStatus and InterruptACK) to lower the line.
 */
void platform_route_device_interrupt(uint32_t gsi, uint64_t interrupt_status_address);

/* True when microvm's second I/O APIC (GSIs 24-47, QEMU 7.2 with ACPI) is present. */
int platform_has_second_ioapic(void);

/* Heap statistics (heap.c): bytes taken from the heap region, its size, live allocations. */
size_t platform_heap_used(void);
size_t platform_heap_capacity(void);
size_t platform_heap_blocks_in_use(void);

/* Stops this CPU for good: interrupts off, then hlt forever. */
void platform_halt(void) __attribute__((noreturn));

/* Ends the machine: a triple fault (an exception with an empty IDT) resets it, and the domain's
 * <on_reboot>destroy</on_reboot> turns the reset into the end of the domain. microvm has no ACPI
 * power button the guest could use without an ACPI interpreter. */
void platform_power_off(void) __attribute__((noreturn));

#endif
