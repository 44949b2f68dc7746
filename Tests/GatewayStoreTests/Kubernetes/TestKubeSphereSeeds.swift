import GatewayKit

/// Seeds of a KubeSphere cluster's own objects, for tests that need a cluster KubeSphere
/// made: its configuration, the legacy (v2.1–v3.1) router a project kept after an upgrade,
/// the cluster gateway, and the Gateway CR as ks-apiserver writes it.
enum TestKubeSphereSeeds {
    static let legacyImage = "registry.example/kubesphere/nginx-ingress-controller:v0.48.1"

    /// ConfigMap `kubesphere-system/kubesphere-config` with `gateway.namespace`
    /// (kubesphere `pkg/apiserver/config/config.go`, key `kubesphere.yaml`).
    static func seedKubeSphereConfig(into cluster: TestCluster, gatewayNamespace: String) throws {
        try ensureNamespace("kubesphere-system", in: cluster)
        try ensureNamespace(gatewayNamespace, in: cluster)
        try cluster.seed(manifest: yaml("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: kubesphere-config
              namespace: kubesphere-system
            data:
              kubesphere.yaml: |
                authentication:
                  authenticateRateLimiterMaxTries: 10
                gateway:
                  watchesPath: /var/helm-charts/watches.yaml
                  namespace: \(gatewayNamespace)

            """))
    }

    /// ConfigMap `kubesphere-system/ks-router-config`: the templates v2.1–v3.1's
    /// `pkg/models/routers/routers.go` reads (`ingress-controller-svc.yaml`,
    /// `ingress-controller.yaml`), with the cluster's private image.
    static func seedRouterConfig(into cluster: TestCluster, image: String = legacyImage) throws {
        try ensureNamespace("kubesphere-system", in: cluster)
        let deployment = legacyDeploymentYAML(name: "kubesphere-router", namespace: "kubesphere-controls-system", project: "", image: image)
        let service = legacyServiceYAML(name: "kubesphere-router", namespace: "kubesphere-controls-system", project: "", type: "NodePort", governance: false)
        let indent: (String) -> String = { $0.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") }
        try cluster.seed(manifest: yaml("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: ks-router-config
              namespace: kubesphere-system
            data:
              ingress-controller-svc.yaml: |
            \(indent(service))
              ingress-controller.yaml: |
            \(indent(deployment))

            """))
    }

    /// A project's router as KubeSphere v2.1–v3.1 made it: Service and Deployment
    /// `kubesphere-router-<project>` in the gateway namespace, the private image, probes,
    /// security context, a finalizer, governance on the Service.
    @discardableResult
    static func seedLegacyGateway(
        project: String, into cluster: TestCluster, type: String = "NodePort", governance: Bool = true,
        namespace: String = TestKubeSphereControllers.defaultGatewayNamespace, image: String = legacyImage
    ) throws -> (service: ManifestValue, deployment: ManifestValue) {
        try ensureNamespace(namespace, in: cluster)
        let name = "kubesphere-router-\(project)"
        let service = try cluster.seed(manifest: yaml(legacyServiceYAML(name: name, namespace: namespace, project: project, type: type, governance: governance)))
        let deployment = try cluster.seed(manifest: yaml(legacyDeploymentYAML(name: name, namespace: namespace, project: project, image: image, governance: governance)))
        return (service, deployment)
    }

    /// The cluster gateway `kubesphere-router-kubesphere-system`: a Gateway CR with an
    /// empty scope namespace (v3.2+), reconciled into its Service by the controllers when
    /// they run, or (legacy) the router Service and Deployment.
    static func seedClusterGateway(into cluster: TestCluster, legacy: Bool = false) throws {
        if legacy {
            try seedLegacyGateway(project: "kubesphere-system", into: cluster, governance: false)
        } else {
            try seedGatewayCR(project: "", name: "kubesphere-router-kubesphere-system", into: cluster)
        }
    }

    /// A Gateway CR as ks-apiserver creates it for a project (`pkg/models/gateway`),
    /// with fields kgate does not model (`spec.controller.annotations`,
    /// `spec.deployment.resources`, `kubesphere.io/annotations`).
    @discardableResult
    static func seedGatewayCR(
        project: String, name: String? = nil, type: String = "NodePort", replicas: Int = 1, serviceAnnotations: [String: String] = [:],
        into cluster: TestCluster, namespace: String = TestKubeSphereControllers.defaultGatewayNamespace
    ) throws -> ManifestValue {
        try ensureNamespace(namespace, in: cluster)
        let annotations = serviceAnnotations.sorted { $0.key < $1.key }.map { "        \($0.key): \"\($0.value)\"" }.joined(separator: "\n")
        return try cluster.seed(manifest: yaml("""
            apiVersion: gateway.kubesphere.io/v1alpha1
            kind: Gateway
            metadata:
              name: \(name ?? "kubesphere-router-\(project)")
              namespace: \(namespace)
              annotations:
                kubesphere.io/annotations: QingCloud Kubernetes Engine
                kubesphere.io/creator: admin
            spec:
              controller:
                replicas: \(replicas)
                annotations:
                  prometheus.io/scrape: "true"
                scope:
                  enabled: true
                  namespace: "\(project)"
              deployment:
                replicas: \(replicas)
                annotations:
                  servicemesh.kubesphere.io/enabled: "false"
                resources:
                  limits:
                    cpu: "1"
                    memory: 600Mi
              service:
                type: \(type)
            \(annotations.isEmpty ? "" : "    annotations:\n" + annotations)

            """))
    }

    /// A project gateway as a v3.2+ cluster holds it once KubeSphere's controllers ran:
    /// the CR with its Deployed status, and the Service and Deployment of its release.
    @discardableResult
    static func seedReleasedGateway(
        project: String, type: String = "NodePort", into cluster: TestCluster,
        namespace: String = TestKubeSphereControllers.defaultGatewayNamespace
    ) throws -> ManifestValue? {
        try seedGatewayCR(project: project, type: type, into: cluster, namespace: namespace)
        TestKubeSphereControllers(cluster: cluster).reconcile()
        return cluster.object(TestResource.services, namespace: namespace, name: "kubesphere-router-\(project)")
    }

    static func ensureNamespace(_ name: String, in cluster: TestCluster) throws {
        guard cluster.object(TestResource.namespaces, namespace: "", name: name) == nil else { return }
        try cluster.seed(manifest: .map([
            ManifestField("apiVersion", .string("v1")), ManifestField("kind", .string("Namespace")),
            ManifestField("metadata", .map([ManifestField("name", .string(name))])),
        ]))
    }

    static func yaml(_ text: String) throws -> ManifestValue {
        guard let value = ManifestParser.trees(text)?.first?.value else { throw TestCluster.SeedError(message: "not YAML:\n\(text)") }
        return value
    }

    /// The labels (and selector) of a legacy router, for a YAML block at `indent` spaces.
    private static func legacyLabelsYAML(_ project: String, indent: Int) -> String {
        ["app: kubesphere", "component: ks-router", "tier: backend", "project: \"\(project)\""]
            .joined(separator: "\n" + String(repeating: " ", count: indent))
    }

    private static func legacyServiceYAML(name: String, namespace: String, project: String, type: String, governance: Bool) -> String {
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: \(name)
          namespace: \(namespace)
          labels:
            \(legacyLabelsYAML(project, indent: 4))
          annotations:
            servicemesh.kubesphere.io/enabled: "\(governance)"
        spec:
          type: \(type)
          selector:
            \(legacyLabelsYAML(project, indent: 4))
          ports:
          - name: http
            port: 80
            protocol: TCP
            targetPort: 80
          - name: https
            port: 443
            protocol: TCP
            targetPort: 443

        """
    }

    private static func legacyDeploymentYAML(name: String, namespace: String, project: String, image: String, governance: Bool = false) -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: \(name)
          namespace: \(namespace)
          labels:
            \(legacyLabelsYAML(project, indent: 4))
          annotations:
            servicemesh.kubesphere.io/enabled: "\(governance)"
          finalizers:
          - example.com/legacy-router-protection
        spec:
          replicas: 1
          selector:
            matchLabels:
              \(legacyLabelsYAML(project, indent: 6))
          template:
            metadata:
              labels:
                \(legacyLabelsYAML(project, indent: 8))
              annotations:
                sidecar.istio.io/inject: "\(governance)"
                prometheus.io/port: "10254"
                prometheus.io/scrape: "true"
            spec:
              serviceAccountName: kubesphere-router-serviceaccount
              containers:
              - name: nginx-ingress-controller
                image: \(image)
                args:
                - /nginx-ingress-controller
                - --default-backend-service=$(POD_NAMESPACE)/default-http-backend
                - --configmap=$(POD_NAMESPACE)/\(name)-nginx
                - --annotations-prefix=nginx.ingress.kubernetes.io
                - --update-status
                - --report-node-internal-ip-address
                - --election-id=\(name)
                - --watch-namespace=\(project)
                env:
                - name: POD_NAME
                  valueFrom:
                    fieldRef:
                      fieldPath: metadata.name
                - name: POD_NAMESPACE
                  valueFrom:
                    fieldRef:
                      fieldPath: metadata.namespace
                ports:
                - name: http
                  containerPort: 80
                  protocol: TCP
                - name: https
                  containerPort: 443
                  protocol: TCP
                livenessProbe:
                  httpGet:
                    path: /healthz
                    port: 10254
                    scheme: HTTP
                  initialDelaySeconds: 10
                  timeoutSeconds: 1
                readinessProbe:
                  httpGet:
                    path: /healthz
                    port: 10254
                    scheme: HTTP
                securityContext:
                  runAsUser: 101
                  allowPrivilegeEscalation: true
                  capabilities:
                    add:
                    - NET_BIND_SERVICE
                    drop:
                    - ALL

        """
    }
}
