import Foundation

/// Failed authentications per source address, for the rate limit: after `limit` failures
/// within `window`, that address is refused outright until the window has passed.
/// Pure: the time is passed in.
public struct FailedAttempts: Sendable {
    public var limit: Int
    public var window: TimeInterval
    private var failures: [String: [Date]] = [:]

    public init(limit: Int = 5, window: TimeInterval = 60) {
        self.limit = limit
        self.window = window
    }

    public mutating func record(_ address: String, at now: Date) {
        failures[address, default: []].append(now)
        forgetOld(now)
    }

    public func isBlocked(_ address: String, at now: Date) -> Bool {
        (failures[address] ?? []).filter { now.timeIntervalSince($0) < window }.count >= limit
    }

    /// Keeps the table bounded however many addresses try.
    private mutating func forgetOld(_ now: Date) {
        failures = failures.compactMapValues { dates in
            let recent = dates.filter { now.timeIntervalSince($0) < window }
            return recent.isEmpty ? nil : recent
        }
    }
}
