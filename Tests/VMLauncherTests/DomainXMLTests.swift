import Foundation
import GuestStack
import Testing

@testable import VMLauncher

@Suite("Domain XML")
struct DomainXMLTests {
    let spec = DomainSpec(
        name: "summoner-hello-1",
        metadata: DomainMetadata(service: "hello", instanceID: "hello-1", address: IPv4Address(10, 77, 0, 10)),
        kernelPath: "/KERNEL/PATH",
        commandLine: GuestCommandLine(
            instanceID: "hello-1", interface: IPv4Interface(address: IPv4Address(10, 77, 0, 10), prefixLength: 24),
            gateway: IPv4Address(10, 77, 0, 1)),
        memoryMiB: 32, vcpus: 1, serialLogPath: "/SERIAL/PATH", bridge: "sumbr0", macAddress: "52:54:00:4d:00:0a",
        accelerator: .tcg)

    @Test func matchesTheGoldenDocument() throws {
        let golden = try String(contentsOfFile: fixture("hello-domain.xml"), encoding: .utf8)
        #expect(DomainXML.render(spec) == golden)
    }

    /// Every element that measured necessary on microvm (DESIGN.md) and in the lab's known-good XML.
    @Test func keepsEveryElementMicrovmNeeds() throws {
        let xml = DomainXML.render(spec)
        let knownGood = try String(contentsOfFile: fixture("known-good-domain.xml"), encoding: .utf8)
        for element in [
            "machine='microvm'", "<controller type='usb' model='none'/>", "<memballoon model='none'/>",
            "<address type='virtio-mmio'/>", "<model type='virtio'/>", "<on_reboot>destroy</on_reboot>",
            "<source bridge='sumbr0'/>", "<kernel>/KERNEL/PATH</kernel>", "<source path='/SERIAL/PATH'",
        ] {
            #expect(xml.contains(element), "missing \(element)")
            #expect(knownGood.contains(element), "fixture lacks \(element)")
        }
    }

    @Test func acceleratorSelectsTheDomainType() {
        var kvm = spec
        kvm.accelerator = .kvm
        #expect(DomainXML.render(kvm).hasPrefix("<domain type='kvm'>"))
        #expect(DomainXML.render(spec).hasPrefix("<domain type='qemu'>"))
    }

    @Test func escapesTextThatWouldBreakTheDocument() {
        var hostile = spec
        hostile.kernelPath = "/tmp/a'b<c>&d\".elf"
        let xml = DomainXML.render(hostile)
        #expect(xml.contains("<kernel>/tmp/a&apos;b&lt;c&gt;&amp;d&quot;.elf</kernel>"))
    }

    /// A state file's domain, as `virsh save-image-dumpxml` printed it in the lab (libvirt 9.0):
    /// the name and the metadata are read back, and the devices' `<address>` elements are not
    /// taken for the instance's address.
    @Test func savedImageDomainYieldsNameAndMetadata() throws {
        let xml = try String(contentsOfFile: fixture("saved-image-domain.xml"), encoding: .utf8)
        #expect(DomainXML.domainName(xml) == "summoner-hello-7")
        let metadata = DomainXML.parseMetadata(DomainXML.metadataBlock(xml))
        #expect(metadata == DomainMetadata(service: "hello", instanceID: "hello-7", address: IPv4Address("10.77.0.50")!))
        #expect(DomainXML.metadataBlock("<domain><name>x</name></domain>") == "")
        #expect(DomainXML.parseMetadata(DomainXML.metadataBlock("<domain><name>x</name></domain>")) == nil)
    }

    @Test func metadataRoundTripsThroughOurOwnRendering() {
        #expect(DomainXML.parseMetadata(DomainXML.renderMetadata(spec.metadata)) == spec.metadata)
    }

    @Test func anIPv6AddressIsKeptInTheMetadataWhenTheGuestHasOne() {
        var metadata = spec.metadata
        metadata.address6 = IPv6Address("fd77::a")
        let rendered = DomainXML.renderMetadata(metadata)
        #expect(rendered.contains("<summoner:address6>fd77::a</summoner:address6>"))
        #expect(DomainXML.parseMetadata(rendered) == metadata)
        #expect(!DomainXML.renderMetadata(spec.metadata).contains("address6"))
        #expect(DomainXML.parseMetadata(rendered.replacingOccurrences(of: "fd77::a", with: "fd77::g")) == nil)
    }

    /// libvirt's virDomainGetMetadata returns the element re-serialised without our prefix.
    @Test func metadataParsesAsLibvirtReturnsIt() {
        let fromLibvirt = "<instance>\n  <service>hello</service>\n  <id>hello-1</id>\n  <address>10.77.0.10</address>\n</instance>"
        #expect(DomainXML.parseMetadata(fromLibvirt) == spec.metadata)
        #expect(DomainXML.parseMetadata("<instance><service>hello</service><id>x</id></instance>") == nil)
        #expect(DomainXML.parseMetadata("<instance><service>a</service><id>x</id><address>10.77.0</address></instance>") == nil)
    }

    @Test func macAddressIsDerivedFromTheGuestAddress() {
        #expect(DomainSpec.macAddress(for: IPv4Address(10, 77, 0, 10)) == "52:54:00:4d:00:0a")
        #expect(DomainSpec.domainName(instanceID: "hello-1") == "summoner-hello-1")
    }

    func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
    }
}

@Suite("Accelerator detection")
struct AcceleratorTests {
    let intel = "processor : 0\nflags\t\t: fpu vme de pse vmx sse2\n"
    let amd = "flags : fpu svm\n"
    let nested = "flags : fpu sse2 hypervisor\n"

    @Test func hardwareKVMNeedsBothTheFlagAndTheDevice() {
        #expect(AcceleratorDetector.decide(choice: .auto, cpuinfo: intel, kvmDeviceOpens: true) == .kvm)
        #expect(AcceleratorDetector.decide(choice: .auto, cpuinfo: amd, kvmDeviceOpens: true) == .kvm)
        #expect(AcceleratorDetector.decide(choice: .auto, cpuinfo: intel, kvmDeviceOpens: false) == .tcg)
        // kvm_pvm: /dev/kvm opens but the CPU has no vmx/svm.
        #expect(AcceleratorDetector.decide(choice: .auto, cpuinfo: nested, kvmDeviceOpens: true) == .tcg)
    }

    @Test func anExplicitChoiceWins() {
        #expect(AcceleratorDetector.decide(choice: .kvm, cpuinfo: nested, kvmDeviceOpens: false) == .kvm)
        #expect(AcceleratorDetector.decide(choice: .tcg, cpuinfo: intel, kvmDeviceOpens: true) == .tcg)
    }

    @Test func flagMatchingIsByWholeWord() {
        #expect(!AcceleratorDetector.hasHardwareVirtualization(cpuinfo: "flags : vmxnet svmlike\n"))
        #expect(!AcceleratorDetector.hasHardwareVirtualization(cpuinfo: "model name : vmx\n"))
    }
}
