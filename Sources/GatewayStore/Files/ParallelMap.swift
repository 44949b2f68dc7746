import Foundation

extension Array where Element: Sendable {
    /// `map(transform)` with the elements shared out among the cores, `chunk` at a time,
    /// the results in order. An array of at most one chunk is mapped on the calling thread.
    func parallelMap<T: Sendable>(chunk: Int = 256, _ transform: @Sendable (Element) -> T) -> [T] {
        guard count > chunk else { return map(transform) }
        let chunks = (count + chunk - 1) / chunk
        let results = ResultBox<[T]>(count: chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { index in
            results.set(index, self[(index * chunk)..<Swift.min(count, (index + 1) * chunk)].map(transform))
        }
        return results.values.flatMap { $0 }
    }
}

/// Results written by parallel workers, one slot each.
final class ResultBox<Value>: @unchecked Sendable {
    private var slots: [Value?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Value) { lock.withLock { slots[index] = value } }
    var values: [Value] { lock.withLock { slots.compactMap { $0 } } }
}
