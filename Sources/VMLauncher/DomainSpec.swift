import GuestStack

/// Everything needed to start one guest: the pure input to the domain XML.
public struct DomainSpec: Sendable, Equatable {
    /// The libvirt domain name, unique on the host: `summoner-<instance-id>`.
    public var name: String
    /// Who the domain belongs to; written into the domain's metadata.
    public var metadata: DomainMetadata
    /// Absolute path of the PVH ELF kernel.
    public var kernelPath: String
    /// The guest command line (instance id, addresses).
    public var commandLine: GuestCommandLine
    public var memoryMiB: Int
    public var vcpus: Int
    /// File the guest's COM1 is written to (readiness and debugging).
    public var serialLogPath: String
    /// Bridge the guest's NIC is attached to.
    public var bridge: String
    /// The NIC's MAC address, `52:54:00:xx:xx:xx`.
    public var macAddress: String
    public var accelerator: Accelerator

    public init(
        name: String, metadata: DomainMetadata, kernelPath: String, commandLine: GuestCommandLine,
        memoryMiB: Int, vcpus: Int, serialLogPath: String, bridge: String, macAddress: String,
        accelerator: Accelerator
    ) {
        self.name = name
        self.metadata = metadata
        self.kernelPath = kernelPath
        self.commandLine = commandLine
        self.memoryMiB = memoryMiB
        self.vcpus = vcpus
        self.serialLogPath = serialLogPath
        self.bridge = bridge
        self.macAddress = macAddress
        self.accelerator = accelerator
    }

    /// The domain name used for an instance id.
    public static func domainName(instanceID: String) -> String { "summoner-\(instanceID)" }

    /// A locally administered MAC derived from the guest address, so it is stable and unique per address.
    public static func macAddress(for address: IPv4Address) -> String {
        let (_, b, c, d) = address.octets
        return "52:54:00:" + [b, c, d].map { hexByte($0) }.joined(separator: ":")
    }
}

/// The project's own facts about a domain, stored in its `<metadata>` so that any summonerd can
/// recognise its domains among all of libvirt's.
public struct DomainMetadata: Sendable, Equatable, Hashable {
    public var service: String
    public var instanceID: String
    public var address: IPv4Address
    /// The guest's IPv6 address, when it was given one: a daemon adopting the domain later keeps
    /// it only if its own configuration would give the guest the same.
    public var address6: IPv6Address?

    public init(service: String, instanceID: String, address: IPv4Address, address6: IPv6Address? = nil) {
        self.service = service
        self.instanceID = instanceID
        self.address = address
        self.address6 = address6
    }
}

func hexByte(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
}
