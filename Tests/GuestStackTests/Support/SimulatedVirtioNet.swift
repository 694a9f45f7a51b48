#if canImport(Glibc)
import Glibc
#endif

@testable import GuestStack

/// Memory below 4 GiB (MAP_32BIT), as a legacy virtio device's 32-bit page numbers require.
func lowMemory(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer {
    let pointer = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0)!
    precondition(pointer != MAP_FAILED && UInt(bitPattern: pointer) % UInt(alignment) == 0)
    return pointer
}

/// A virtio-net device in memory, speaking the virtio-mmio registers (legacy or modern) and
/// reading and writing the driver's rings through the addresses it was given, as QEMU would.
final class SimulatedVirtioNet: VirtioMMIOTransport {
    struct Queue {
        var size = 0
        var descriptors: UInt64 = 0
        var available: UInt64 = 0
        var used: UInt64 = 0
        var lastAvailable: UInt16 = 0
        var usedIndex: UInt16 = 0
    }

    let version: UInt32
    let mac: [UInt8] = [0x52, 0x54, 0x00, 0x88, 0x00, 0x0a]
    var queueSizeMax: UInt32 = 256
    var status: UInt32 = 0
    var queues = [Queue(), Queue()]
    var selected = 0
    var featuresSelect: UInt32 = 0
    var driverFeatures: [UInt32] = [0, 0]
    var driverFeaturesSelect: UInt32 = 0
    var pageSize: UInt32 = 0
    var interruptStatus: UInt32 = 0
    var notifications: [UInt32] = []
    /// Frames the driver sent, headers stripped.
    var transmitted: [[UInt8]] = []

    init(version: UInt32) { self.version = version }

    var headerLength: Int { version == 1 ? 10 : 12 }

    func read32(_ offset: Int) -> UInt32 {
        typealias R = VirtioMMIORegister
        switch offset {
        case R.magicValue: return R.magic
        case R.version: return version
        case R.deviceID: return 1
        case R.deviceFeatures:
            if featuresSelect == 0 { return 1 << 5 | 1 << 16 }
            return version == 2 ? 1 : 0
        case R.queueSizeMax: return selected < 2 ? queueSizeMax : 0
        case R.status: return status
        case R.interruptStatus: return interruptStatus
        default: return 0
        }
    }

    func write32(_ offset: Int, _ value: UInt32) {
        typealias R = VirtioMMIORegister
        switch offset {
        case R.deviceFeaturesSelect: featuresSelect = value
        case R.driverFeaturesSelect: driverFeaturesSelect = value
        case R.driverFeatures: driverFeatures[Int(driverFeaturesSelect)] = value
        case R.legacyGuestPageSize: pageSize = value
        case R.queueSelect: selected = Int(value)
        case R.queueSize: queues[selected].size = Int(value)
        case R.legacyQueuePFN:
            let base = UInt64(value) * UInt64(pageSize)
            let size = queues[selected].size
            queues[selected].descriptors = base
            queues[selected].available = base + UInt64(16 * size)
            queues[selected].used = (base + UInt64(16 * size + 6 + 2 * size) + 4095) / 4096 * 4096
        case R.queueDescriptorLow: queues[selected].descriptors = queues[selected].descriptors & ~0xffff_ffff | UInt64(value)
        case R.queueDescriptorHigh: queues[selected].descriptors = queues[selected].descriptors & 0xffff_ffff | UInt64(value) << 32
        case R.queueDriverLow: queues[selected].available = queues[selected].available & ~0xffff_ffff | UInt64(value)
        case R.queueDriverHigh: queues[selected].available = queues[selected].available & 0xffff_ffff | UInt64(value) << 32
        case R.queueDeviceLow: queues[selected].used = queues[selected].used & ~0xffff_ffff | UInt64(value)
        case R.queueDeviceHigh: queues[selected].used = queues[selected].used & 0xffff_ffff | UInt64(value) << 32
        case R.queueNotify:
            notifications.append(value)
            if value == 1 { drainTransmitQueue() }
        case R.interruptACK: interruptStatus &= ~value
        case R.status: status = value
        default: break
        }
    }

    func fullMemoryBarrier() {}  // the simulated device runs on the driver's thread

    func read8(_ offset: Int) -> UInt8 {
        let index = offset - VirtioMMIORegister.config
        return index >= 0 && index < 6 ? mac[index] : 0
    }

    static func pointer(_ address: UInt64) -> UnsafeMutableRawPointer { UnsafeMutableRawPointer(bitPattern: UInt(address))! }

    /// The next available descriptor of a queue: (index, buffer address, length), or nil.
    func nextAvailable(_ queue: Int) -> (UInt32, UInt64, UInt32)? {
        let q = queues[queue]
        let available = Self.pointer(q.available)
        let index = UInt16(littleEndian: available.load(fromByteOffset: 2, as: UInt16.self))
        guard index != q.lastAvailable else { return nil }
        let head = available.load(fromByteOffset: 4 + 2 * Int(q.lastAvailable % UInt16(q.size)), as: UInt16.self)
        queues[queue].lastAvailable &+= 1
        let descriptor = Self.pointer(q.descriptors) + 16 * Int(head)
        return (UInt32(head), descriptor.load(as: UInt64.self), descriptor.load(fromByteOffset: 8, as: UInt32.self))
    }

    func complete(_ queue: Int, descriptor: UInt32, length: UInt32) {
        let q = queues[queue]
        let used = Self.pointer(q.used)
        let slot = 4 + 8 * Int(q.usedIndex % UInt16(q.size))
        used.storeBytes(of: descriptor, toByteOffset: slot, as: UInt32.self)
        used.storeBytes(of: length, toByteOffset: slot + 4, as: UInt32.self)
        queues[queue].usedIndex &+= 1
        used.storeBytes(of: queues[queue].usedIndex, toByteOffset: 2, as: UInt16.self)
        interruptStatus |= 1
    }

    /// Sets the used ring's flags word, as a device does to ask for no notifications.
    func setUsedFlags(queue: Int, _ flags: UInt16) {
        Self.pointer(queues[queue].used).storeBytes(of: flags, as: UInt16.self)
    }

    /// Puts a frame into the next receive buffer; false when the driver offered none.
    @discardableResult
    func deliver(_ frame: [UInt8]) -> Bool {
        guard let (descriptor, address, length) = nextAvailable(0) else { return false }
        precondition(Int(length) >= headerLength + frame.count)
        let buffer = Self.pointer(address)
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: headerLength)
        frame.withUnsafeBytes { (buffer + headerLength).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        complete(0, descriptor: descriptor, length: UInt32(headerLength + frame.count))
        return true
    }

    /// Like QEMU on a notify: takes every offered transmit buffer and completes it.
    var holdTransmissions = false
    func drainTransmitQueue() {
        guard !holdTransmissions else { return }
        while let (descriptor, address, length) = nextAvailable(1) {
            let bytes = UnsafeRawBufferPointer(start: Self.pointer(address), count: Int(length))
            transmitted.append(Array(bytes[headerLength...]))
            complete(1, descriptor: descriptor, length: 0)
        }
    }
}
