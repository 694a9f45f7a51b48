import CLibvirt
import Foundation
import Logging

/// `Hypervisor` over libvirt's C API.
///
/// libvirt calls block (a create takes ~300 ms here), so they run on a private concurrent
/// dispatch queue and never on Swift's cooperative pool. Lifecycle events come from libvirt's
/// default event loop, driven by `LibvirtEventLoop` on its own thread.
public final class LibvirtHypervisor: Hypervisor, @unchecked Sendable {
    // SAFETY: `connection` is written once in init and libvirt connections are thread-safe;
    // the other stored properties are immutable or Sendable.
    private let connection: LibvirtConnection
    private let uri: String
    private let queue = DispatchQueue(label: "summoner.libvirt", attributes: .concurrent)
    private let eventSink: LifecycleEventSink
    private var callbackID: Int32 = -1
    public let events: AsyncStream<DomainEvent>

    /// Connects to `uri` (for example `qemu:///system`) and subscribes to lifecycle events.
    public init(uri: String, logger: Logger) throws(HypervisorError) {
        LibvirtEventLoop.shared.startIfNeeded()
        guard let connection = virConnectOpen(uri) else {
            throw .connectionFailed(uri: uri, message: LibvirtHypervisor.lastErrorMessage())
        }
        self.connection = LibvirtConnection(pointer: connection)
        self.uri = uri
        let (stream, continuation) = AsyncStream.makeStream(of: DomainEvent.self)
        self.events = stream
        self.eventSink = LifecycleEventSink(continuation: continuation)
        let opaque = Unmanaged.passRetained(eventSink).toOpaque()
        callbackID = virConnectDomainEventRegisterAny(
            connection, nil, Int32(VIR_DOMAIN_EVENT_ID_LIFECYCLE.rawValue),
            unsafeBitCast(lifecycleCallback, to: virConnectDomainEventGenericCallback.self),
            opaque, releaseEventSink)
        if callbackID < 0 {
            logger.warning(
                "libvirt lifecycle events unavailable",
                metadata: ["error": "\(LibvirtHypervisor.lastErrorMessage())"])
        }
    }

    deinit {
        if callbackID >= 0 { virConnectDomainEventDeregisterAny(connection.pointer, callbackID) }
        virConnectClose(connection.pointer)
    }

    public func start(_ spec: DomainSpec, paused: Bool) async throws(HypervisorError) {
        let xml = DomainXML.render(spec)
        let flags = paused ? UInt32(VIR_DOMAIN_START_PAUSED.rawValue) : 0
        try await run { [connection] () throws(HypervisorError) in
            guard let domain = virDomainCreateXML(connection.pointer, xml, flags) else {
                throw LibvirtHypervisor.lastError(operation: paused ? "create paused" : "create", domain: spec.name)
            }
            virDomainFree(domain)
        }
    }

    public func resume(domainName: String) async throws(HypervisorError) {
        try await run { [connection] () throws(HypervisorError) in
            guard let domain = virDomainLookupByName(connection.pointer, domainName) else {
                throw LibvirtHypervisor.lastError(operation: "lookup", domain: domainName)
            }
            defer { virDomainFree(domain) }
            guard virDomainResume(domain) == 0 else {
                throw LibvirtHypervisor.lastError(operation: "resume", domain: domainName)
            }
        }
    }

    public func stop(domainName: String) async throws(HypervisorError) {
        try await run { [connection] () throws(HypervisorError) in
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
        try await run { [connection] () throws(HypervisorError) -> [DomainSummary] in
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
                    result.append(DomainSummary(name: name, metadata: metadata, isPaused: paused))
                }
            }
            return result
        }
    }

    /// Runs a blocking libvirt call on the private queue.
    private func run<T: Sendable>(_ body: @escaping @Sendable () throws(HypervisorError) -> T)
        async throws(HypervisorError) -> T
    {
        let result: Result<T, HypervisorError> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(HypervisorError) {
                    continuation.resume(returning: .success(try body()))
                } catch {
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

/// Receives lifecycle events on libvirt's event thread and forwards them into an AsyncStream.
/// A plain class with no actor isolation: libvirt calls it from its own thread (see DESIGN.md).
final class LifecycleEventSink: @unchecked Sendable {
    // SAFETY: AsyncStream.Continuation is thread-safe; nothing else is stored.
    let continuation: AsyncStream<DomainEvent>.Continuation
    init(continuation: AsyncStream<DomainEvent>.Continuation) { self.continuation = continuation }
}

/// The C callback for `VIR_DOMAIN_EVENT_ID_LIFECYCLE`.
private let lifecycleCallback:
    @convention(c) (
        virConnectPtr?, virDomainPtr?, Int32, Int32, UnsafeMutableRawPointer?
    ) -> Int32 = { _, domain, event, _, opaque in
        guard let domain, let opaque else { return 0 }
        let sink = Unmanaged<LifecycleEventSink>.fromOpaque(opaque).takeUnretainedValue()
        let name = virDomainGetName(domain).map { String(cString: $0) } ?? ""
        sink.continuation.yield(DomainEvent(domainName: name, kind: DomainEvent.Kind(libvirtEvent: event)))
        return 0
    }

private let releaseEventSink: @convention(c) (UnsafeMutableRawPointer?) -> Void = { opaque in
    guard let opaque else { return }
    let sink = Unmanaged<LifecycleEventSink>.fromOpaque(opaque).takeRetainedValue()
    sink.continuation.finish()
}

extension DomainEvent.Kind {
    /// Translates `virDomainEventType`.
    init(libvirtEvent: Int32) {
        switch UInt32(bitPattern: libvirtEvent) {
        case VIR_DOMAIN_EVENT_STARTED.rawValue: self = .started
        case VIR_DOMAIN_EVENT_SUSPENDED.rawValue: self = .suspended
        case VIR_DOMAIN_EVENT_RESUMED.rawValue: self = .resumed
        case VIR_DOMAIN_EVENT_STOPPED.rawValue, VIR_DOMAIN_EVENT_SHUTDOWN.rawValue: self = .stopped
        case VIR_DOMAIN_EVENT_CRASHED.rawValue: self = .crashed
        default: self = .other
        }
    }
}

/// A libvirt connection pointer that may cross threads.
struct LibvirtConnection: @unchecked Sendable {
    // SAFETY: libvirt connections are thread-safe (each API call locks the connection).
    let pointer: virConnectPtr
}
