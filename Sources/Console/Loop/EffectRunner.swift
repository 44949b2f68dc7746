import GatewayKit

/// Performs an effect against the store and says how it went, as the message `update`
/// takes next. The only place the console does I/O.
enum EffectRunner {
    static func run(_ effect: Effect, store: any ObjectStore) async -> Message? {
        switch effect {
        case .load:
            return .loaded(await result { () async throws(StoreError) in try await store.load() })
        case .setGateway(let request):
            return .gatewaySaved(await result { () async throws(StoreError) in try await store.setGateway(request) })
        case .deleteGateway(let project):
            return .gatewayDeleted(
                project: project, await result { () async throws(StoreError) in try await store.deleteGateway(project: project) })
        case .upgradeGateway(let project):
            return .gatewaySaved(
                await result { () async throws(StoreError) in
                    GatewayChange(gateway: try await store.upgradeGateway(project: project), staleHosts: [])
                })
        case .createRoute(let route):
            return .routeSaved(await result { () async throws(StoreError) in try await store.createRoute(route) })
        case .updateRoute(let route):
            return .routeSaved(await result { () async throws(StoreError) in try await store.updateRoute(route) })
        case .deleteRoute(let project, let name):
            return .routeDeleted(
                project: project, name: name,
                await result { () async throws(StoreError) in try await store.deleteRoute(project: project, name: name) })
        case .regenerateHosts(let routes):
            return .hostsRegenerated(
                await result { () async throws(StoreError) in
                    for route in routes { _ = try await store.updateRoute(route) }
                    return routes.count
                })
        case .saveFile(let path, let text):
            return .fileSaved(path: path, failure: NewFile.write(text, to: path))
        case .quit:
            return nil
        }
    }

    private static func result<T>(_ body: () async throws(StoreError) -> T) async -> Result<T, StoreError> {
        do throws(StoreError) {
            return .success(try await body())
        } catch {
            return .failure(error)
        }
    }
}
