import Dispatch
import Foundation
import GatewayKit

/// Work split over the machine's cores: nginx.conf for 10,000 routes validates every route
/// and prints every server, work that splits cleanly into contiguous ranges.
enum Chunks {
    /// How many chunks at most, when not the machine's cores: tests compare one against several.
    @TaskLocal static var most: Int? = nil

    /// `work` of up to one contiguous range of `0..<count` per core, all at once, each range
    /// at least `atLeast` long (fewer, smaller ranges cost more to hand over than they
    /// save); the results in the ranges' order. `work` must be safe to call from several
    /// threads at once: it reads shared values and writes only what it returns.
    static func map<T: Sendable>(count: Int, atLeast: Int = 1_000, _ work: @Sendable (Range<Int>) -> T) -> [T] {
        let chunks = min(most ?? ProcessInfo.processInfo.activeProcessorCount, count / max(atLeast, 1))
        guard chunks > 1 else { return [work(0..<count)] }
        let results = ResultBox<T>(count: chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            results.set(chunk, work((count * chunk / chunks)..<(count * (chunk + 1) / chunks)))
        }
        return results.takeValues()
    }
}
