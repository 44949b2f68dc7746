import Foundation

/// One request as the local gateway's nginx logs it: a JSON line of the `kgate_traffic`
/// log format (see `NginxConfig`), every value a string:
///
///     {"time":"1764658800.125","route":"demo/web","host":"demo.kubesphere.io","path":"/v1",
///      "status":"200","request_time":"0.004","upstream_response_time":"0.003",
///      "method":"GET","request_host":"demo.kubesphere.io","uri":"/v1/items?x=1"}
///
/// `route` and `path` are empty for a request no route claimed (the default server, or a
/// host's 404 location); `host` is the rule's host, empty on the default server.
public struct AccessRecord: Hashable, Sendable {
    /// Seconds since 1970 (nginx's `$msec`).
    public var time: Double
    /// `namespace/name` of the route, "" when none claimed the request.
    public var route: String
    public var host: String
    /// The route's path (as the rule has it), "" when no route claimed the request.
    public var path: String
    public var status: Int
    /// nginx's `$request_time`, in seconds.
    public var requestSeconds: Double
    /// `$upstream_response_time` in seconds; nil when no upstream answered.
    public var upstreamSeconds: Double?

    public init(
        time: Double, route: String, host: String, path: String, status: Int, requestSeconds: Double,
        upstreamSeconds: Double? = nil
    ) {
        self.time = time
        self.route = route
        self.host = host
        self.path = path
        self.status = status
        self.requestSeconds = requestSeconds
        self.upstreamSeconds = upstreamSeconds
    }

    /// Reads one access log line; nil for a line that is not a `kgate_traffic` record
    /// (a partial write, another format), which the reader skips.
    public init?(line: some StringProtocol) {
        guard let value = try? JSONReader.read(String(line)) else { return nil }
        func text(_ key: String) -> String? {
            if case .string(let text)? = value[key] { return text }
            if case .int(let number)? = value[key] { return String(number) }
            return nil
        }
        guard let time = text("time").flatMap(Double.init), let status = text("status").flatMap(Int.init),
            let requestSeconds = text("request_time").flatMap(Double.init)
        else { return nil }
        self.time = time
        route = text("route") ?? ""
        host = text("host") ?? ""
        path = text("path") ?? ""
        self.status = status
        self.requestSeconds = requestSeconds
        // Several upstream tries are listed "0.001, 0.002"; a request that never reached one logs "-".
        let tries = (text("upstream_response_time") ?? "").split(separator: ",").compactMap {
            Double($0.trimmingCharacters(in: .whitespaces))
        }
        upstreamSeconds = tries.isEmpty ? nil : tries.reduce(0, +)
    }
}
