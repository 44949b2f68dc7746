/// HTTP paths of Ingress rules: Kubernetes' rules per pathType, and kgate's safety rules,
/// since every path ends up in nginx.conf.
///
/// | pathType               | path          | verdict                              |
/// | ---------------------- | ------------- | ------------------------------------ |
/// | Prefix                 | `/api/v1`     | accepted                             |
/// | Exact                  | `api`         | must be an absolute path             |
/// | Prefix                 | `/a//b`       | must not contain '//'                |
/// | Prefix                 | `/a/..`       | cannot end with '/..'                |
/// | Exact                  | `/a%2fb`      | must not contain '%2f'               |
/// | Prefix                 | `/a b`        | must not contain ' ' (kgate's rule)  |
/// | ImplementationSpecific | `/(.*)`       | accepted (ingress-nginx regex)       |
/// | ImplementationSpecific | `/a;b`        | must not contain ';'                 |
extension Validate {
    public static let supportedPathTypes = PathType.allCases.map(\.rawValue)

    /// Reads a pathType exactly (`Exact`, `Prefix`, `ImplementationSpecific`); `field` is
    /// where the refusal is addressed, e.g. `spec.rules[0].http.paths[1].pathType`.
    public static func pathType(_ text: String, at field: FieldPath) -> Result<PathType, FieldError> {
        guard let type = PathType(rawValue: text) else {
            let reason = text.isEmpty ? "pathType must be specified" : unsupportedValue(text, supported: supportedPathTypes)
            return .failure(FieldError(field, reason))
        }
        return .success(type)
    }

    /// The errors of one `paths[j]` entry's path and pathType, addressed below `field`
    /// (`….paths[j].path`, `….paths[j].pathType`).
    public static func httpPath(_ path: String, pathType: PathType?, at field: @autoclosure () -> FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        guard let pathType else {
            errors.append(FieldError(field().child("pathType"), "pathType must be specified"))
            return errors
        }
        errors.append(pathReasons(path, pathType: pathType), at: field().child("path"))
        return errors
    }

    /// The reasons `path` is refused under `pathType`. As in Kubernetes, only an
    /// ImplementationSpecific path may be empty (ingress-nginx serves it as `/`).
    public static func pathReasons(_ path: String, pathType: PathType) -> [String] {
        if path.isEmpty { return pathType == .implementationSpecific ? [] : ["must be an absolute path"] }
        if pathType != .implementationSpecific, isPlainPath(path) { return [] }
        var reasons: [String] = []
        if !path.hasPrefix("/") { reasons.append("must be an absolute path") }
        switch pathType {
        case .exact, .prefix:
            for sequence in ["//", "/./", "/../", "%2f", "%2F"] where holds(path, sequence) {
                reasons.append("must not contain '\(sequence)'")
            }
            for suffix in ["/..", "/."] where path.hasSuffix(suffix) {
                reasons.append("cannot end with '\(suffix)'")
                break
            }
            if let bad = path.unicodeScalars.first(where: { !isSafePathCharacter($0) }) {
                reasons.append(
                    "must not contain \(describe(bad)): Exact and Prefix paths may hold only letters, digits "
                        + "and '.', '_', '~', '-', '/'")
            }
        case .implementationSpecific:
            if let bad = path.unicodeScalars.first(where: isDangerousInNginx) {
                reasons.append("must not contain \(describe(bad)): the path is written into nginx.conf")
            }
        }
        return reasons
    }

    /// `text.contains(part)` for the ASCII parts above: a byte search when `text` is
    /// ASCII too (the usual path: a Foundation search per path made nginx.conf for 10,000
    /// routes slow), else the character search as before.
    /// The search is written out: `utf8.firstRange(of:)` is generic code from
    /// _StringProcessing that builds type metadata per call, 30 % of nginx.conf for
    /// 10,000 routes (kgate-bench `nginx_render_10000_ms`).
    private static func holds(_ text: String, _ part: String) -> Bool {
        let found = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return part.utf8.withContiguousStorageIfAvailable { needle in
                guard let first = needle.first, needle.count <= bytes.count else { return false }
                for start in 0...(bytes.count - needle.count) where bytes[start] == first {
                    if (1..<needle.count).allSatisfy({ bytes[start + $0] == needle[$0] }) { return true }
                }
                return false
            } ?? nil
        } ?? nil
        return found ?? text.contains(part)
    }

    /// An Exact or Prefix path none of the rules below can refuse, found in one pass over
    /// its bytes: absolute, only safe characters, no empty segment but a last one, no `.`
    /// or `..` segment. The usual path; every other goes through the rules one by one.
    private static func isPlainPath(_ path: String) -> Bool {
        var segment = 0
        var dots = 0
        var first = true
        for byte in path.utf8 {
            if first {
                guard byte == UInt8(ascii: "/") else { return false }
                first = false
                continue
            }
            if byte == UInt8(ascii: "/") {
                // `//`, `/./`, `/../`
                guard segment > 0, !(segment == dots && dots <= 2) else { return false }
                segment = 0
                dots = 0
                continue
            }
            guard isSafePathCharacter(Unicode.Scalar(byte)) else { return false }
            segment += 1
            if byte == UInt8(ascii: ".") { dots += 1 }
        }
        // `/.`, `/..` at the end; an empty last segment is a trailing slash.
        return !first && !(segment > 0 && segment == dots && dots <= 2)
    }

    /// `^/[A-Za-z0-9._~\-/]*$`, one character at a time.
    private static func isSafePathCharacter(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.isASCII else { return false }
        let b = UInt8(truncatingIfNeeded: scalar.value)
        return ValidationBytes.isAlphanumeric(b) || "._~-/".utf8.contains(b)
    }

    /// What could end an nginx token or start a comment or variable: whitespace, quotes,
    /// `;`, braces, `#`, `$`, backslash; and anything not printable ASCII.
    private static func isDangerousInNginx(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.isASCII, scalar.value > 0x20, scalar.value < 0x7F else { return true }
        return "\"'`;{}#$\\".unicodeScalars.contains(scalar)
    }

    /// `';'`, `a space`, `'\n'`, `'é'`: a character named so that the operator sees it.
    private static func describe(_ scalar: Unicode.Scalar) -> String {
        if scalar == " " { return "a space" }
        if TextRules.isControl(scalar) { return "'\(TextRules.escape(scalar))'" }
        return "'\(scalar)'"
    }
}
