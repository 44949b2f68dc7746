import GatewayKit

/// What a site's plan gathers about its hosts from their routes, and the servers it is
/// about to make of them.
extension Planner {
    /// What a site's plan gathers about one host from its routes.
    struct HostEntry {
        /// The locations of the paths of rules for the host.
        var table = PathLocations.Table()
        /// A rule or an HTTPRoute names the host: it gets a server (a TLS entry alone does not).
        var hasServer = false
        /// The oldest route with a rule for the host and a `defaultBackend`.
        var defaultOwner: Int?
        /// A route's `spec.tls` lists the host.
        var isTLSListed = false
        /// The oldest route whose `spec.tls` lists the host with a secret.
        var tlsSecretOwner: Int?
    }

    /// The hosts a site's routes name, each with its entry, in the order first named.
    /// Entries are kept in a list, a table gives a host's place in it: a host is hashed
    /// once a rule, and its server is made from its entry where it is, not looked up again.
    struct HostTable {
        private var slots: [String: Int] = [:]
        private(set) var names: [String] = []
        var entries: [HostEntry] = []

        init(capacity: Int) {
            slots.reserveCapacity(capacity)
            names.reserveCapacity(capacity)
            entries.reserveCapacity(capacity)
        }

        /// The place of `host`'s entry, a new empty one when the host is new.
        mutating func slot(_ host: String) -> Int {
            let next = entries.count
            // One lookup: the slot is set through the table's own optional, nil for a new host.
            let slot = HostTable.setIfNil(&slots[host], next)
            if slot == next {
                names.append(host)
                entries.append(HostEntry())
            }
            return slot
        }

        func existingSlot(_ host: String) -> Int? { slots[host] }

        /// The entry at `slot`, moved out: an empty one is left there.
        mutating func takeEntry(_ slot: Int) -> HostEntry {
            var entry = HostEntry()
            swap(&entry, &entries[slot])
            return entry
        }

        /// The places of the entries in the order of their hosts: the hosts as first named
        /// are often near sorted already, which the standard library's sort (runs found
        /// and merged) takes in one pass.
        func sortedSlots() -> [Int] { names.indices.sorted { names[$0] < names[$1] } }

        private static func setIfNil(_ value: inout Int?, _ new: Int) -> Int {
            if let value { return value }
            value = new
            return new
        }
    }

    /// A host with a server, its table ready for its locations to be laid out.
    struct PendingServer: Sendable {
        var host: String
        var table: PathLocations.Table
        /// A route's `spec.tls` lists the host.
        var isTLSListed: Bool
        /// The host's own usable certificate.
        var certificate: SecretReference?
    }
}
