/// How a cell looks. Colors are the eight ANSI colors plus the terminal's default;
/// a monochrome theme uses only the attributes.
public struct Style: Hashable, Sendable {
    public enum Color: UInt8, Hashable, Sendable {
        case `default`, black, red, green, yellow, blue, magenta, cyan, white
    }

    public var foreground: Color
    public var background: Color
    public var bold: Bool
    public var underline: Bool
    public var reverse: Bool
    public var dim: Bool

    public init(
        foreground: Color = .default, background: Color = .default,
        bold: Bool = false, underline: Bool = false, reverse: Bool = false, dim: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.underline = underline
        self.reverse = reverse
        self.dim = dim
    }

    public static let plain = Style()
}
