/// The EDNS(0) fields of an OPT pseudo-record (RFC 6891 section 6.1), typed.
///
/// On the wire OPT reuses the record layout: the owner is the root, CLASS is the UDP payload
/// size and TTL packs the extended response code, the version and the flags. The flag bits other
/// than DO are not modelled; they are ignored when read and sent as zero.
public struct DNSEDNS: Hashable, Sendable {
    /// The largest UDP payload the sender can receive.
    public var udpPayloadSize: UInt16
    /// The high eight bits of the 12-bit response code; the header holds the low four.
    public var extendedRCodeHigh: UInt8
    /// The EDNS version; only 0 is defined.
    public var version: UInt8
    /// DO: the sender understands DNSSEC records (RFC 3225).
    public var dnssecOK: Bool
    /// The options, in order.
    public var options: [DNSEDNSOption]

    /// Creates EDNS fields; the defaults suit a response: payload 1232 (the DNS Flag Day 2020
    /// value), version 0, no flags, no options.
    public init(
        udpPayloadSize: UInt16 = 1232, extendedRCodeHigh: UInt8 = 0, version: UInt8 = 0,
        dnssecOK: Bool = false, options: [DNSEDNSOption] = []
    ) {
        self.udpPayloadSize = udpPayloadSize
        self.extendedRCodeHigh = extendedRCodeHigh
        self.version = version
        self.dnssecOK = dnssecOK
        self.options = options
    }

    /// Reads the fields of an OPT record; nil if the record is not of type OPT with OPT data.
    public init?(record: DNSResourceRecord) {
        guard record.type == .opt, case .opt(let options) = record.data else { return nil }
        self.init(
            udpPayloadSize: record.class.rawValue,
            extendedRCodeHigh: UInt8(record.ttl >> 24),
            version: UInt8(record.ttl >> 16 & 0xFF),
            dnssecOK: record.ttl & 0x8000 != 0,
            options: options)
    }

    /// The OPT record carrying these fields.
    public var record: DNSResourceRecord {
        let ttl = UInt32(extendedRCodeHigh) << 24 | UInt32(version) << 16 | (dnssecOK ? 0x8000 : 0)
        return DNSResourceRecord(
            name: .root, type: .opt, class: DNSClass(rawValue: udpPayloadSize), ttl: ttl,
            data: .opt(options))
    }

    /// The payload size to honour: values below 512 are treated as 512 (RFC 6891 section 6.2.5).
    public var effectiveUDPPayloadSize: Int { max(512, Int(udpPayloadSize)) }
}
