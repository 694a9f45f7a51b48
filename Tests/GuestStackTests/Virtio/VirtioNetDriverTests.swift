import Testing

@testable import GuestStack

@Suite("virtio-net over virtio-mmio against a simulated device")
struct VirtioNetDriverTests {
    @Test(arguments: [UInt32(1), 2])
    func setUpNegotiatesAndOffersEveryReceiveBuffer(version: UInt32) throws {
        let device = SimulatedVirtioNet(version: version)
        let driver = try VirtioNetDriver(transport: device, allocate: lowMemory)
        #expect(driver.macAddress == MACAddress(0x5254_0088_000a))
        #expect(driver.headerLength == (version == 1 ? 10 : 12))
        #expect(device.status & VirtioStatus.driverOK != 0)
        #expect(device.driverFeatures[0] == 1 << 5)  // MAC only, never the offered-but-unwanted bit 16
        #expect(device.driverFeatures[1] == (version == 2 ? 1 : 0))
        #expect(device.queues[0].size == 256)
        #expect(device.notifications == [0])
        var offered = 0
        while device.nextAvailable(0) != nil { offered += 1 }
        #expect(offered == 256)
    }

    @Test(arguments: [UInt32(1), 2])
    func framesRoundTripAndBuffersAreReused(version: UInt32) throws {
        let device = SimulatedVirtioNet(version: version)
        device.queueSizeMax = 4  // smaller than the driver's choice: it must shrink
        var driver = try VirtioNetDriver(transport: device, allocate: lowMemory)
        let nothing = driver.receiveFrame()
        #expect(nothing == nil)
        for round in 0..<20 {
            let frame = [UInt8](repeating: UInt8(round), count: 60 + round)
            #expect(device.deliver(frame))
            let received = driver.receiveFrame()
            #expect(received == frame)
            let sent = driver.transmitFrame(frame)
            #expect(sent)
        }
        #expect(device.transmitted.count == 20)
        #expect(device.transmitted[19] == [UInt8](repeating: 19, count: 79))
    }

    @Test func transmitReportsAFullQueueAndRecoversWhenTheDeviceCatchesUp() throws {
        let device = SimulatedVirtioNet(version: 1)
        device.queueSizeMax = 8
        var driver = try VirtioNetDriver(transport: device, allocate: lowMemory)
        device.holdTransmissions = true
        for _ in 0..<8 {
            let sent = driver.transmitFrame([1, 2, 3])
            #expect(sent)
        }
        let overflow = driver.transmitFrame([1, 2, 3])
        #expect(!overflow)
        device.holdTransmissions = false
        device.drainTransmitQueue()
        let afterDrain = driver.transmitFrame([4])
        #expect(afterDrain)
        #expect(device.transmitted.count == 9)
    }

    @Test func skipsTheDoorbellWhileTheDeviceSaysItIsBusy() throws {
        let device = SimulatedVirtioNet(version: 2)
        var driver = try VirtioNetDriver(transport: device, allocate: lowMemory)
        let before = device.notifications.count
        device.setUsedFlags(queue: 1, 1)  // VIRTQ_USED_F_NO_NOTIFY
        for _ in 0..<5 {
            let sent = driver.transmitFrame([1, 2, 3])
            #expect(sent)
        }
        #expect(device.notifications.count == before)
        device.setUsedFlags(queue: 1, 0)
        let sent = driver.transmitFrame([4])
        #expect(sent)
        #expect(device.notifications.count == before + 1)
        #expect(device.transmitted.count == 6)  // the device took all six at the doorbell
    }

    @Test func refusesOversizedFrames() throws {
        var driver = try VirtioNetDriver(transport: SimulatedVirtioNet(version: 2))
        let sent = driver.transmitFrame([UInt8](repeating: 0, count: 2040))
        #expect(!sent)
    }

    @Test func refusesWhatIsNotAVirtioNetworkCard() {
        final class Empty: VirtioMMIOTransport {
            func read32(_ offset: Int) -> UInt32 { 0xffff_ffff }
            func write32(_ offset: Int, _ value: UInt32) {}
            func read8(_ offset: Int) -> UInt8 { 0xff }
            func fullMemoryBarrier() {}
        }
        #expect(throws: VirtioNetDriver<Empty>.SetupError.notVirtio) { try VirtioNetDriver(transport: Empty()) }
    }
}

@Suite("virtio_mmio.device= on the command line")
struct VirtioMMIODeviceLocationTests {
    @Test func parsesQEMUsMicrovmEntry() {
        let line = Array("id=a virtio_mmio.device=512@0xfeb00e00:12 virtio_mmio.device=4K@0xfeb01000:13 x=1".utf8)
        #expect(VirtioMMIODeviceLocation.all(inCommandLine: line) == [
            VirtioMMIODeviceLocation(base: 0xfeb0_0e00, size: 512, interrupt: 12),
            VirtioMMIODeviceLocation(base: 0xfeb0_1000, size: 4096, interrupt: 13),
        ])
    }

    @Test(arguments: ["virtio_mmio.device=512@0xfeb00e00", "virtio_mmio.device=@0x1:2", "virtio_mmio.device=1@0xzz:3", "virtio_mmio.device="])
    func skipsMalformedEntries(text: String) {
        #expect(VirtioMMIODeviceLocation.all(inCommandLine: Array(text.utf8)).isEmpty)
    }
}
