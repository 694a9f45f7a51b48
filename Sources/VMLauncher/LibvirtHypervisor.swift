import CLibvirt
import Foundation
import Logging

/// `Hypervisor` over libvirt's C API.
///
/// libvirt calls block (a create takes ~300 ms here), so they run on a private concurrent
/// dispatch queue and never on Swift's cooperative pool. Lifecycle events come from libvirt's
/// default event loop, driven by `LibvirtEventLoop` on its own thread.
///
/// When the connection drops (libvirtd restarted or killed), calls fail at once with
/// `connectionFailed` instead of hanging, `events` reports `hypervisorDisconnected`, and a
/// background loop reconnects with backoff (0.1 s doubling to 2 s), then reports
/// `hypervisorReconnected` so the caller can reconcile what changed meanwhile.
public final class LibvirtHypervisor: Hypervisor, @unchecked Sendable {
    // SAFETY: `session` and `reconnecting` are only touched under `lock`; libvirt connections
    // are thread-safe; the other stored properties are immutable or Sendable.
    private let uri: String
    private let logger: Logger
    private let lock = NSLock()
    private var session: LibvirtSession?
    private var reconnecting = false
    private let queue = DispatchQueue(label: "summoner.libvirt", attributes: .concurrent)
    private let sink: LifecycleEventSink
    public let events: AsyncStream<DomainEvent>

    /// Connects to `uri` (for example `qemu:///system`) and subscribes to lifecycle events.
    public init(uri: String, logger: Logger) throws(HypervisorError) {
        LibvirtEventLoop.shared.startIfNeeded()
        self.uri = uri
        self.logger = logger
        let (stream, continuation) = AsyncStream.makeStream(of: DomainEvent.self)
        self.events = stream
        self.sink = LifecycleEventSink(continuation: continuation)
        session = try LibvirtSession(uri: uri, sink: sink, owner: self, logger: logger)
    }

    deinit { session?.close() }

    /// True while connected to libvirtd.
    public var isConnected: Bool { lock.withLock { session != nil } }

    /// The live connection, or an error saying libvirtd is unreachable.
    private func liveConnection() throws(HypervisorError) -> LibvirtConnection {
        guard let connection = lock.withLock({ session?.connection }) else {
            throw .connectionFailed(uri: uri, message: "the connection to libvirtd was lost; reconnecting")
        }
        return connection
    }

    /// Called from libvirt's event thread when `closed` has dropped.
    func connectionClosed(_ closed: LibvirtConnection, reason: Int32) {
        let dropped = lock.withLock { () -> LibvirtSession? in
            guard let current = session, current.connection.pointer == closed.pointer else { return nil }
            session = nil
            return current
        }
        guard let dropped else { return }
        // Release the dead connection off the event thread (this may be its close callback).
        queue.async { dropped.close() }
        logger.error("lost the connection to libvirtd (reason \(reason)); reconnecting", metadata: ["uri": "\(uri)"])
        sink.continuation.yield(DomainEvent(domainName: "", kind: .hypervisorDisconnected))
        startReconnecting()
    }

    private func startReconnecting() {
        let start = lock.withLock { () -> Bool in
            guard !reconnecting else { return false }
            reconnecting = true
            return true
        }
        guard start else { return }
        queue.async { [self] in
            var delay: UInt32 = 100_000
            while true {
                usleep(delay)
                if let fresh = try? LibvirtSession(uri: uri, sink: sink, owner: self, logger: logger) {
                    lock.withLock {
                        session = fresh
                        reconnecting = false
                    }
                    logger.notice("reconnected to libvirtd", metadata: ["uri": "\(uri)"])
                    sink.continuation.yield(DomainEvent(domainName: "", kind: .hypervisorReconnected))
                    return
                }
                delay = min(delay * 2, 2_000_000)
            }
        }
    }

    /// After a failed call: if the connection is dead, handle it as closed now rather than when
    /// keepalive notices.
    private func checkAlive(_ connection: LibvirtConnection) {
        if virConnectIsAlive(connection.pointer) != 1 {
            connectionClosed(connection, reason: -1)
        }
    }

    public func start(_ spec: DomainSpec, paused: Bool) async throws(HypervisorError) {
        let xml = DomainXML.render(spec)
        let flags = paused ? UInt32(VIR_DOMAIN_START_PAUSED.rawValue) : 0
        let connection = try liveConnection()
        try await run(on: connection) { () throws(HypervisorError) in
            guard let domain = virDomainCreateXML(connection.pointer, xml, flags) else {
                throw LibvirtHypervisor.lastError(operation: paused ? "create paused" : "create", domain: spec.name)
            }
            virDomainFree(domain)
        }
    }

    public func resume(domainName: String) async throws(HypervisorError) {
        try await onDomain(named: domainName) { domain throws(HypervisorError) in
            guard virDomainResume(domain) == 0 else {
                throw LibvirtHypervisor.lastError(operation: "resume", domain: domainName)
            }
        }
    }

    public func suspend(domainName: String, mark: SuspendMark) async throws(HypervisorError) {
        try await onDomain(named: domainName) { domain throws(HypervisorError) in
            guard virDomainSuspend(domain) == 0 else {
                throw LibvirtHypervisor.lastError(operation: "suspend", domain: domainName)
            }
            guard
                virDomainSetMetadata(
                    domain, Int32(VIR_DOMAIN_METADATA_ELEMENT.rawValue), DomainXML.stateElement(mark), "summonerstate",
                    DomainXML.stateNamespace, UInt32(VIR_DOMAIN_AFFECT_LIVE.rawValue)) == 0
            else {
                throw LibvirtHypervisor.lastError(operation: "mark suspended", domain: domainName)
            }
        }
    }

    public func unpause(domainName: String) async throws(HypervisorError) {
        // The mark stays: `list` reads it only for paused domains, and the next `suspend` writes
        // its own. Clearing it would cost a second libvirt call (and a status file write) while a
        // lookup waits.
        try await resume(domainName: domainName)
    }

    public func save(domainName: String, to path: String) async throws(HypervisorError) {
        try await onDomain(named: domainName) { domain throws(HypervisorError) in
            guard virDomainSaveFlags(domain, path, nil, UInt32(VIR_DOMAIN_SAVE_RUNNING.rawValue)) == 0 else {
                throw LibvirtHypervisor.lastError(operation: "save", domain: domainName)
            }
        }
    }

    public func restore(from path: String) async throws(HypervisorError) {
        let connection = try liveConnection()
        try await run(on: connection) { () throws(HypervisorError) in
            guard virDomainRestoreFlags(connection.pointer, path, nil, UInt32(VIR_DOMAIN_SAVE_RUNNING.rawValue)) == 0 else {
                throw LibvirtHypervisor.lastError(operation: "restore", domain: path)
            }
        }
    }

    public func savedDomain(at path: String) async throws(HypervisorError) -> DomainSummary? {
        let connection = try liveConnection()
        return try await run(on: connection) { () throws(HypervisorError) -> DomainSummary? in
            guard let raw = virDomainSaveImageGetXMLDesc(connection.pointer, path, 0) else {
                throw LibvirtHypervisor.lastError(operation: "read state file", domain: path)
            }
            let xml = String(cString: raw)
            free(raw)
            guard let name = DomainXML.domainName(xml), let metadata = DomainXML.parseMetadata(DomainXML.metadataBlock(xml))
            else { return nil }
            return DomainSummary(name: name, metadata: metadata)
        }
    }

    /// Looks a domain up by name on the live connection and runs `body` on it (on the private
    /// queue), freeing the handle afterwards.
    private func onDomain(
        named domainName: String, _ body: @escaping @Sendable (virDomainPtr) throws(HypervisorError) -> Void
    ) async throws(HypervisorError) {
        let connection = try liveConnection()
        try await run(on: connection) { () throws(HypervisorError) in
            guard let domain = virDomainLookupByName(connection.pointer, domainName) else {
                throw LibvirtHypervisor.lastError(operation: "lookup", domain: domainName)
            }
            defer { virDomainFree(domain) }
            try body(domain)
        }
    }

    public func stop(domainName: String) async throws(HypervisorError) {
        let connection = try liveConnection()
        try await run(on: connection) { () throws(HypervisorError) in
            guard let domain = virDomainLookupByName(connection.pointer, domainName) else {
                if LibvirtHypervisor.lastErrorCode() == Int32(VIR_ERR_NO_DOMAIN.rawValue) { return }
                throw LibvirtHypervisor.lastError(operation: "lookup", domain: domainName)
            }
            defer { virDomainFree(domain) }
            if virDomainDestroy(domain) < 0 {
                let code = LibvirtHypervisor.lastErrorCode()
                // Gone between lookup and destroy: the goal is reached.
                if code == Int32(VIR_ERR_NO_DOMAIN.rawValue) || code == Int32(VIR_ERR_OPERATION_INVALID.rawValue) {
                    return
                }
                throw LibvirtHypervisor.lastError(operation: "destroy", domain: domainName)
            }
        }
    }

    public func list() async throws(HypervisorError) -> [DomainSummary] {
        let connection = try liveConnection()
        return try await run(on: connection) { () throws(HypervisorError) -> [DomainSummary] in
            var domains: UnsafeMutablePointer<virDomainPtr?>? = nil
            let count = virConnectListAllDomains(
                connection.pointer, &domains, UInt32(VIR_CONNECT_LIST_DOMAINS_ACTIVE.rawValue))
            guard count >= 0, let domains else {
                throw LibvirtHypervisor.lastError(operation: "list", domain: nil)
            }
            defer { free(domains) }
            var result: [DomainSummary] = []
            for index in 0..<Int(count) {
                guard let domain = domains[index] else { continue }
                defer { virDomainFree(domain) }
                let name = virDomainGetName(domain).map { String(cString: $0) } ?? ""
                guard
                    let raw = virDomainGetMetadata(
                        domain, Int32(VIR_DOMAIN_METADATA_ELEMENT.rawValue), DomainXML.metadataNamespace,
                        UInt32(VIR_DOMAIN_AFFECT_LIVE.rawValue))
                else { continue }  // not ours: no metadata in our namespace
                let xml = String(cString: raw)
                free(raw)
                var state: Int32 = 0
                var reason: Int32 = 0
                _ = virDomainGetState(domain, &state, &reason, 0)
                if let metadata = DomainXML.parseMetadata(xml) {
                    let paused = UInt32(state) == VIR_DOMAIN_PAUSED.rawValue
                    var mark: SuspendMark?
                    if paused, let raw = virDomainGetMetadata(
                        domain, Int32(VIR_DOMAIN_METADATA_ELEMENT.rawValue), DomainXML.stateNamespace,
                        UInt32(VIR_DOMAIN_AFFECT_LIVE.rawValue))
                    {
                        mark = DomainXML.parseStateElement(String(cString: raw))
                        free(raw)
                    }
                    result.append(
                        DomainSummary(
                            name: name, metadata: metadata, isPaused: paused, isSuspended: mark == .suspended,
                            isParked: mark == .parked))
                }
            }
            return result
        }
    }

    /// Runs a blocking libvirt call on the private queue. A failed call whose connection turns
    /// out to be dead starts the reconnect at once.
    private func run<T: Sendable>(
        on connection: LibvirtConnection, _ body: @escaping @Sendable () throws(HypervisorError) -> T
    ) async throws(HypervisorError) -> T {
        let result: Result<T, HypervisorError> = await withCheckedContinuation { continuation in
            queue.async { [self] in
                virResetLastError()
                do throws(HypervisorError) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    checkAlive(connection)
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// libvirt's last error on this thread, as a typed error.
    static func lastError(operation: String, domain: String?) -> HypervisorError {
        .operationFailed(
            operation: operation, domain: domain, code: lastErrorCode(), message: lastErrorMessage())
    }

    static func lastErrorCode() -> Int32 {
        guard let error = virGetLastError() else { return 0 }
        return error.pointee.code
    }

    static func lastErrorMessage() -> String {
        guard let error = virGetLastError(), let message = error.pointee.message else {
            return "unknown libvirt error"
        }
        return String(cString: message)
    }
}
