/// A split virtqueue (virtio 1.2, section 2.7) in memory the driver owns: the descriptor table,
/// the available ring the driver writes, and the used ring the device writes.
///
/// Laid out as legacy devices require (used ring on the next 4096-byte boundary), which modern
/// devices accept as well. Each descriptor owns one fixed buffer of `bufferSize` bytes for the
/// life of the queue, so a descriptor index also names its buffer and nothing is allocated per
/// packet. Addresses given to the device are the buffers' virtual addresses: the guest's memory
/// is identity-mapped, and on the host a simulated device reads the same pointers.
public struct SplitVirtqueue {
    /// Entries in the rings; a power of two.
    public let size: Int
    /// Bytes in each descriptor's buffer.
    public let bufferSize: Int
    /// The rings' memory, and the address given to the device.
    public let ringMemory: UnsafeMutableRawPointer
    let buffers: UnsafeMutableRawPointer

    /// Descriptor indices not handed to the device.
    private var freeDescriptors: [UInt16]
    /// The next available-ring slot (free-running 16-bit index).
    private var availableIndex: UInt16 = 0
    /// The used-ring index up to which completions have been taken.
    private var lastUsedIndex: UInt16 = 0

    static let descriptorSize = 16
    static let pageSize = 4096
    static let writeFlag: UInt16 = 2 // VIRTQ_DESC_F_WRITE: the device writes this buffer

    /// Byte offsets of the three parts inside `ringMemory`.
    public var descriptorTableOffset: Int { 0 }
    public var availableRingOffset: Int { size * Self.descriptorSize }
    public var usedRingOffset: Int {
        let end = availableRingOffset + 6 + 2 * size
        return (end + Self.pageSize - 1) / Self.pageSize * Self.pageSize
    }
    /// The bytes the rings occupy.
    public var ringBytes: Int { usedRingOffset + 6 + 8 * size }

    /// Allocates rings and buffers through `allocate(byteCount, alignment)`; tests pass one
    /// that returns low addresses, as a legacy device's 32-bit page numbers need.
    public init(
        size: Int, bufferSize: Int,
        allocate: (Int, Int) -> UnsafeMutableRawPointer = { UnsafeMutableRawPointer.allocate(byteCount: $0, alignment: $1) }
    ) {
        precondition(size > 0 && size & (size - 1) == 0 && size <= 32768, "virtqueue size must be a power of two")
        self.size = size
        self.bufferSize = bufferSize
        let ringBytes = (size * Self.descriptorSize + 6 + 2 * size + Self.pageSize - 1) / Self.pageSize * Self.pageSize
            + 6 + 8 * size
        ringMemory = allocate(ringBytes, Self.pageSize)
        ringMemory.initializeMemory(as: UInt8.self, repeating: 0, count: ringBytes)
        buffers = allocate(size * bufferSize, Self.pageSize)
        freeDescriptors = []
        freeDescriptors.reserveCapacity(size)
        for index in (0..<size).reversed() { freeDescriptors.append(UInt16(index)) }
    }

    /// The address of a part of the rings, as the device sees it.
    public func address(ofOffset offset: Int) -> UInt64 { UInt64(UInt(bitPattern: ringMemory + offset)) }

    /// The number of descriptors the driver may still hand out.
    public var freeCount: Int { freeDescriptors.count }

    /// The buffer of descriptor `index`.
    public func buffer(_ index: UInt16) -> UnsafeMutableRawPointer { buffers + Int(index) * bufferSize }

    /// Takes a free descriptor, or nil when all are with the device.
    public mutating func takeDescriptor() -> UInt16? { freeDescriptors.popLast() }

    /// Makes descriptor `index` (its buffer, first `length` bytes) available to the device.
    /// `deviceWrites` marks a receive buffer. The caller notifies the device afterwards.
    public mutating func offer(_ index: UInt16, length: Int, deviceWrites: Bool) {
        let descriptor = ringMemory + Int(index) * Self.descriptorSize
        descriptor.storeBytes(of: UInt64(UInt(bitPattern: buffer(index))).littleEndian, as: UInt64.self)
        descriptor.storeBytes(of: UInt32(length).littleEndian, toByteOffset: 8, as: UInt32.self)
        descriptor.storeBytes(of: (deviceWrites ? Self.writeFlag : 0).littleEndian, toByteOffset: 12, as: UInt16.self)
        descriptor.storeBytes(of: UInt16(0), toByteOffset: 14, as: UInt16.self)
        let slot = availableRingOffset + 4 + 2 * Int(availableIndex & UInt16(size - 1))
        ringMemory.storeBytes(of: index.littleEndian, toByteOffset: slot, as: UInt16.self)
        // The ring entry must be visible before the index that publishes it. x86 keeps stores
        // in order; the opaque index store below keeps the compiler from reordering them.
        availableIndex &+= 1
        storeAvailableIndex(availableIndex)
    }

    @inline(never)
    private func storeAvailableIndex(_ value: UInt16) {
        ringMemory.storeBytes(of: value.littleEndian, toByteOffset: availableRingOffset + 2, as: UInt16.self)
    }

    @inline(never)
    private func loadUsedIndex() -> UInt16 {
        UInt16(littleEndian: ringMemory.load(fromByteOffset: usedRingOffset + 2, as: UInt16.self))
    }

    /// False while the device asks not to be notified (VIRTQ_USED_F_NO_NOTIFY: it is already
    /// working through the ring), so a burst of buffers costs one doorbell, not one each.
    public var deviceWantsNotification: Bool {
        UInt16(littleEndian: ringMemory.load(fromByteOffset: usedRingOffset, as: UInt16.self)) & 1 == 0
    }

    /// The next completion from the device: the descriptor and the bytes it wrote (receive) or
    /// consumed (transmit); nil when there is none. The descriptor is the caller's again.
    public mutating func takeCompletion() -> (index: UInt16, length: Int)? {
        guard lastUsedIndex != loadUsedIndex() else { return nil }
        let element = usedRingOffset + 4 + 8 * Int(lastUsedIndex & UInt16(size - 1))
        let index = UInt32(littleEndian: ringMemory.load(fromByteOffset: element, as: UInt32.self))
        let length = UInt32(littleEndian: ringMemory.load(fromByteOffset: element + 4, as: UInt32.self))
        lastUsedIndex &+= 1
        guard index < UInt32(size) else { return nil } // a confused device; never trust it
        return (UInt16(index), Int(length))
    }

    /// Returns descriptor `index` to the free list (after a transmit completion).
    public mutating func release(_ index: UInt16) { freeDescriptors.append(index) }
}
