/// virtio-mmio registers of a device at `base`, through the platform's volatile accessors.
/// The barrier before each access keeps ring writes ahead of the doorbell that publishes them.
struct GuestMMIOTransport: VirtioMMIOTransport {
    let base: UInt64

    func read32(_ offset: Int) -> UInt32 {
        compiler_barrier()
        return mmio_read32(base + UInt64(offset))
    }

    func write32(_ offset: Int, _ value: UInt32) {
        compiler_barrier()
        mmio_write32(base + UInt64(offset), value)
    }

    func fullMemoryBarrier() { memory_fence() }

    func read8(_ offset: Int) -> UInt8 {
        compiler_barrier()
        return mmio_read8(base + UInt64(offset))
    }
}
