/*
 * Declarations shared by the platform's C files and not meant for Swift (platform.h is).
 */
#ifndef GUEST_PLATFORM_INTERNAL_H
#define GUEST_PLATFORM_INTERNAL_H

#include <stdint.h>

/* The vectors the platform uses; 0-31 are the CPU's exceptions. */
#define VECTOR_TIMER 32    /* LAPIC timer, one-shot */
#define VECTOR_DEVICE 33   /* the network device, through the IOAPIC */
#define VECTOR_SPURIOUS 255

/* interrupts.c */
void interrupts_init(void);

/* apic.c */
void lapic_init(void);
void lapic_end_of_interrupt(void);
/* Starts the LAPIC timer counting down from `count` (divide by 1); 0 stops it. */
void lapic_timer_start(uint32_t count, int interrupt);
uint32_t lapic_timer_current(void);
void ioapic_route(uint32_t gsi, uint8_t vector);

/* heap.c: ends the heap at `end` (the end of RAM) when that is below the linker's bound; 0 keeps it. */
void heap_limit_to(uint64_t end);

/* kvmclock.c: the TSC frequency from KVM's pvclock; 0 when not under KVM. */
int kvmclock_tsc_hz(uint64_t *hz);

/* clock.c */
void clock_calibration_begin(void);

static inline __attribute__((always_inline)) uint64_t read_tsc(void) {
    uint32_t low, high;
    __asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
    return ((uint64_t)high << 32) | low;
}

static inline __attribute__((always_inline)) void cpuid(uint32_t leaf, uint32_t out[4]) {
    __asm__ volatile("cpuid" : "=a"(out[0]), "=b"(out[1]), "=c"(out[2]), "=d"(out[3]) : "a"(leaf), "c"(0));
}

#endif
