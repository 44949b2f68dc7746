import GatewayKit

/// What a user who may not list across the cluster still sees: a KubeSphere project admin
/// may list Ingresses or Services in their own namespaces only. A cluster-wide list that is
/// forbidden is made again namespace by namespace (those the user could list, else the
/// context's); a kind that stays forbidden becomes a warning naming the refusal (not a
/// problem: problems are broken manifests), and the rest of the inventory still loads.
extension ClusterReader {
    /// The items of every kind of `plan` in order, with a warning for each kind not (fully) shown.
    func degraded(_ plan: ClusterCache.Plan, results: [Int: Result<Listing, StoreError>]) async throws(StoreError)
        -> (listings: [Listing], warnings: [String])
    {
        var warnings: [String] = []
        var items = Array(repeating: Listing(items: [], decoded: []), count: plan.kinds.count)
        var namespaces = [client.connection.namespace]
        // Namespaces first: the other kinds fall back to the ones found here.
        let order = plan.kinds.indices.sorted { (plan.kinds[$0].resource != .namespaces ? 1 : 0) < (plan.kinds[$1].resource != .namespaces ? 1 : 0) }
        for index in order {
            let kind = plan.kinds[index]
            switch results[index] {
            case .success(let listing)?:
                items[index] = listing
                if kind.resource == .namespaces { namespaces = listing.items.compactMap(Self.name) }
            case .failure(.forbidden(let reason))?:
                let (found, refusal) = try await fallback(kind, namespaces: namespaces, refused: reason)
                items[index] = Listing(items: found, decoded: nil)
                if kind.resource == .namespaces, !found.isEmpty { namespaces = found.compactMap(Self.name) }
                if let refusal {
                    warnings.append("\(kind.resource.qualifiedName): not shown: \(refusal)")
                } else if found.isEmpty || kind.resource == .namespaces {
                    warnings.append(
                        "\(kind.resource.qualifiedName): only namespaces \(namespaces.joined(separator: ", ")) are shown: \(reason)")
                }
            case .failure(let error)?:
                throw error
            case nil:
                break
            }
        }
        return (items, warnings)
    }

    /// The kind listed in each namespace, or for namespaces themselves the context's one
    /// read by name; the refusal when none of it may be read.
    private func fallback(_ kind: Listed, namespaces: [String], refused reason: String) async throws(StoreError)
        -> ([ManifestValue], String?)
    {
        if kind.resource == .namespaces {
            let writer = ClusterWriter(client: client)
            do {
                return (try await writer.get(.namespaces, namespace: "", name: client.connection.namespace).map { [$0] } ?? [], nil)
            } catch {
                if case .forbidden(let reason) = error { return ([], reason) }
                throw error
            }
        }
        guard kind.resource.namespaced, kind.namespace.isEmpty else {
            return ([], reason)
        }
        var found: [ManifestValue] = []
        var refusals: [String] = []
        for namespace in namespaces {
            do {
                found += try await list(kind.resource, namespace: namespace, query: kind.query)
            } catch {
                guard case .forbidden(let reason) = error else { throw error }
                refusals.append(reason)
            }
        }
        return (found, refusals.count == namespaces.count ? refusals.first ?? reason : nil)
    }

    private static func name(_ item: ManifestValue) -> String? {
        if case .string(let name)? = item["metadata"]?["name"] { return name }
        return nil
    }
}
