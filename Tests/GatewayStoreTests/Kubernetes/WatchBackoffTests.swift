@testable import GatewayStore
import Testing

@Suite("Watch backoff: doubling, capped, with jitter")
struct WatchBackoffTests {
    @Test("0.8 s doubling to the 30 s cap; jitter stretches each wait by up to 100 %; a reset starts over")
    func sequence() {
        var backoff = Backoff(WatchPolicy())
        let plain = (0..<8).map { _ in backoff.next(random: 0) }
        #expect(plain == [0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 30, 30].map { Duration.milliseconds(Int($0 * 1000)) })
        #expect(backoff.next(random: 1) == .seconds(60))
        backoff.reset()
        #expect(backoff.next(random: 0.5) == .milliseconds(1200))
    }
}
