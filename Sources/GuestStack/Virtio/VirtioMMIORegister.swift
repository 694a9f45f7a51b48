/// virtio-mmio register offsets (virtio 1.2, section 4.2.2; legacy layout in 4.2.4) and the
/// status and feature bits the network driver uses.
public enum VirtioMMIORegister {
    public static let magicValue = 0x000
    public static let version = 0x004
    public static let deviceID = 0x008
    public static let deviceFeatures = 0x010
    public static let deviceFeaturesSelect = 0x014
    public static let driverFeatures = 0x020
    public static let driverFeaturesSelect = 0x024
    /// Legacy only: the guest page size the queue PFN is counted in.
    public static let legacyGuestPageSize = 0x028
    public static let queueSelect = 0x030
    public static let queueSizeMax = 0x034
    public static let queueSize = 0x038
    /// Legacy only: the alignment of the used ring.
    public static let legacyQueueAlign = 0x03c
    /// Legacy only: the queue's page frame number; 0 means "not in use".
    public static let legacyQueuePFN = 0x040
    /// Modern only.
    public static let queueReady = 0x044
    public static let queueNotify = 0x050
    public static let interruptStatus = 0x060
    public static let interruptACK = 0x064
    public static let status = 0x070
    public static let queueDescriptorLow = 0x080
    public static let queueDescriptorHigh = 0x084
    public static let queueDriverLow = 0x090
    public static let queueDriverHigh = 0x094
    public static let queueDeviceLow = 0x0a0
    public static let queueDeviceHigh = 0x0a4
    public static let config = 0x100

    /// "virt" read as a little-endian 32-bit value.
    public static let magic: UInt32 = 0x7472_6976
    /// The device id of a network card.
    public static let networkDeviceID: UInt32 = 1
}

/// Device status bits.
public enum VirtioStatus {
    public static let acknowledge: UInt32 = 1
    public static let driver: UInt32 = 2
    public static let driverOK: UInt32 = 4
    public static let featuresOK: UInt32 = 8
    public static let failed: UInt32 = 128
}

/// Feature bits, numbered as in the specification.
public enum VirtioFeature {
    /// The device has a MAC address in its config space.
    public static let netMAC = 5
    /// Modern (non-legacy) interface; required by version 2 devices.
    public static let version1 = 32
}

/// Register access to one virtio-mmio device. The guest implements it with volatile MMIO
/// loads and stores; tests implement it with a simulated device.
public protocol VirtioMMIOTransport {
    func read32(_ offset: Int) -> UInt32
    func write32(_ offset: Int, _ value: UInt32)
    func read8(_ offset: Int) -> UInt8
    /// Orders every earlier store before every later load, as seen by the device (which runs
    /// on another host thread): needed between publishing a buffer and reading whether the
    /// device wants a notification, or a notification can be lost.
    func fullMemoryBarrier()
}
