import CLibvirt
import Foundation

/// libvirt's default event loop, run on a dedicated thread for the life of the process.
///
/// It must be registered before the first connection is opened, or that connection delivers no
/// events. Errors are routed away from stderr: they are reported through typed errors instead.
final class LibvirtEventLoop: @unchecked Sendable {
    // SAFETY: `started` is only touched under `lock`.
    static let shared = LibvirtEventLoop()
    private let lock = DispatchSemaphore(value: 1)
    private var started = false

    func startIfNeeded() {
        lock.wait()
        defer { lock.signal() }
        guard !started else { return }
        started = true
        virInitialize()
        virSetErrorFunc(nil, silenceLibvirtErrors)
        virEventRegisterDefaultImpl()
        let thread = Thread { while virEventRunDefaultImpl() == 0 {} }
        thread.start()
    }
}

/// libvirt prints every error to stderr by default; we report them ourselves.
private let silenceLibvirtErrors: @convention(c) (UnsafeMutableRawPointer?, virErrorPtr?) -> Void = {
    _, _ in
}
