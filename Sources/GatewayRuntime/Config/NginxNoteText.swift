/// The text of notes and route names, made once per route or host: written into storage
/// sized once rather than grown part by part.
extension Planner {
    /// `namespace/name`, as notes and the access log name a route (one a route in a plan):
    /// written into its storage as `joined` writes, where `+` took some 400 instructions a
    /// part for a short result and interpolation twice that.
    static func qualified(_ namespace: String, _ name: String) -> String {
        String(unsafeUninitializedCapacity: namespace.utf8.count + 1 + name.utf8.count) { buffer in
            var written = 0
            put(namespace, into: buffer, at: &written)
            buffer[written] = UInt8(ascii: "/")
            written += 1
            put(name, into: buffer, at: &written)
            return written
        }
    }

    /// The parts joined, written straight into the note's own storage: notes made per
    /// route or per host (a 503, a missing TLS secret). Interpolation grew the string part
    /// by part (two fifths of the TLS hosts' check at 10,000 routes), as `+=` does at some
    /// 340 instructions a part; a list of parts retained and released each one.
    static func joined(
        _ a: String, _ b: String, _ c: String, _ d: String, _ e: String, _ f: String = "", _ g: String = ""
    ) -> String {
        let count = a.utf8.count + b.utf8.count + c.utf8.count + d.utf8.count + e.utf8.count + f.utf8.count + g.utf8.count
        return String(unsafeUninitializedCapacity: count) { buffer in
            var written = 0
            put(a, into: buffer, at: &written)
            put(b, into: buffer, at: &written)
            put(c, into: buffer, at: &written)
            put(d, into: buffer, at: &written)
            put(e, into: buffer, at: &written)
            put(f, into: buffer, at: &written)
            put(g, into: buffer, at: &written)
            return written
        }
    }

    /// Copies `part`'s UTF-8 into `buffer` from `written` on, read where the string holds it.
    private static func put(_ part: String, into buffer: UnsafeMutableBufferPointer<UInt8>, at written: inout Int) {
        let rest = UnsafeMutableBufferPointer(rebasing: buffer[written...])
        written += part.utf8.withContiguousStorageIfAvailable { rest.initialize(fromContentsOf: $0) }
            ?? rest.initialize(fromContentsOf: part.utf8)
    }
}
