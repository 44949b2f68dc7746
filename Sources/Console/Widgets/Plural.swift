/// Counted nouns as the operator reads them: "1 route", "2 routes".
enum Plural {
    /// `count` and the noun, plural unless the count is one (`plural` for irregular ones).
    static func count(_ count: Int, _ noun: String, plural: String? = nil) -> String {
        "\(count) " + (count == 1 ? noun : plural ?? noun + "s")
    }

    /// The verb that agrees with `count`: `matches` for one, `match` for more.
    static func verb(_ count: Int, one: String, many: String) -> String { count == 1 ? one : many }
}
