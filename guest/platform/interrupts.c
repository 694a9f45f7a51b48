/*
 * Interrupts: the IDT, exception reports, and the routing of device and timer interrupts.
 *
 * Interrupts here only wake the CPU. Guest code runs with interrupts off and enables them
 * solely inside platform_idle() (`sti; hlt`), so handlers never race with the Swift code: a
 * handler acknowledges its source and returns, and the main loop then polls every ring and
 * timer. That keeps all protocol state out of interrupt context.
 */
#include "platform.h"
#include "platform_internal.h"

/* The frame interrupt_stubs.S builds: saved registers, then vector and error code, then the CPU's. */
struct interrupt_frame {
    uint64_t r11, r10, r9, r8, rdi, rsi, rdx, rcx, rax;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss;
};

struct idt_entry {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attributes;
    uint16_t offset_middle;
    uint32_t offset_high;
    uint32_t reserved;
};
_Static_assert(sizeof(struct idt_entry) == 16, "long-mode IDT entry");

#define IDT_INTERRUPT_GATE 0x8e /* present, ring 0, 64-bit interrupt gate: IF cleared on entry */
#define CODE_SELECTOR 0x08      /* boot.S's GDT */
#define STUB_COUNT 48           /* interrupt_stubs.S: vectors 0-47, then vector 255 */

extern const uint64_t interrupt_stubs[STUB_COUNT + 1];
static struct idt_entry idt[256];

/* The virtio-mmio device whose interrupt is routed to VECTOR_DEVICE, acknowledged on entry. */
static volatile uint32_t *device_interrupt_status;

static void set_gate(unsigned vector, uint64_t handler) {
    idt[vector] = (struct idt_entry){
        .offset_low = (uint16_t)handler,
        .selector = CODE_SELECTOR,
        .type_attributes = IDT_INTERRUPT_GATE,
        .offset_middle = (uint16_t)(handler >> 16),
        .offset_high = (uint32_t)(handler >> 32),
    };
}

static void mask_legacy_pic(void) {
    /*
     * QEMU resets the 8259s unmasked with the PIT ticking on IRQ0, and wires them to the
     * LAPIC's LINT0 as ExtINT: left alone they would deliver vector 8 (#DF) at the first sti.
     */
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
}

void interrupts_init(void) {
    for (unsigned vector = 0; vector < STUB_COUNT; vector++) set_gate(vector, interrupt_stubs[vector]);
    set_gate(VECTOR_SPURIOUS, interrupt_stubs[STUB_COUNT]);
    struct __attribute__((packed)) {
        uint16_t limit;
        uint64_t base;
    } pointer = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};
    __asm__ volatile("lidt %0" : : "m"(pointer) : "memory");
    mask_legacy_pic();
    lapic_init();
}

static void write_hex(uint64_t value) {
    static const char digits[] = "0123456789abcdef";
    serial_putc('0');
    serial_putc('x');
    for (int shift = 60; shift >= 0; shift -= 4) serial_putc((uint8_t)digits[(value >> shift) & 15]);
}

static void write_text(const char *text) {
    while (*text != 0) serial_putc((uint8_t)*text++);
}

static void report_exception(const struct interrupt_frame *frame) __attribute__((noreturn));
static void report_exception(const struct interrupt_frame *frame) {
    uint64_t cr2;
    __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
    write_text("\nFAILED exception vector=");
    write_hex(frame->vector);
    write_text(" rip=");
    write_hex(frame->rip);
    write_text(" error=");
    write_hex(frame->error_code);
    write_text(" cr2=");
    write_hex(cr2);
    write_text(" rsp=");
    write_hex(frame->rsp);
    write_text("\n");
    platform_halt();
}

void interrupt_dispatch(struct interrupt_frame *frame);
void interrupt_dispatch(struct interrupt_frame *frame) {
    uint64_t vector = frame->vector;
    if (vector < 32) report_exception(frame);
    if (vector == VECTOR_SPURIOUS) return; /* no EOI for spurious interrupts */
    if (vector == VECTOR_DEVICE && device_interrupt_status != 0) {
        /* Level-triggered: the line stays up until the device's status is acknowledged. */
        uint32_t status = device_interrupt_status[0];
        device_interrupt_status[1] = status; /* InterruptACK follows InterruptStatus */
    }
    lapic_end_of_interrupt();
}

void platform_route_device_interrupt(uint32_t gsi, uint64_t interrupt_status_address) {
    device_interrupt_status = (volatile uint32_t *)(uintptr_t)interrupt_status_address;
    ioapic_route(gsi, VECTOR_DEVICE);
}
