import CLibvirt
import Logging

/// One open connection to libvirtd with its registrations: lifecycle events into the shared
/// sink, a close callback that tells the owner, and keepalive so a dead peer is noticed.
struct LibvirtSession: @unchecked Sendable {
    // SAFETY: the connection pointer is thread-safe; the ids are written once.
    let connection: LibvirtConnection
    private let lifecycleCallbackID: Int32

    init(uri: String, sink: LifecycleEventSink, owner: LibvirtHypervisor, logger: Logger) throws(HypervisorError) {
        guard let pointer = virConnectOpen(uri) else {
            throw .connectionFailed(uri: uri, message: LibvirtHypervisor.lastErrorMessage())
        }
        connection = LibvirtConnection(pointer: pointer)
        lifecycleCallbackID = virConnectDomainEventRegisterAny(
            pointer, nil, Int32(VIR_DOMAIN_EVENT_ID_LIFECYCLE.rawValue),
            unsafeBitCast(lifecycleCallback, to: virConnectDomainEventGenericCallback.self),
            Unmanaged.passRetained(sink).toOpaque(), releaseEventSink)
        if lifecycleCallbackID < 0 {
            logger.warning("libvirt lifecycle events unavailable", metadata: ["error": "\(LibvirtHypervisor.lastErrorMessage())"])
        }
        // The owner lives as long as the process; the close callback does not retain it.
        if virConnectRegisterCloseCallback(pointer, closeCallback, Unmanaged.passUnretained(owner).toOpaque(), nil) < 0 {
            logger.warning("libvirt close notifications unavailable", metadata: ["error": "\(LibvirtHypervisor.lastErrorMessage())"])
        }
        // A ping every 2 s, dead after 3 unanswered: a hung libvirtd is noticed in about 8 s; a
        // killed one at once, when its socket closes.
        _ = virConnectSetKeepAlive(pointer, 2, 3)
    }

    /// Deregisters and closes the connection.
    func close() {
        _ = virConnectUnregisterCloseCallback(connection.pointer, closeCallback)
        if lifecycleCallbackID >= 0 { _ = virConnectDomainEventDeregisterAny(connection.pointer, lifecycleCallbackID) }
        _ = virConnectClose(connection.pointer)
    }
}

/// libvirt's `virConnectCloseFunc`: the connection dropped (EOF, keepalive, error).
private let closeCallback: @convention(c) (virConnectPtr?, Int32, UnsafeMutableRawPointer?) -> Void = {
    pointer, reason, opaque in
    guard let pointer, let opaque else { return }
    let owner = Unmanaged<LibvirtHypervisor>.fromOpaque(opaque).takeUnretainedValue()
    owner.connectionClosed(LibvirtConnection(pointer: pointer), reason: reason)
}
