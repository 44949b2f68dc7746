import Foundation

extension Array where Element: Sendable {
    /// `map(transform)` with the elements shared out among the cores, `chunk` at a time,
    /// the results in order. An array of at most one chunk is mapped on the calling thread.
    package func parallelMap<T: Sendable>(chunk: Int = 256, _ transform: @Sendable (Element) -> T) -> [T] {
        guard count > chunk else { return map(transform) }
        let chunks = (count + chunk - 1) / chunk
        let results = ResultBox<[T]>(count: chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { index in
            results.set(index, self[(index * chunk)..<Swift.min(count, (index + 1) * chunk)].map(transform))
        }
        return results.takeValues().flatMap { $0 }
    }
}
