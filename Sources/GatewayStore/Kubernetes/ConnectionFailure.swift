import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

/// Why the API server could not be reached, in an operator's words: "connection refused
/// (nothing listens on 127.0.0.1:6443)" rather than SwiftNIO's "connection reset (error
/// set)". The TLS hints of `APIClient.tlsHint` are added by the caller.
enum ConnectionFailure {
    /// `server` gives the address when the error does not name it.
    static func describe(_ error: any Error, server: String) -> String {
        if let failure = error as? NIOConnectionError {
            if let dns = failure.dnsAError ?? failure.dnsAAAAError {
                return "cannot resolve the host \(failure.host) (\(dns))"
            }
            if let first = failure.connectionErrors.first {
                return describe(first.error, address: "\(first.target.ipAddress ?? failure.host):\(failure.port)")
            }
            return "cannot connect to \(failure.host):\(failure.port)"
        }
        return describe(error, address: address(of: server))
    }

    /// `host:port` of a server URL, the port defaulted by the scheme.
    static func address(of server: String) -> String? {
        guard let url = URLComponents(string: server), let host = url.host, !host.isEmpty else { return nil }
        let port = url.port ?? (url.scheme == "http" ? 80 : 443)
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    private static func describe(_ error: any Error, address: String?) -> String {
        let at = address.map { " on \($0)" } ?? ""
        if let io = error as? IOError {
            switch io.errnoCode {
            case ECONNREFUSED: return "connection refused (nothing listens\(at.isEmpty ? " there" : at))"
            case EHOSTUNREACH, ENETUNREACH: return "no route to the host\(at)"
            case ETIMEDOUT: return "the connection timed out\(at)"
            case ECONNRESET: return "the connection was reset\(at)"
            default: return "\(String(cString: strerror(io.errnoCode)))\(at)"
            }
        }
        if let http = error as? HTTPClientError {
            if http == .connectTimeout { return "no answer within 10 s\(at)" }
            if http == .remoteConnectionClosed { return "the server closed the connection\(at)" }
        }
        return "\(error)"
    }
}
