/// Port rules: numbers, IANA service names, node ports within the cluster's range, and
/// protocols.
///
/// | port name           | verdict                                   |
/// | ------------------- | ----------------------------------------- |
/// | `http`, `h2c`, `web-8080` | accepted                            |
/// | `http--x`           | must not contain consecutive hyphens      |
/// | `-http`             | must not begin or end with a hyphen       |
/// | `1234`              | must contain at least one letter (a-z)    |
/// | `a234567890123456`  | must be no more than 15 characters        |
extension Validate {
    public static let portNameMaxLength = 15
    public static let portNumberReason = "must be between 1 and 65535, inclusive"

    /// 1–65535.
    public static func portNumber(_ port: Int) -> [String] {
        (1...65535).contains(port) ? [] : [portNumberReason]
    }

    /// An IANA service name (RFC 6335): at most 15 characters of `[-a-z0-9]`, at least one
    /// letter, no `--`, no leading or trailing `-`.
    public static func portName(_ name: String) -> [String] {
        var reasons = maxLength(name, portNameMaxLength)
        let bytes = name.utf8
        if bytes.isEmpty || !bytes.allSatisfy({ ValidationBytes.isLowerAlphanumeric($0) || $0 == ValidationBytes.dash }) {
            reasons.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
        }
        if name.contains("--") { reasons.append("must not contain consecutive hyphens") }
        if !bytes.contains(where: ValidationBytes.isLowerLetter) { reasons.append("must contain at least one letter (a-z)") }
        if name.hasPrefix("-") || name.hasSuffix("-") { reasons.append("must not begin or end with a hyphen") }
        return reasons
    }

    /// A node port inside the cluster's range: `not in the valid range 30000-32767`.
    public static func nodePort(_ port: Int, in range: ClosedRange<Int>) -> [String] {
        range.contains(port) ? [] : ["not in the valid range \(range.lowerBound)-\(range.upperBound)"]
    }

    /// A container port: a number 1–65535 or an IANA name (a Service's `targetPort`).
    public static func portNumberOrName(_ text: String) -> [String] {
        if let number = Int(text) { return portNumber(number) }
        return portName(text)
    }

    public static let supportedProtocols = ["TCP", "UDP", "SCTP"]

    /// `TCP`, `UDP` or `SCTP`, exactly.
    public static func portProtocol(_ value: String) -> [String] {
        supportedProtocols.contains(value) ? [] : [unsupportedValue(value, supported: supportedProtocols)]
    }

    /// Kubernetes' "Unsupported value" wording, with the values that are.
    public static func unsupportedValue(_ value: String, supported: [String]) -> String {
        let list = supported.map { "\"\($0)\"" }.joined(separator: ", ")
        return "unsupported value \(quoted(value)): supported values are \(list)"
    }

    /// `value` in double quotes with control characters escaped, so that a reason never
    /// carries a line break or a terminal escape sequence into the console.
    static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars.prefix(80) {
            if TextRules.isControl(scalar) || scalar == "\"" || scalar == "\\" {
                out += TextRules.escape(scalar)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        if value.unicodeScalars.count > 80 { out += "…" }
        return out + "\""
    }
}
