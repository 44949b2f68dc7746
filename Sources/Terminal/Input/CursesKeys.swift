import CNcursesw

/// The keys ncurses decodes itself (with `keypad(TRUE)`), as `KeyDecoder` tokens.
///
/// `wget_wch` answers `KEY_CODE_YES` and a `KEY_*` number for keys it found in terminfo,
/// `OK` and a character for everything else (escape sequences it did not know arrive as
/// their characters, and `KeyDecoder` parses them).
enum CursesKeys {
    /// The token for one `wget_wch` result, or nil for `ERR` and keys kgate has no use for.
    static func token(status: Int32, code: UInt32) -> KeyDecoder.Token? {
        switch status {
        case OK:
            return Unicode.Scalar(code).map(KeyDecoder.Token.scalar)
        case KEY_CODE_YES:
            if Int32(code) == KEY_RESIZE { return .resize }
            return key(Int32(code)).map(KeyDecoder.Token.key)
        default:
            return nil
        }
    }

    static func key(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP, KEY_SR: return .up
        case KEY_DOWN, KEY_SF: return .down
        case KEY_LEFT, KEY_SLEFT: return .left
        case KEY_RIGHT, KEY_SRIGHT: return .right
        case KEY_HOME, KEY_A1: return .home
        case KEY_END, KEY_C1, KEY_LL: return .end
        case KEY_PPAGE, KEY_A3: return .pageUp
        case KEY_NPAGE, KEY_C3: return .pageDown
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_IC: return .insert
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case (KEY_F0 + 1)...(KEY_F0 + 63): return .function(Int(code - KEY_F0))
        default: return nil
        }
    }
}
