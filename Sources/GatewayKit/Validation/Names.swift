/// Kubernetes' name rules (`k8s.io/apimachinery/pkg/util/validation`), with its wording,
/// and KubeSphere's stricter route name. Each returns the reasons a value is refused:
/// empty when it is accepted.
///
/// ```swift
/// Validate.dns1123Label("demo")      // []
/// Validate.dns1035Label("1web")      // ["a DNS-1035 label must consist of …"]
/// ```
///
/// Lengths are counted in bytes, as Kubernetes counts them; every character these rules
/// accept is ASCII, so bytes and characters agree on every accepted value.
extension Validate {
    public static let dns1123LabelMaxLength = 63
    public static let dns1123SubdomainMaxLength = 253
    public static let qualifiedNameMaxLength = 63
    public static let labelValueMaxLength = 63

    /// Namespaces (projects) and most names that must fit in one DNS label.
    public static func dns1123Label(_ value: String) -> [String] {
        var reasons = maxLength(value, dns1123LabelMaxLength)
        if !ValidationBytes.isDNS1123Label(value.utf8) {
            reasons.append(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
                    + "and must start and end with an alphanumeric character (e.g. 'my-name' or '123-abc')")
        }
        return reasons
    }

    /// Ingress, Secret, Node and EndpointSlice names; hosts; TLS secret references.
    public static func dns1123Subdomain(_ value: String) -> [String] {
        var reasons = maxLength(value, dns1123SubdomainMaxLength)
        if !ValidationBytes.isDNS1123Subdomain(value.utf8) {
            reasons.append(
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                    + "and must start and end with an alphanumeric character (e.g. 'example.com')")
        }
        return reasons
    }

    /// Service names: a DNS label that starts with a letter, so `1web` is refused.
    public static func dns1035Label(_ value: String) -> [String] {
        var reasons = maxLength(value, dns1123LabelMaxLength)
        let bytes = value.utf8
        let valid =
            ValidationBytes.isDNS1123Label(bytes) && bytes.first.map(ValidationBytes.isLowerLetter) == true
        if !valid {
            reasons.append(
                "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
                    + "alphabetic character, and end with an alphanumeric character (e.g. 'my-name' or 'abc-123')")
        }
        return reasons
    }

    /// A route (Ingress) name as the KubeSphere console accepts it:
    /// `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`, at most 253 characters. That is a DNS-1123
    /// subdomain without dots.
    public static func routeName(_ value: String) -> [String] {
        var reasons = maxLength(value, dns1123SubdomainMaxLength)
        if !ValidationBytes.isDNS1123Label(value.utf8) {
            reasons.append(
                "a route name must consist of lower case alphanumeric characters or '-', and must start and end "
                    + "with an alphanumeric character (e.g. 'web' or 'shop-api'; KubeSphere allows no '.')")
        }
        return reasons
    }

    /// Label and annotation keys: an optional DNS-1123 subdomain prefix (at most 253) and
    /// `/`, then a name of at most 63 characters `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`.
    public static func qualifiedName(_ value: String) -> [String] {
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        let name: Substring
        var reasons: [String] = []
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            name = parts[1]
            if parts[0].isEmpty {
                reasons.append("prefix part must be non-empty")
            } else {
                reasons += dns1123Subdomain(String(parts[0])).map { "prefix part " + $0 }
            }
        default:
            return [
                "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
                    + "with an alphanumeric character, with an optional DNS subdomain prefix and '/' "
                    + "(e.g. 'MyName', 'my.name' or 'example.com/MyName')"
            ]
        }
        if name.isEmpty {
            reasons.append("name part must be non-empty")
        } else {
            if name.utf8.count > qualifiedNameMaxLength {
                reasons.append("name part must be no more than \(qualifiedNameMaxLength) characters")
            }
            if !ValidationBytes.isQualifiedNamePart(name.utf8) {
                reasons.append(
                    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
                        + "with an alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc')")
            }
        }
        return reasons
    }

    /// Label values: empty, or at most 63 characters `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`.
    public static func labelValue(_ value: String) -> [String] {
        var reasons = maxLength(value, labelValueMaxLength)
        if !value.isEmpty && !ValidationBytes.isQualifiedNamePart(value.utf8) {
            reasons.append(
                "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
                    + "and must start and end with an alphanumeric character (e.g. 'MyValue' or 'my_value')")
        }
        return reasons
    }

    /// ConfigMap keys (the gateway's controller options): `[-._a-zA-Z0-9]+`, at most 253,
    /// not `.` or `..` nor starting with `..`.
    public static func configKey(_ value: String) -> [String] {
        var reasons = maxLength(value, dns1123SubdomainMaxLength)
        let bytes = value.utf8
        let allowed = { (b: UInt8) in ValidationBytes.isAlphanumeric(b) || b == ValidationBytes.dash || b == ValidationBytes.dot || b == ValidationBytes.underscore }
        if bytes.isEmpty || !bytes.allSatisfy(allowed) {
            reasons.append(
                "a valid config key must consist of alphanumeric characters, '-', '_' or '.' "
                    + "(e.g. 'key.name', 'KEY_NAME' or 'key-name')")
        }
        if value == "." {
            reasons.append("must not be '.'")
        } else if value == ".." {
            reasons.append("must not be '..'")
        } else if value.hasPrefix("..") {
            reasons.append("must not start with '..'")
        }
        return reasons
    }

    /// `must be no more than 63 characters`, Kubernetes' wording, when `value` is longer.
    static func maxLength(_ value: String, _ limit: Int) -> [String] {
        value.utf8.count > limit ? ["must be no more than \(limit) characters"] : []
    }
}

/// Byte-level character classes: hand-written, so no regex is compiled or can fail.
enum ValidationBytes {
    static let dash = UInt8(ascii: "-")
    static let dot = UInt8(ascii: ".")
    static let colon = UInt8(ascii: ":")
    static let underscore = UInt8(ascii: "_")

    static func isLowerLetter(_ b: UInt8) -> Bool { b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") }
    static func isUpperLetter(_ b: UInt8) -> Bool { b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") }
    static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    static func isLowerAlphanumeric(_ b: UInt8) -> Bool { isLowerLetter(b) || isDigit(b) }
    static func isAlphanumeric(_ b: UInt8) -> Bool { isLowerLetter(b) || isUpperLetter(b) || isDigit(b) }
    static func isHexDigit(_ b: UInt8) -> Bool {
        isDigit(b) || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "f")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "F"))
    }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, with no length limit.
    static func isDNS1123Label<C: Collection<UInt8>>(_ bytes: C) -> Bool {
        guard let first = bytes.first, isLowerAlphanumeric(first) else { return false }
        var last = first
        for b in bytes {
            guard isLowerAlphanumeric(b) || b == dash else { return false }
            last = b
        }
        return isLowerAlphanumeric(last)
    }

    /// Labels of `isDNS1123Label` joined by single dots. One pass with no array of labels:
    /// every route's host, name and secret is checked on each nginx.conf render.
    static func isDNS1123Subdomain<C: Collection<UInt8>>(_ bytes: C) -> Bool {
        // `previous` starts as a dot: the first byte begins a label.
        var previous = dot
        for b in bytes {
            if b == dot || b == dash {
                // A label ends (dot) only after an alphanumeric; a dash never begins one.
                guard b == dash ? previous != dot : isLowerAlphanumeric(previous) else { return false }
            } else if !isLowerAlphanumeric(b) {
                return false
            }
            previous = b
        }
        return isLowerAlphanumeric(previous)
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`.
    static func isQualifiedNamePart<C: Collection<UInt8>>(_ bytes: C) -> Bool {
        guard let first = bytes.first, isAlphanumeric(first) else { return false }
        var last = first
        for b in bytes {
            guard isAlphanumeric(b) || b == dash || b == underscore || b == dot else { return false }
            last = b
        }
        return isAlphanumeric(last)
    }
}

