import Crypto
import Foundation
import GatewayKit
import X509

/// A real self-signed certificate and key for some hosts: what the demo's TLS Secrets
/// hold, so that `serve` answers their hosts over https (clients must skip verification,
/// `curl -k`). ECDSA P-256, valid for a year from `now`, not a CA.
public enum SelfSignedCertificate {
    public struct Pair: Hashable, Sendable {
        /// PEM, as a `kubernetes.io/tls` Secret holds them (before base64).
        public var certificate: String
        public var key: String
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func make(hosts: [String], now: Date = Date()) throws(Failure) -> Pair {
        guard let first = hosts.first else { throw Failure(description: "a certificate needs at least one host") }
        do {
            let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
            let name = try DistinguishedName { CommonName(first) }
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey,
                notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(365 * 24 * 3600),
                issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    SubjectAlternativeNames(hosts.map { GeneralName.dnsName($0) })
                },
                issuerPrivateKey: key)
            return Pair(certificate: try certificate.serializeAsPEM().pemString, key: try key.serializeAsPEM().pemString)
        } catch {
            throw Failure(description: "cannot make a self-signed certificate: \(error)")
        }
    }

    /// `secret` with a new pair for `hosts`, base64 as in the Secret's data.
    public static func secret(_ secret: TLSSecret, hosts: [String], now: Date = Date()) throws(Failure) -> TLSSecret {
        let pair = try make(hosts: hosts, now: now)
        var secret = secret
        secret.certificate = Data(pair.certificate.utf8).base64EncodedString()
        secret.key = Data(pair.key.utf8).base64EncodedString()
        return secret
    }
}

/// The demo's TLS Secrets made real: `init --demo` writes placeholders (the demo's data
/// is pure), then gives each Secret a self-signed pair for the hosts that use it.
public enum DemoCertificates {
    /// Every TLS Secret of `inventory` with a new pair, for the hosts the routes of its
    /// project list with it (its name when none does).
    public static func secrets(of inventory: Inventory, now: Date = Date()) throws(SelfSignedCertificate.Failure) -> [KubeObject] {
        var objects: [KubeObject] = []
        for secret in inventory.secrets {
            var hosts: [String] = []
            for route in inventory.routes(project: secret.namespace) {
                for entry in route.tls where entry.secretName == secret.name {
                    for host in entry.hosts where !hosts.contains(host) { hosts.append(host) }
                }
            }
            objects.append(.secret(try SelfSignedCertificate.secret(secret, hosts: hosts.isEmpty ? [secret.name] : hosts, now: now)))
        }
        return objects
    }
}
