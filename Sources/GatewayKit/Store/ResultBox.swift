import Foundation

/// Results written by parallel workers, one slot each (the store's `parallelMap`, the
/// local gateway's `Chunks`).
package final class ResultBox<Value>: @unchecked Sendable {
    private var slots: [Value?]
    private let lock = NSLock()

    package init(count: Int) { slots = Array(repeating: nil, count: count) }

    package func set(_ index: Int, _ value: Value) { lock.withLock { slots[index] = value } }
    package var values: [Value] { lock.withLock { slots.compactMap { $0 } } }
}
