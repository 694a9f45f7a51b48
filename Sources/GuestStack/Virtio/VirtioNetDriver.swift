/// A virtio-net driver over virtio-mmio, legacy (version 1, QEMU 7.2's microvm) and modern
/// (version 2) layouts, one receive and one transmit split virtqueue.
///
/// Receive buffers are kept offered to the device: each one taken is copied out and offered
/// again at once. Transmit buffers return to the free list as the device completes them,
/// reclaimed before each send. Generic over the register transport so tests drive it against a
/// simulated device.
public struct VirtioNetDriver<Transport: VirtioMMIOTransport>: NetworkDevice {
    /// Why a device could not be brought up.
    public enum SetupError: Error, Equatable {
        /// No virtio magic value at the address.
        case notVirtio
        /// A virtio device, but not a network card.
        case notNetworkDevice
        /// A register layout version other than 1 or 2.
        case unsupportedVersion(UInt32)
        /// The device refused the features the driver asked for.
        case featuresRefused
        /// A queue the driver needs is missing or too small.
        case queueUnavailable(Int)
    }

    public let transport: Transport
    public let macAddress: MACAddress
    /// 1 (legacy) or 2 (modern).
    public let version: UInt32
    /// The virtio-net header before each frame: 10 bytes legacy, 12 modern.
    public let headerLength: Int

    var receiveQueue: SplitVirtqueue
    var transmitQueue: SplitVirtqueue

    static var receiveQueueIndex: Int { 0 }
    static var transmitQueueIndex: Int { 1 }
    /// Large enough for a header and a 1514-byte frame without merged buffers.
    static var bufferSize: Int { 2048 }
    static var largestQueue: Int { 256 }

    /// Resets and initialises the device (virtio 1.2, section 3.1.1) and offers every receive
    /// buffer. `allocate(byteCount, alignment)` provides the memory the device reads and writes.
    public init(
        transport: Transport,
        allocate: (Int, Int) -> UnsafeMutableRawPointer = { UnsafeMutableRawPointer.allocate(byteCount: $0, alignment: $1) }
    ) throws(SetupError) {
        typealias R = VirtioMMIORegister
        guard transport.read32(R.magicValue) == R.magic else { throw .notVirtio }
        let version = transport.read32(R.version)
        guard version == 1 || version == 2 else { throw .unsupportedVersion(version) }
        guard transport.read32(R.deviceID) == R.networkDeviceID else { throw .notNetworkDevice }
        self.transport = transport
        self.version = version
        headerLength = version == 1 ? 10 : 12

        transport.write32(R.status, 0)
        transport.write32(R.status, VirtioStatus.acknowledge)
        transport.write32(R.status, VirtioStatus.acknowledge | VirtioStatus.driver)
        transport.write32(R.deviceFeaturesSelect, 0)
        let offeredLow = transport.read32(R.deviceFeatures)
        let wantedLow = offeredLow & (1 << UInt32(VirtioFeature.netMAC))
        transport.write32(R.driverFeaturesSelect, 0)
        transport.write32(R.driverFeatures, wantedLow)
        var status = VirtioStatus.acknowledge | VirtioStatus.driver
        if version == 2 {
            transport.write32(R.deviceFeaturesSelect, 1)
            let offeredHigh = transport.read32(R.deviceFeatures)
            guard offeredHigh & 1 != 0 else { throw .featuresRefused } // VERSION_1 is bit 32
            transport.write32(R.driverFeaturesSelect, 1)
            transport.write32(R.driverFeatures, 1)
            status |= VirtioStatus.featuresOK
            transport.write32(R.status, status)
            guard transport.read32(R.status) & VirtioStatus.featuresOK != 0 else {
                transport.write32(R.status, VirtioStatus.failed)
                throw .featuresRefused
            }
        } else {
            transport.write32(R.legacyGuestPageSize, UInt32(SplitVirtqueue.pageSize))
        }

        var mac: UInt64 = 0
        if wantedLow != 0 {
            for index in 0..<6 { mac = mac << 8 | UInt64(transport.read8(R.config + index)) }
        } else {
            mac = 0x0252_5400_0001 // locally administered, for a device without a MAC
        }
        macAddress = MACAddress(mac)

        receiveQueue = try Self.setUpQueue(Self.receiveQueueIndex, transport: transport, version: version, allocate: allocate)
        transmitQueue = try Self.setUpQueue(Self.transmitQueueIndex, transport: transport, version: version, allocate: allocate)
        transport.write32(R.status, status | VirtioStatus.driverOK)

        while let index = receiveQueue.takeDescriptor() {
            receiveQueue.offer(index, length: Self.bufferSize, deviceWrites: true)
        }
        transport.write32(R.queueNotify, UInt32(Self.receiveQueueIndex))
    }

    static func setUpQueue(
        _ queue: Int, transport: Transport, version: UInt32, allocate: (Int, Int) -> UnsafeMutableRawPointer
    ) throws(SetupError) -> SplitVirtqueue {
        typealias R = VirtioMMIORegister
        transport.write32(R.queueSelect, UInt32(queue))
        let maximum = Int(transport.read32(R.queueSizeMax))
        guard maximum >= 2 else { throw .queueUnavailable(queue) }
        var size = largestQueue
        while size > maximum { size /= 2 }
        let ring = SplitVirtqueue(size: size, bufferSize: bufferSize, allocate: allocate)
        transport.write32(R.queueSize, UInt32(size))
        if version == 1 {
            // A legacy device takes a 32-bit page number: the rings must lie below 16 TiB.
            guard ring.address(ofOffset: 0) >> 12 <= UInt64(UInt32.max) else { throw .queueUnavailable(queue) }
            transport.write32(R.legacyQueueAlign, UInt32(SplitVirtqueue.pageSize))
            transport.write32(R.legacyQueuePFN, UInt32(ring.address(ofOffset: 0) >> 12))
        } else {
            let parts = [
                (R.queueDescriptorLow, ring.descriptorTableOffset), (R.queueDriverLow, ring.availableRingOffset),
                (R.queueDeviceLow, ring.usedRingOffset),
            ]
            for (register, offset) in parts {
                let address = ring.address(ofOffset: offset)
                transport.write32(register, UInt32(truncatingIfNeeded: address))
                transport.write32(register + 4, UInt32(truncatingIfNeeded: address >> 32))
            }
            transport.write32(R.queueReady, 1)
        }
        return ring
    }

    /// The next received frame; an empty one when the device reported an impossible length
    /// (the buffer is offered again and the caller drops it), nil when none is waiting.
    public mutating func receiveFrame() -> [UInt8]? {
        guard let (index, length) = receiveQueue.takeCompletion() else { return nil }
        let buffer = receiveQueue.buffer(index)
        var frame: [UInt8]? = nil
        if length > headerLength && length <= Self.bufferSize {
            frame = [UInt8](UnsafeRawBufferPointer(start: buffer + headerLength, count: length - headerLength))
        }
        receiveQueue.offer(index, length: Self.bufferSize, deviceWrites: true)
        transport.fullMemoryBarrier()
        if receiveQueue.deviceWantsNotification {
            transport.write32(VirtioMMIORegister.queueNotify, UInt32(Self.receiveQueueIndex))
        }
        return frame ?? []
    }

    /// Returns transmit buffers the device has finished with to the free list.
    public mutating func reclaimTransmitted() {
        while let (index, _) = transmitQueue.takeCompletion() { transmitQueue.release(index) }
    }

    public mutating func transmitFrame(_ frame: [UInt8]) -> Bool {
        guard frame.count + headerLength <= Self.bufferSize else { return false }
        reclaimTransmitted()
        guard let index = transmitQueue.takeDescriptor() else { return false }
        let buffer = transmitQueue.buffer(index)
        // An all-zero header: no checksum offload, no segmentation offload.
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: headerLength)
        frame.withUnsafeBytes { bytes in
            (buffer + headerLength).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        }
        transmitQueue.offer(index, length: headerLength + frame.count, deviceWrites: false)
        transport.fullMemoryBarrier()
        if transmitQueue.deviceWantsNotification {
            transport.write32(VirtioMMIORegister.queueNotify, UInt32(Self.transmitQueueIndex))
        }
        return true
    }
}
