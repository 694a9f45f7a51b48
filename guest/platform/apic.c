/*
 * The local APIC (timer, end of interrupt) and the I/O APICs (device lines) of QEMU's
 * microvm. Both are memory-mapped in the uncached window boot.S maps at 3-4 GiB.
 */
#include "platform.h"
#include "platform_internal.h"

#define LAPIC_BASE 0xfee00000u
#define LAPIC_EOI 0xb0
#define LAPIC_SPURIOUS 0xf0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE 0x3e0
#define LAPIC_ENABLE (1u << 8)
#define LVT_MASKED (1u << 16)
#define TIMER_DIVIDE_BY_1 0xb

/*
 * microvm's first I/O APIC serves GSIs 0-23; with ACPI on, QEMU 7.2 adds a second one for the
 * virtio-mmio transports, GSIs 24-47.
 */
#define IOAPIC0_BASE 0xfec00000u
#define IOAPIC1_BASE 0xfec10000u
#define IOAPIC_PINS 24
#define IOAPIC_REDIRECTION(pin) (0x10 + 2 * (pin))
#define REDIRECTION_LEVEL (1u << 15)

static inline uint32_t lapic_read(uint32_t reg) {
    return *(volatile uint32_t *)(uintptr_t)(LAPIC_BASE + reg);
}

static inline void lapic_write(uint32_t reg, uint32_t value) {
    *(volatile uint32_t *)(uintptr_t)(LAPIC_BASE + reg) = value;
}

void lapic_init(void) {
    lapic_write(LAPIC_SPURIOUS, LAPIC_ENABLE | VECTOR_SPURIOUS);
    lapic_write(LAPIC_LVT_LINT0, LVT_MASKED); /* the 8259s' ExtINT path (see interrupts.c) */
    lapic_write(LAPIC_LVT_LINT1, LVT_MASKED);
    lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_BY_1);
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VECTOR_TIMER);
}

void lapic_end_of_interrupt(void) { lapic_write(LAPIC_EOI, 0); }

void lapic_timer_start(uint32_t count, int interrupt) {
    lapic_write(LAPIC_LVT_TIMER, (interrupt ? 0 : LVT_MASKED) | VECTOR_TIMER); /* one-shot */
    lapic_write(LAPIC_TIMER_INITIAL, count);
}

uint32_t lapic_timer_current(void) { return lapic_read(LAPIC_TIMER_CURRENT); }

static void ioapic_write(uint32_t base, uint32_t reg, uint32_t value) {
    *(volatile uint32_t *)(uintptr_t)base = reg;
    *(volatile uint32_t *)(uintptr_t)(base + 0x10) = value;
}

void ioapic_route(uint32_t gsi, uint8_t vector) {
    uint32_t base = gsi < IOAPIC_PINS ? IOAPIC0_BASE : IOAPIC1_BASE;
    uint32_t pin = gsi % IOAPIC_PINS;
    /* virtio-mmio raises a level, active high; destination: this CPU (APIC id 0), fixed. */
    ioapic_write(base, IOAPIC_REDIRECTION(pin) + 1, 0);
    ioapic_write(base, IOAPIC_REDIRECTION(pin), REDIRECTION_LEVEL | vector);
}

int platform_has_second_ioapic(void) {
    /* An absent device reads as all ones; an I/O APIC's version register never does. */
    *(volatile uint32_t *)(uintptr_t)IOAPIC1_BASE = 1;
    uint32_t version = *(volatile uint32_t *)(uintptr_t)(IOAPIC1_BASE + 0x10);
    return version != 0xffffffffu && version != 0;
}
