/// Manifests with fields kgate does not model, for the tests that show a save keeps them.
public enum UnmodeledManifests {
    /// A Gateway CR with a label, an image tag and an extra deployment annotation.
    public static let gateway = """
        apiVersion: gateway.kubesphere.io/v1alpha1
        kind: Gateway
        metadata:
          name: kubesphere-router-demo
          namespace: kubesphere-controls-system
          labels:
            owner: ops
        spec:
          controller:
            replicas: 1
            scope:
              enabled: true
              namespace: demo
            image:
              tag: v1.1.0
          deployment:
            replicas: 1
            annotations:
              example.com/extra: kept
              servicemesh.kubesphere.io/enabled: "false"
          service:
            type: NodePort

        """
}
