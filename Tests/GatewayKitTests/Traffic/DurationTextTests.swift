import GatewayKit
import Testing

/// `--since` and `--window`: kubectl's durations, and refusals that name the flag and say why.
@Suite struct DurationTextTests {
    @Test(arguments: [("30s", 30), ("5m", 300), ("1h", 3600), ("1h30m", 5400), ("2h0m5s", 7205), ("90s", 90)])
    func reads(_ text: String, seconds: Int) throws {
        #expect(try DurationText.parse(text, option: "--window") == .seconds(seconds))
    }

    @Test(arguments: [
        ("", "--since: must be a duration, such as 30s, 5m or 1h30m; not empty"),
        ("10", "--since: \"10\" is not a duration: the number 10 has no unit (s, m or h), such as 30s, 5m or 1h30m"),
        ("5d", "--since: \"5d\" is not a duration: units are s, m and h, such as 30s, 5m or 1h30m"),
        ("m", "--since: \"m\" is not a duration: a number must come before each unit, such as 30s, 5m or 1h30m"),
        ("5m1h", "--since: \"5m1h\" is not a duration: give each unit once, largest first, such as 30s, 5m or 1h30m"),
        ("0s", "--since: must be longer than 0s"),
        ("-5m", "--since: \"-5m\" is not a duration: units are s, m and h, such as 30s, 5m or 1h30m"),
        ("1\u{1B}[2Jm", "--since: \"1\\u{1B}[2Jm\" is not a duration: units are s, m and h, such as 30s, 5m or 1h30m"),
    ])
    func refuses(_ text: String, message: String) {
        #expect(throws: FieldError.self) { try DurationText.parse(text, option: "--since") }
        do {
            _ = try DurationText.parse(text, option: "--since")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func printsTheShortestText() {
        #expect(DurationText.text(.seconds(300)) == "5m")
        #expect(DurationText.text(.seconds(5400)) == "1h30m")
        #expect(DurationText.text(.seconds(45)) == "45s")
        #expect(DurationText.text(.seconds(0)) == "0s")
    }
}
