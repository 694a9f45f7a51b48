/*
 * The monotonic clock (the TSC, counted from the guest's first instruction) and timed sleep
 * (the LAPIC timer, one-shot). No floating point: frequencies are integers in Hz and tick
 * counts become nanoseconds through a 32.32 fixed-point factor.
 *
 * Both frequencies come from the hypervisor's timing leaf (CPUID 0x40000010) when it has one.
 * Otherwise the TSC's comes from KVM's pvclock (kvmclock.c) or is timed against PIT channel 0,
 * and the LAPIC timer's is timed against the TSC: calibration_begin() starts the counters at
 * boot; the first clock read finishes the TSC's once CALIBRATION_TICKS of the PIT have passed,
 * the first sleep the LAPIC's once LAPIC_WINDOW_NS have. Boot work runs in between.
 */
#include "platform.h"
#include "platform_internal.h"

#define PIT_HZ 1193182u
#define PIT_CHANNEL0 0x40
#define PIT_COMMAND 0x43
#define CALIBRATION_TICKS 300u /* about 250 us: a 2 us read error stays under one percent */
#define LAPIC_WINDOW_NS 100000u
#define NS_PER_SECOND 1000000000ull
#define LONGEST_SLEEP_NS NS_PER_SECOND /* then wake and look again, in case an interrupt was lost */

extern uint64_t boot_tsc; /* boot.S: the TSC at the first instruction */

static uint64_t tsc_hz, lapic_hz;
static uint64_t ns_per_tick_32_32; /* nanoseconds per TSC tick, times 2^32 */
static uint64_t calibration_tsc, lapic_start_tsc;
static int calibrated, tsc_known, lapic_measured;

static int frequencies_from_hypervisor(void) {
    uint32_t r[4];
    cpuid(1, r);
    if ((r[2] & (1u << 31)) == 0) return 0; /* no hypervisor bit */
    cpuid(0x40000000, r);
    if (r[0] < 0x40000010) return 0;
    cpuid(0x40000010, r); /* EAX: TSC kHz, EBX: APIC bus kHz */
    if (r[0] == 0 || r[1] == 0) return 0;
    tsc_hz = (uint64_t)r[0] * 1000;
    lapic_hz = (uint64_t)r[1] * 1000;
    return 1;
}

void clock_calibration_begin(void) {
    if (frequencies_from_hypervisor()) {
        ns_per_tick_32_32 = (NS_PER_SECOND << 32) / tsc_hz;
        calibrated = 1;
        return;
    }
    /*
     * A port or MMIO access can take tens of microseconds where devices are emulated, so each
     * event is timed by the TSC midpoint of the access that makes it happen or reads it.
     */
    uint64_t before = read_tsc();
    lapic_timer_start(0xffffffffu, 0);
    uint64_t after = read_tsc();
    lapic_start_tsc = before + (after - before) / 2;
    if (kvmclock_tsc_hz(&tsc_hz)) {
        tsc_known = 1;
        return;
    }
    outb(PIT_COMMAND, 0x30); /* channel 0, low then high byte, mode 0, binary */
    outb(PIT_CHANNEL0, 0xff);
    before = read_tsc();
    outb(PIT_CHANNEL0, 0xff); /* counting starts with this write */
    after = read_tsc();
    calibration_tsc = before + (after - before) / 2;
}

#define PIT_ABSENT (-2)

/*
 * PIT ticks since calibration_begin, -1 once the counter has passed zero (over 55 ms), or
 * PIT_ABSENT when no PIT answers (`-M microvm,pit=off`: the port reads as all ones, a status
 * no PIT can have).
 * `*latched_tsc` is the TSC when the count was latched, the midpoint of the latching write.
 */
static int32_t pit_elapsed(uint64_t *latched_tsc) {
    uint64_t before = read_tsc();
    outb(PIT_COMMAND, 0xc2); /* read-back: latch status and count of channel 0 */
    uint64_t after = read_tsc();
    *latched_tsc = before + (after - before) / 2;
    uint8_t status = inb(PIT_CHANNEL0);
    if (status == 0xff) return PIT_ABSENT;
    uint8_t low = inb(PIT_CHANNEL0);
    uint8_t high = inb(PIT_CHANNEL0);
    if (status & 0x80) return -1; /* OUT is high: mode 0 reached terminal count */
    return (int32_t)(0xffffu - (((uint32_t)high << 8) | low));
}

/*
 * Without a PIT nor a timing leaf the frequencies are guessed: the processor's base frequency
 * (CPUID 0x16) for the TSC, and 1 GHz for the LAPIC timer, which is what QEMU and KVM emulate.
 * Times are then only as good as the guess, so the guest says so on its console.
 */
static void frequencies_guessed(void) {
    uint32_t r[4];
    cpuid(0, r);
    uint32_t mhz = 0;
    if (r[0] >= 0x16) {
        cpuid(0x16, r);
        mhz = r[0] & 0xffff;
    }
    tsc_hz = (mhz != 0 ? mhz : 2000) * 1000000ull;
    lapic_hz = NS_PER_SECOND;
    const char *note = "NOTE clock: no PIT to calibrate against; TSC and LAPIC frequencies guessed\n";
    while (*note != 0) serial_putc((uint8_t)*note++);
}

/* Times the TSC against the PIT; 0 when there is no PIT. */
static int tsc_from_pit(void) {
    uint64_t tsc;
    for (;;) {
        int32_t elapsed = pit_elapsed(&tsc);
        if (elapsed == PIT_ABSENT) return 0;
        if (elapsed < 0) {
            clock_calibration_begin(); /* too long ago to measure: start over and wait */
            continue;
        }
        if ((uint32_t)elapsed < CALIBRATION_TICKS) continue;
        /*
         * The emulated PIT sometimes answers late (the vCPU thread waits for QEMU's lock); of a
         * few readings, the one whose latching write was quickest pins the time best.
         */
        uint64_t best_window = ~0ull;
        for (int sample = 0; sample < 3; sample++) {
            uint64_t before = read_tsc(), latched;
            int32_t count = pit_elapsed(&latched);
            uint64_t window = read_tsc() - before;
            if (count >= 0 && window < best_window) {
                best_window = window;
                elapsed = count;
                tsc = latched;
            }
        }
        tsc_hz = (tsc - calibration_tsc) * PIT_HZ / (uint32_t)elapsed;
        return 1;
    }
}

/* Times the LAPIC timer, started by calibration_begin, against the now known TSC frequency. */
static void lapic_from_tsc(void) {
    uint64_t window = tsc_hz / (NS_PER_SECOND / LAPIC_WINDOW_NS);
    for (;;) {
        while (read_tsc() - lapic_start_tsc < window) {
        }
        uint64_t before = read_tsc();
        uint32_t current = lapic_timer_current();
        uint64_t after = read_tsc();
        if (current == 0) { /* it ran out (over 4 s at 1 GHz): start it again */
            lapic_timer_start(0xffffffffu, 0);
            lapic_start_tsc = read_tsc();
            continue;
        }
        uint64_t ticks = before + (after - before) / 2 - lapic_start_tsc;
        uint64_t ns = (uint64_t)(((unsigned __int128)ticks * ns_per_tick_32_32) >> 32);
        lapic_hz = (uint64_t)(0xffffffffu - current) * NS_PER_SECOND / ns; /* < 2^64: count < 2^32 */
        return;
    }
}

static void calibration_finish(void) {
    if (!tsc_known && !tsc_from_pit()) {
        frequencies_guessed();
        lapic_measured = 1;
    }
    ns_per_tick_32_32 = (NS_PER_SECOND << 32) / tsc_hz;
    calibrated = 1;
}

/*
 * The LAPIC frequency is needed only for the first sleep, which comes after the guest
 * announced readiness: measuring it then keeps its window out of the boot time.
 */
static void ensure_lapic_measured(void) {
    if (!calibrated) calibration_finish();
    if (lapic_measured) return;
    lapic_from_tsc();
    lapic_timer_start(0, 0);
    lapic_measured = 1;
}

uint64_t platform_now_ns(void) {
    if (!calibrated) calibration_finish();
    uint64_t ticks = read_tsc() - boot_tsc;
    return (uint64_t)(((unsigned __int128)ticks * ns_per_tick_32_32) >> 32);
}

uint64_t platform_tsc_hz(void) {
    if (!calibrated) calibration_finish();
    return tsc_hz;
}

uint64_t platform_lapic_timer_hz(void) {
    ensure_lapic_measured();
    return lapic_hz;
}

void platform_idle(uint64_t deadline_ns) {
    ensure_lapic_measured();
    uint64_t now = platform_now_ns();
    if (deadline_ns <= now) return;
    uint64_t delta = deadline_ns - now;
    if (delta > LONGEST_SLEEP_NS) delta = LONGEST_SLEEP_NS;
    uint64_t ticks = delta * lapic_hz / NS_PER_SECOND;
    if (ticks == 0) ticks = 1;
    if (ticks > 0xffffffffu) ticks = 0xffffffffu;
    lapic_timer_start((uint32_t)ticks, 1);
    /* sti takes effect after the next instruction, so a wakeup cannot slip in before hlt. */
    __asm__ volatile("sti; hlt; cli" : : : "memory");
    lapic_timer_start(0, 0);
}
