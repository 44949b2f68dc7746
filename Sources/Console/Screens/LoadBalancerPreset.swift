/// Service annotations a LoadBalancer provider needs, pre-filled as KubeSphere 3.3's
/// console does; the operator edits the values (an EIP id, a pool name) afterwards.
struct LoadBalancerPreset: Hashable, Sendable {
    var name: String
    var annotations: [(key: String, value: String)]

    static func == (a: LoadBalancerPreset, b: LoadBalancerPreset) -> Bool { a.name == b.name }
    func hash(into hasher: inout Hasher) { hasher.combine(name) }

    static let all: [LoadBalancerPreset] = [
        LoadBalancerPreset(name: "None", annotations: []),
        LoadBalancerPreset(
            name: "QingCloud",
            annotations: [
                ("service.beta.kubernetes.io/qingcloud-load-balancer-eip-ids", ""),
                ("service.beta.kubernetes.io/qingcloud-load-balancer-type", "0"),
            ]),
        LoadBalancerPreset(
            name: "OpenELB",
            annotations: [
                ("lb.kubesphere.io/v1alpha1", "openelb"),
                ("protocol.openelb.kubesphere.io/v1alpha1", "layer2"),
                ("eip.openelb.kubesphere.io/v1alpha2", "eip-pool"),
            ]),
        LoadBalancerPreset(name: "AWS", annotations: [("service.beta.kubernetes.io/aws-load-balancer-type", "nlb")]),
        LoadBalancerPreset(name: "GCP", annotations: [("cloud.google.com/load-balancer-type", "External")]),
        LoadBalancerPreset(
            name: "Azure", annotations: [("service.beta.kubernetes.io/azure-load-balancer-internal", "false")]),
        LoadBalancerPreset(
            name: "Alibaba",
            annotations: [("service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type", "internet")]),
        LoadBalancerPreset(
            name: "Tencent",
            annotations: [("service.kubernetes.io/qcloud-loadbalancer-internal-subnetid", "")]),
        LoadBalancerPreset(
            name: "Huawei",
            annotations: [("kubernetes.io/elb.class", "union"), ("kubernetes.io/elb.autocreate", "")]),
    ]

    /// The preset whose keys a gateway's annotations contain, for editing an existing gateway.
    static func matching(_ annotations: [String: String]) -> Int {
        all.indices.dropFirst().first { index in
            all[index].annotations.allSatisfy { annotations[$0.key] != nil }
        } ?? 0
    }
}
