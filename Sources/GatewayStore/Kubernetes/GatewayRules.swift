import GatewayKit

/// What KubeSphere refuses before a gateway is set on a cluster, refused by kgate too,
/// with the reason, before any write.
enum GatewayRules {
    static func check(_ request: GatewayRequest, in inventory: Inventory) throws(StoreError) {
        let settings = inventory.settings
        let reference = "Gateway \(settings.gatewayNamespace)/\(Gateway.name(project: request.project))"
        let existing = inventory.gateway(project: request.project)
        // ks-apiserver refuses a new project gateway while the cluster gateway exists
        // ("can't create project gateway if global gateway enabled",
        // kubesphere/kubesphere v3.2 pkg/models/gateway/gateway.go, CreateGateway).
        if existing == nil, request.project != Gateway.clusterGatewayProject, let cluster = inventory.clusterGateway {
            throw .invalid(object: reference, errors: [FieldError(
                "project",
                "the cluster gateway \(cluster.namespace)/\(cluster.name) serves every project, and KubeSphere "
                    + "refuses a project gateway while it exists; route through the cluster gateway, or delete it first")])
        }
        guard settings.gatewayFlavor == .gatewayCRD else { return }
        // ... and while a legacy router serves the project: it offers "upgrade" instead.
        if existing?.controllerState == .legacyNeedsUpgrade {
            throw .invalid(object: reference, errors: [FieldError(
                "project",
                "the project still has a KubeSphere 2.1–3.1 router (legacy gateway), which KubeSphere 3.2+ changes "
                    + "only by upgrading it: run `kgate gateway upgrade \(request.project)` (U on the card) first")])
        }
        // The ingress-nginx chart KubeSphere installs leaves node ports to Kubernetes
        // (`nodePorts: {http: "", https: ""}` in kubesphere/kubesphere config/gateway), and
        // neither the CR nor KubeSphere's console has a node port field. Keeping the ports
        // the Service holds is not a choice, so that is accepted.
        var errors: [FieldError] = []
        for (field, wanted, held) in [
            ("httpNodePort", request.httpNodePort, existing?.httpNodePort),
            ("httpsNodePort", request.httpsNodePort, existing?.httpsNodePort),
        ] {
            guard let wanted, wanted != held else { continue }
            errors.append(FieldError(
                FieldPath(field),
                "cannot be chosen on a KubeSphere 3.2+ cluster (Gateway CRD): KubeSphere's Helm release of ingress-nginx "
                    + "owns the gateway's Service and Kubernetes assigns its node ports (the Gateway CR has no node port field)"))
        }
        if !errors.isEmpty { throw .invalid(object: reference, errors: errors) }
    }
}
