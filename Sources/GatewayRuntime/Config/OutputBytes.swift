/// The bytes of a file being written, appended at the end and nowhere else: a buffer of
/// its own rather than `[UInt8]`, whose `append(contentsOf:)` of a few bytes cost some 70
/// instructions besides the copy (nginx.conf for 10,000 routes appends 650,000 times).
///
/// A class, so that a `Printer` holds it by reference; each printer has its own and no
/// two threads ever share one.
final class OutputBytes {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        if count + bytes.count > capacity { grow(to: count + bytes.count) }
        (base + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    /// `text`'s UTF-8, read where the string holds it: a native string is borrowed, not
    /// copied (`var text = text; text.withUTF8` retained and released every string
    /// written, two atomic operations a line, 2.5 million for nginx.conf of 10,000 routes).
    @inline(__always)
    func append(_ text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ append($0) }) == nil {
            var text = text
            text.withUTF8 { append($0) }
        }
    }

    /// `count` copies of `byte`.
    func append(repeating byte: UInt8, count: Int) {
        if self.count + count > capacity { grow(to: self.count + count) }
        (base + self.count).initialize(repeating: byte, count: count)
        self.count += count
    }

    /// The bytes as text (they are UTF-8: every value written comes from a `String`).
    var text: String { String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self) }

    /// Empties the buffer, keeping its memory.
    func removeAll() { count = 0 }

    private func grow(to needed: Int) {
        let larger = max(needed, capacity * 2)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.initialize(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = larger
    }
}
