/// Waits for `condition`, checking every 20 ms, `seconds` worth of checks. Bounded by
/// checks rather than by the clock: when the test run's threads are all busy (two cores,
/// many tests blocking on processes), a clock deadline passes while nothing ran, and the
/// wait would fail though the condition was never given its time.
public func eventually(_ seconds: Double = 20, _ condition: () -> Bool) async -> Bool {
    for _ in 0..<max(1, Int(seconds * 50)) {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return condition()
}

/// `eventually` for a condition that itself awaits (a `load()`), by the same count of checks.
public func eventuallyAsync(_ seconds: Double = 20, _ condition: () async -> Bool) async -> Bool {
    for _ in 0..<max(1, Int(seconds * 50)) {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return await condition()
}
