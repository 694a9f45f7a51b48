/// The data of an SOA record (RFC 1035 section 3.3.13).
public struct DNSSOA: Hashable, Sendable {
    /// MNAME: the primary name server for the zone.
    public var primaryServer: DNSName
    /// RNAME: the mailbox of the person responsible, with `@` written as the first dot.
    public var responsibleMailbox: DNSName
    /// The zone's version number.
    public var serial: UInt32
    /// Seconds between secondary refreshes.
    public var refresh: UInt32
    /// Seconds before a failed refresh is retried.
    public var retry: UInt32
    /// Seconds after which a secondary stops answering without a refresh.
    public var expire: UInt32
    /// The TTL of negative answers (RFC 2308).
    public var minimum: UInt32

    /// Creates SOA data from its seven fields.
    public init(
        primaryServer: DNSName, responsibleMailbox: DNSName, serial: UInt32, refresh: UInt32,
        retry: UInt32, expire: UInt32, minimum: UInt32
    ) {
        self.primaryServer = primaryServer
        self.responsibleMailbox = responsibleMailbox
        self.serial = serial
        self.refresh = refresh
        self.retry = retry
        self.expire = expire
        self.minimum = minimum
    }
}
