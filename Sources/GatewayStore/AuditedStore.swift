import Foundation
import GatewayKit

/// A store whose every write appends a line to the audit log: who (an SSH key's fingerprint
/// and comment, or the local user), the action, the object, and its resourceVersion before
/// and after, read from the store around the write.
public final class AuditedStore: ObjectStore {
    private let base: any ObjectStore
    private let log: AuditLog
    private let who: String

    public init(_ base: any ObjectStore, log: AuditLog, who: String) {
        self.base = base
        self.log = log
        self.who = who
    }

    public var location: String { base.location }
    public var isReadOnly: Bool { base.isReadOnly }
    public func load() async throws(StoreError) -> Inventory { try await base.load() }
    public func changes() -> AsyncStream<Void> { base.changes() }

    public func apply(_ objects: [KubeObject]) async throws(StoreError) -> [ApplyOutcome] {
        let before = try await versions()
        let outcomes = try await base.apply(objects)
        let after = try await versions()
        for outcome in outcomes where outcome.action != .unchanged {
            let project = objects.first { $0.reference == outcome.reference }?.namespace ?? ""
            try record(outcome.action.rawValue, outcome.reference, project, before, after)
        }
        return outcomes
    }

    public func setGateway(_ request: GatewayRequest) async throws(StoreError) -> GatewayChange {
        let before = try await versions()
        let change = try await base.setGateway(request)
        let reference = KubeObject.gateway(change.gateway).reference
        try record("gateway set", reference, request.project, before, [reference: change.gateway.resourceVersion ?? ""])
        return change
    }

    public func deleteGateway(project: String) async throws(StoreError) {
        // One read gives both the versions before and the gateway's reference.
        let inventory = try await base.load()
        let before = Self.versions(of: inventory)
        let reference = inventory.gateways.first { $0.project == project }.map { KubeObject.gateway($0).reference }
        try await base.deleteGateway(project: project)
        try record("gateway delete", reference ?? "gateway of \(project)", project, before, [:])
    }

    public func upgradeGateway(project: String) async throws(StoreError) -> Gateway {
        let before = try await versions()
        let upgraded = try await base.upgradeGateway(project: project)
        let reference = KubeObject.gateway(upgraded).reference
        try record("gateway upgrade", reference, project, before, [reference: upgraded.resourceVersion ?? ""])
        return upgraded
    }

    public func createRoute(_ route: Route) async throws(StoreError) -> Route {
        let created = try await base.createRoute(route)
        let reference = KubeObject.route(created).reference
        try record("route create", reference, created.namespace, [:], [reference: created.metadata.resourceVersion ?? ""])
        return created
    }

    public func updateRoute(_ route: Route) async throws(StoreError) -> Route {
        let updated = try await base.updateRoute(route)
        let reference = KubeObject.route(updated).reference
        try record(
            "route edit", reference, updated.namespace, [reference: route.metadata.resourceVersion ?? ""],
            [reference: updated.metadata.resourceVersion ?? ""])
        return updated
    }

    public func deleteRoute(project: String, name: String) async throws(StoreError) {
        let before = try await versions()
        try await base.deleteRoute(project: project, name: name)
        let reference = before.keys.first { $0.hasSuffix(" \(project)/\(name)") && $0.hasPrefix("Ingress") } ?? "Ingress \(project)/\(name)"
        try record("route delete", reference, project, before, [:])
    }

    /// Every object's resourceVersion by reference (`Ingress demo/web`).
    private func versions() async throws(StoreError) -> [String: String] {
        Self.versions(of: try await base.load())
    }

    private static func versions(of inventory: Inventory) -> [String: String] {
        let objects: [KubeObject] =
            inventory.projects.map(KubeObject.project) + inventory.nodes.map(KubeObject.node)
            + inventory.services.map(KubeObject.service) + inventory.endpoints.map(KubeObject.endpoints)
            + inventory.secrets.map(KubeObject.secret) + inventory.routes.map(KubeObject.route)
            + inventory.gateways.map(KubeObject.gateway) + inventory.addressPools.map(KubeObject.addressPool)
        return Dictionary(objects.map { ($0.reference, $0.resourceVersion ?? "") }) { first, _ in first }
    }

    /// The write is made by now: a log that cannot be written is reported as such, so the
    /// operator knows the change happened but was not recorded.
    private func record(
        _ action: String, _ reference: String, _ project: String, _ before: [String: String], _ after: [String: String]
    ) throws(StoreError) {
        let entry = AuditEntry(
            time: ISO8601DateFormatter().string(from: Date()), who: who, action: action, object: reference,
            project: project, before: before[reference], after: after[reference])
        do {
            try log.append(entry)
        } catch {
            throw StoreError.unavailable(reason: "\(reference) was changed, but not recorded: \(error)")
        }
    }
}
