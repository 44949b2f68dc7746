import Foundation

/// `reload.json` in the runtime folder: when `kgate serve` last had nginx load a config
/// (at start or on a change), and the last change nginx refused, so that another kgate
/// (`gateway logs`, the console) can tell the operator without asking the serving one.
///
///     {"loaded":1764658800.5,"refused":1764658900.25,"error":"nginx refused the config: …"}
///
/// A successful load clears the error: the config that serves is then the newest one.
public struct ReloadRecord: Hashable, Sendable, Codable {
    public var loaded: Date?
    public var refused: Date?
    public var error: String?

    public init(loaded: Date?, refused: Date? = nil, error: String? = nil) {
        self.loaded = loaded
        self.refused = refused
        self.error = error
    }

    init?(data: Data) {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        guard let record = try? decoder.decode(ReloadRecord.self, from: data) else { return nil }
        self = record
    }

    var data: Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }
}
