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

/// Values handed to and from `Chunks.map`'s ranges by move rather than by copy: each is
/// put once and taken once, by the one range that holds its index, so that a value held
/// alone (a server's table of locations) stays so and its parts are moved on, not copied
/// and then destroyed.
final class Handover<Element>: @unchecked Sendable {
    private enum Slot: UInt8 { case empty, held, taken }
    private let base: UnsafeMutablePointer<Element>
    /// Each index's state: written only by the range holding the index.
    private let slots: UnsafeMutablePointer<Slot>
    let capacity: Int
    /// How many values `append` has put, at the first indices.
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: max(capacity, 1))
        slots = .allocate(capacity: max(capacity, 1))
        slots.initialize(repeating: .empty, count: capacity)
    }

    /// Puts `value` at the next index: only before the values are handed over.
    func append(_ value: consuming Element) {
        put(value, at: count)
        count += 1
    }

    func put(_ value: consuming Element, at index: Int) {
        precondition(index >= 0 && index < capacity && slots[index] == .empty, "index \(index) is not free")
        (base + index).initialize(to: value)
        slots[index] = .held
    }

    /// The value at `index`, moved out; each index is taken once.
    func take(_ index: Int) -> Element {
        precondition(index >= 0 && index < capacity && slots[index] == .held, "no value at \(index) to take")
        slots[index] = .taken
        return (base + index).move()
    }

    deinit {
        for index in 0..<capacity where slots[index] == .held { (base + index).deinitialize(count: 1) }
        slots.deinitialize(count: capacity)
        base.deallocate()
        slots.deallocate()
    }
}

extension Chunks {
    /// `work` on each of the first `values.count` values, each moved to it, on every core;
    /// the results at the same indices, each to be taken once.
    static func map<Element: Sendable, Result: Sendable>(
        taking values: Handover<Element>, atLeast: Int = 1_000, _ work: @Sendable (consuming Element) -> Result
    ) -> Handover<Result> {
        let results = Handover<Result>(capacity: values.count)
        _ = map(count: values.count, atLeast: atLeast) { range in
            for index in range { results.put(work(values.take(index)), at: index) }
        }
        return results
    }
}
