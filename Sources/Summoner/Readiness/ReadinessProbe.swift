import GuestStack

/// Tells when a booting guest can serve. Real probes: the guest's ready datagram
/// (`AnnouncementReadiness`) and its serial log (`SerialLogReadiness`), raced by
/// `FirstReadiness`. Tests use a fake they trigger by hand.
public protocol ReadinessProbe: Sendable {
    /// Returns once the instance is ready. Throws `CancellationError` when the task is cancelled
    /// (the boot timed out or the instance is being stopped).
    func waitUntilReady(_ target: ReadinessTarget) async throws
}

/// How a service's guests tell that they serve (`readiness` in a service's config).
public enum ReadinessMode: Sendable, Equatable {
    /// The guest announces itself: `READY <id> <boot-us>` by UDP, or the `READY <id>` serial line.
    case announce
    /// A TCP connection to this port of the guest succeeds (for guests that announce nothing).
    case tcp(port: UInt16)
    /// Ready as soon as the domain runs: the answer gates on nothing.
    case none

    /// Parses `announce`, `tcp:PORT` or `none`.
    public init?(_ text: String) {
        switch text {
        case "announce": self = .announce
        case "none": self = .none
        default:
            guard text.hasPrefix("tcp:"), let port = UInt16(text.dropFirst(4)), port > 0 else { return nil }
            self = .tcp(port: port)
        }
    }
}

/// The guest a probe waits for.
public struct ReadinessTarget: Sendable, Equatable {
    public var instanceID: String
    /// The guest's address: a ready datagram from any other source is ignored.
    public var address: IPv4Address
    public var serialLogPath: String
    public var mode: ReadinessMode

    public init(instanceID: String, address: IPv4Address, serialLogPath: String, mode: ReadinessMode = .announce) {
        self.instanceID = instanceID
        self.address = address
        self.serialLogPath = serialLogPath
        self.mode = mode
    }
}

/// Chooses the probe by the target's mode: the announcement probe, a TCP connect, or none.
public struct ModeReadiness: ReadinessProbe {
    public var announce: any ReadinessProbe
    public var tcp: any ReadinessProbe

    public init(announce: any ReadinessProbe, tcp: any ReadinessProbe = TCPPortReadiness()) {
        self.announce = announce
        self.tcp = tcp
    }

    public func waitUntilReady(_ target: ReadinessTarget) async throws {
        switch target.mode {
        case .announce: try await announce.waitUntilReady(target)
        case .tcp: try await tcp.waitUntilReady(target)
        case .none: try Task.checkCancellation()
        }
    }
}

/// Ready as soon as any of its probes says so; the others are cancelled.
public struct FirstReadiness: ReadinessProbe {
    public var probes: [any ReadinessProbe]

    public init(_ probes: [any ReadinessProbe]) { self.probes = probes }

    public func waitUntilReady(_ target: ReadinessTarget) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for probe in probes { group.addTask { try await probe.waitUntilReady(target) } }
            defer { group.cancelAll() }
            // The first probe to finish decides; a probe that fails on its own is not readiness.
            while let result = await group.nextResult() {
                if case .success = result { return }
                try Task.checkCancellation()
            }
            throw CancellationError()
        }
    }
}
