import CLibvirt

/// Receives lifecycle events on libvirt's event thread and forwards them into an AsyncStream.
/// A plain class with no actor isolation: libvirt calls it from its own thread (see DESIGN.md).
final class LifecycleEventSink: @unchecked Sendable {
    // SAFETY: AsyncStream.Continuation is thread-safe; nothing else is stored.
    let continuation: AsyncStream<DomainEvent>.Continuation
    init(continuation: AsyncStream<DomainEvent>.Continuation) { self.continuation = continuation }
}

/// The C callback for `VIR_DOMAIN_EVENT_ID_LIFECYCLE`.
let lifecycleCallback:
    @convention(c) (
        virConnectPtr?, virDomainPtr?, Int32, Int32, UnsafeMutableRawPointer?
    ) -> Int32 = { _, domain, event, _, opaque in
        guard let domain, let opaque else { return 0 }
        let sink = Unmanaged<LifecycleEventSink>.fromOpaque(opaque).takeUnretainedValue()
        let name = virDomainGetName(domain).map { String(cString: $0) } ?? ""
        sink.continuation.yield(DomainEvent(domainName: name, kind: DomainEvent.Kind(libvirtEvent: event)))
        return 0
    }

/// Releases the sink reference a registration held. The stream stays open: a reconnect
/// registers the same sink on the new connection.
let releaseEventSink: @convention(c) (UnsafeMutableRawPointer?) -> Void = { opaque in
    guard let opaque else { return }
    Unmanaged<LifecycleEventSink>.fromOpaque(opaque).release()
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
