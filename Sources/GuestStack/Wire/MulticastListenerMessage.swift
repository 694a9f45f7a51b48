/// Multicast listener discovery (MLDv2, RFC 3810, and MLDv1, RFC 2710): how the guest tells
/// the link's snooping bridges and routers that it listens to its solicited-node groups. Without
/// it a bridge that has a querier stops flooding those groups to the guest's port, and neighbor
/// solicitations for the guest's addresses never reach it.
public enum MulticastListenerMessage {
    /// ICMPv6 message types.
    public enum MessageType {
        public static let query: UInt8 = 130
        public static let reportV1: UInt8 = 131
        public static let reportV2: UInt8 = 143
    }

    /// MLDv2 multicast address record types (RFC 3810, 5.2.12).
    public enum RecordType {
        /// The answer to a query: listening, excluding no source.
        public static let modeIsExclude: UInt8 = 2
        /// An unsolicited join.
        public static let changeToExclude: UInt8 = 4
    }

    /// `ff02::16`, where MLDv2 reports go.
    public static let allMLDv2Routers = IPv6Address(high: 0xff02_0000_0000_0000, low: 0x16)

    /// A query, as far as a listener needs it: which group it asks about (nil for all) and which
    /// version answers it.
    public struct Query: Equatable {
        /// The group asked about; nil for a general query.
        public var group: IPv6Address?
        /// True for an MLDv1 query (24 bytes), answered with MLDv1 reports.
        public var isVersion1: Bool
    }

    /// The query in `message`, or nil when it is not one. An MLDv1 query is exactly 24 bytes, an
    /// MLDv2 one at least 28 (RFC 3810, 8.1).
    public static func query(in message: ICMPv6Message) -> Query? {
        guard message.type == MessageType.query, message.code == 0 else { return nil }
        let length = message.bytes.count
        guard length == 24 || length >= 28 else { return nil }
        let group = IPv6Address(message.body, at: 4)
        return Query(group: group.isUnspecified ? nil : group, isVersion1: length == 24)
    }

    /// The body of an MLDv2 report (after type, code and checksum) with one record per group.
    public static func reportV2Body(groups: [IPv6Address], recordType: UInt8) -> [UInt8] {
        var body: [UInt8] = [0, 0]
        body.appendUInt16(UInt16(truncatingIfNeeded: groups.count))
        for group in groups {
            body.append(recordType)
            body.append(0)  // no auxiliary data
            body.appendUInt16(0)  // no sources: "all sources", excluding none
            group.append(to: &body)
        }
        return body
    }

    /// The body of an MLDv1 report for `group` (sent to the group itself).
    public static func reportV1Body(group: IPv6Address) -> [UInt8] {
        var body: [UInt8] = [0, 0, 0, 0]  // maximum response delay and reserved
        group.append(to: &body)
        return body
    }

    /// The hop-by-hop header every MLD message carries (RFC 3810, 5): a Router Alert option
    /// (RFC 2711, value 0 for MLD) and two bytes of padding, before ICMPv6.
    public static let hopByHopRouterAlert: [UInt8] = [IPv6Packet.NextHeader.icmpv6, 0, 5, 2, 0, 0, 1, 0]
}
