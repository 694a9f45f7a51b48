/// Polls until `condition` holds (at most about two seconds); the work being waited for runs in
/// other tasks, so the tests cannot simply await it.
func eventually(_ condition: () async -> Bool) async -> Bool {
    for _ in 0..<2000 {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(1))
    }
    return false
}
