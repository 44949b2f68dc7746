/// A path to a field as a list of segments: `spec.rules[0].http.paths[1].backend.service.name`
/// is `spec`, `rules`, `0`, `http`, `paths`, `1`, `backend`, `service`, `name`. Forms match
/// segments by value (`rules[r].host`), never the printed text by prefix.
///
///     let host = FieldPath("spec.rules").index(0).child("host")
///     host.segments  // [.field("spec"), .field("rules"), .index(0), .field("host")]
///     "\(host)"      // spec.rules[0].host
///
/// A string (or string literal) is parsed into segments, so code that built paths from text
/// keeps compiling; text that is no path (`line 3, column 4`) stays one opaque segment and
/// prints as it was given.
public struct FieldPath: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public enum Segment: Hashable, Sendable {
        /// `.name`
        case field(String)
        /// `[3]`
        case index(Int)
        /// `[kubesphere.io/alias-name]`: a map key, kept as given (control characters are
        /// escaped only when printed).
        case key(String)
    }

    public private(set) var segments: [Segment]

    public init(segments: [Segment]) { self.segments = segments }

    /// Parses `spec.rules[0].host`; text that does not print back identically is kept as one
    /// `.field` segment, so the printed form never changes.
    public init(_ path: String) {
        // One name (`metadata`, `spec`): what parsing gives, without parsing and printing.
        if !path.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "[") }) {
            segments = path.isEmpty ? [] : [.field(path)]
            return
        }
        if let parsed = FieldPath.parse(path), FieldPath(segments: parsed).description == path {
            segments = parsed
        } else {
            segments = path.isEmpty ? [] : [.field(path)]
        }
    }

    public init(stringLiteral value: String) { self.init(value) }

    public var description: String {
        var text = ""
        for segment in segments {
            switch segment {
            case .field(let name): text += text.isEmpty ? name : ".\(name)"
            case .index(let i): text += "[\(i)]"
            case .key(let key): text += "[\(FieldPath.escaped(key))]"
            }
        }
        return text
    }

    /// `spec` → `spec.rules`.
    public func child(_ name: String) -> FieldPath { appending(.field(name)) }

    /// `spec.rules` → `spec.rules[0]`.
    public func index(_ i: Int) -> FieldPath { appending(.index(i)) }

    /// `metadata.annotations` → `metadata.annotations[kubesphere.io/alias-name]`.
    /// Control characters in the key are printed escaped (`\n`), so that a path stays one
    /// line whatever key a hostile manifest holds.
    public func key(_ key: String) -> FieldPath { appending(.key(key)) }

    /// This path and one more segment, in one allocation: paths are made for every field
    /// read and validated, not only for those in error.
    private func appending(_ segment: Segment) -> FieldPath {
        var segments: [Segment] = []
        segments.reserveCapacity(self.segments.count + 1)
        segments.append(contentsOf: self.segments)
        segments.append(segment)
        return FieldPath(segments: segments)
    }

    /// Whether this path is `other` or lies below it.
    public func isWithin(_ other: FieldPath) -> Bool { segments.starts(with: other.segments) }

    /// The segments after `prefix`, or nil when this path does not lie within it.
    public func relative(to prefix: FieldPath) -> ArraySlice<Segment>? {
        isWithin(prefix) ? segments.dropFirst(prefix.segments.count) : nil
    }

    private static func escaped(_ key: String) -> String {
        var text = ""
        for scalar in key.unicodeScalars {
            if TextRules.isControl(scalar) { text += TextRules.escape(scalar) } else { text.unicodeScalars.append(scalar) }
        }
        return text
    }

    /// `a.b[0][k/v].c` → segments; nil for text of another shape.
    private static func parse(_ path: String) -> [Segment]? {
        var segments: [Segment] = []
        var rest = Substring(path)
        var expectName = true
        while !rest.isEmpty {
            if rest.first == "[" {
                // A key ends at the `]` followed by the end, `.` or `[` (a key may hold `]`).
                var close: Substring.Index?
                var i = rest.index(after: rest.startIndex)
                while i < rest.endIndex {
                    let next = rest.index(after: i)
                    if rest[i] == "]", next == rest.endIndex || rest[next] == "." || rest[next] == "[" {
                        close = i
                        break
                    }
                    i = next
                }
                guard let close else { return nil }
                let inside = String(rest[rest.index(after: rest.startIndex)..<close])
                if let number = Int(inside), String(number) == inside, number >= 0 {
                    segments.append(.index(number))
                } else {
                    segments.append(.key(inside))
                }
                rest = rest[rest.index(after: close)...]
                expectName = false
            } else {
                if !expectName {
                    guard rest.first == "." else { return nil }
                    rest = rest.dropFirst()
                }
                let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
                let name = String(rest[..<end])
                guard !name.isEmpty else { return nil }
                segments.append(.field(name))
                rest = rest[end...]
                expectName = false
            }
        }
        return segments
    }
}
