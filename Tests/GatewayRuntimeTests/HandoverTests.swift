import Synchronization
import Testing

@testable import GatewayRuntime

/// Values moved to and from `Chunks.map`'s ranges: each is taken once, in its place, none
/// copied and none lost; what is never taken is still destroyed.
@Suite(.serialized) struct HandoverTests {
    /// Counts how many instances are alive (the suite's tests run one at a time).
    final class Counted: Sendable {
        static let alive = Atomic<Int>(0)
        let value: Int
        init(_ value: Int) {
            self.value = value
            Counted.alive.add(1, ordering: .relaxed)
        }
        deinit { Counted.alive.subtract(1, ordering: .relaxed) }
    }

    @Test(arguments: [1, 2, 3, 7])
    func mapTakingGivesEachResultAtItsIndex(chunks: Int) {
        let count = 5_003
        let values = Handover<Counted>(capacity: count)
        for index in 0..<count { values.append(Counted(index)) }
        // Each value arrives held alone: it was moved, not copied.
        let results = Chunks.$most.withValue(chunks) {
            Chunks.map(taking: values, atLeast: 100) { (value: consuming Counted) -> (value: Int, alone: Bool) in
                (value.value, isKnownUniquelyReferenced(&value))
            }
        }
        #expect(results.capacity == count)
        for index in 0..<count {
            let result = results.take(index)
            #expect(result.value == index)
            #expect(result.alone)
        }
        #expect(Counted.alive.load(ordering: .relaxed) == 0)
    }

    @Test func valuesNeverTakenAreDestroyedWithIt() {
        #expect(Counted.alive.load(ordering: .relaxed) == 0)
        do {
            let values = Handover<Counted>(capacity: 10)
            for index in 0..<6 { values.append(Counted(index)) }
            #expect(values.count == 6)
            let taken = values.take(3)
            #expect(taken.value == 3)
            #expect(Counted.alive.load(ordering: .relaxed) == 6)
        }
        #expect(Counted.alive.load(ordering: .relaxed) == 0)
    }
}
