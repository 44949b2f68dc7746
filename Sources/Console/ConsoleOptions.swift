/// How the console looks and what it may do, as the command line set it.
public struct ConsoleOptions: Hashable, Sendable {
    /// `--read-only` (or a read-only store): write keys are hidden and refused.
    public var readOnly: Bool
    /// `--ascii`: no box drawing or symbols, for terminals without Unicode.
    public var ascii: Bool
    /// `--no-color` / `NO_COLOR`: attributes only (selection is reverse video).
    public var monochrome: Bool
    /// `--project P`: open P's Internet Access instead of the project list.
    public var initialProject: String?

    public init(readOnly: Bool = false, ascii: Bool = false, monochrome: Bool = false, initialProject: String? = nil) {
        self.readOnly = readOnly
        self.ascii = ascii
        self.monochrome = monochrome
        self.initialProject = initialProject
    }
}
