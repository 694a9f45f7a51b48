/*
 * The TSC frequency from KVM's paravirtual clock (Documentation/virt/kvm/x86/msr.rst): the
 * hypervisor fills a pvclock record with the factor that turns TSC ticks into nanoseconds, so
 * the guest knows the frequency at once instead of timing the TSC against the PIT.
 */
#include "platform.h"
#include "platform_internal.h"

#define KVM_CPUID_SIGNATURE 0x40000000
#define KVM_CPUID_FEATURES 0x40000001
#define KVM_FEATURE_CLOCKSOURCE2 (1u << 3)
#define MSR_KVM_SYSTEM_TIME_NEW 0x4b564d01

struct pvclock_vcpu_time_info {
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time;
    uint32_t tsc_to_system_mul;
    int8_t tsc_shift;
    uint8_t flags;
    uint8_t pad[2];
} __attribute__((aligned(32)));

static volatile struct pvclock_vcpu_time_info pvclock;

static void write_msr(uint32_t msr, uint64_t value) {
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)) : "memory");
}

int kvmclock_tsc_hz(uint64_t *hz) {
    uint32_t r[4];
    cpuid(1, r);
    if ((r[2] & (1u << 31)) == 0) return 0; /* no hypervisor */
    cpuid(KVM_CPUID_SIGNATURE, r);
    /* "KVMKVMKVM\0\0\0" in EBX, ECX, EDX */
    if (r[1] != 0x4b4d564b || r[2] != 0x564b4d56 || r[3] != 0x4d || r[0] < KVM_CPUID_FEATURES) return 0;
    cpuid(KVM_CPUID_FEATURES, r);
    if ((r[0] & KVM_FEATURE_CLOCKSOURCE2) == 0) return 0;
    write_msr(MSR_KVM_SYSTEM_TIME_NEW, (uint64_t)(uintptr_t)&pvclock | 1);
    uint32_t mul;
    int8_t shift;
    uint32_t version;
    do { /* an odd version means the hypervisor is midway through an update */
        version = pvclock.version;
        compiler_barrier();
        mul = pvclock.tsc_to_system_mul;
        shift = pvclock.tsc_shift;
        compiler_barrier();
    } while ((version & 1) != 0 || version != pvclock.version);
    write_msr(MSR_KVM_SYSTEM_TIME_NEW, 0); /* stop the updates: the record was needed once */
    if (mul == 0) return 0;
    /* ns = ((ticks << shift) * mul) >> 32, so Hz = 10^9 * 2^32 / mul / 2^shift. */
    uint64_t base = (1000000000ull << 32) / mul;
    *hz = shift >= 0 ? base >> shift : base << -shift;
    return 1;
}
