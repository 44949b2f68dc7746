/// A word for a POSIX shell command line: left bare when it holds only characters no
/// shell treats specially, else in single quotes (a `'` inside becomes `'\''`), so that a
/// printed command does what it says when pasted.
///
///     ShellWord.quote("http://127.0.0.1:30798/")   // http://127.0.0.1:30798/
///     ShellWord.quote("Host: a.example.com")       // 'Host: a.example.com'
///     ShellWord.quote("/it's")                     // '/it'\''s'
public enum ShellWord {
    public static func quote(_ word: String) -> String {
        guard word.isEmpty || !word.unicodeScalars.allSatisfy(isBare) else { return word }
        return "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }

    /// A command line of quoted words.
    public static func command(_ words: [String]) -> String { words.map(quote).joined(separator: " ") }

    private static func isBare(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": true
        case "-", "_", ".", "/", ":", "@", "%", "+", ",", "=": true
        default: false
        }
    }
}
