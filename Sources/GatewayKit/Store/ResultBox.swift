import Foundation

/// Results written by parallel workers, one slot each (`parallelMap`, the local
/// gateway's `Chunks`).
package final class ResultBox<Value>: @unchecked Sendable {
    private var slots: [Value?]
    private let lock = NSLock()

    package init(count: Int) { slots = Array(repeating: nil, count: count) }

    package func set(_ index: Int, _ value: Value) { lock.withLock { slots[index] = value } }

    /// The values set, in order, moved out rather than copied: the box is left empty.
    package func takeValues() -> [Value] {
        lock.withLock {
            var values: [Value] = []
            values.reserveCapacity(slots.count)
            for index in slots.indices {
                if let value = slots[index].take() { values.append(value) }
            }
            return values
        }
    }
}
