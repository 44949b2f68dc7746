import AsyncHTTPClient
import Foundation
import GatewayKit
import NIOCore
import NIOHTTP1

/// A project gateway at work on a cluster, read the way KubeSphere's gateway detail reads
/// it: the controller's pods (found by the Deployment's selector, per flavour) and the
/// events of the gateway's objects, the pods' logs through `pods/log`, and traffic from
/// KubeSphere's Prometheus through the API server's service proxy (`ClusterTraffic`).
///
/// - Legacy router: the selector of Deployment `kubesphere-router-<project>` in the
///   gateway namespace.
/// - Gateway CRD: the Helm release's pods, `app.kubernetes.io/name=ingress-nginx,
///   app.kubernetes.io/instance=kubesphere-router-<project>-ingress` (KubeSphere's
///   `GetPods` in `pkg/models/gateway`).
public struct ClusterGatewayActivity: GatewayActivitySource {
    let client: APIClient
    let reader: ClusterReader

    /// Where the project's gateway controller runs, and how its pods are selected.
    struct Controller: Sendable {
        var namespace: String
        var name: String
        var selector: String
        /// `kubesphere-router-<project>-ingress`, the CRD flavour's Helm release (and Nginx CR).
        var release: String?
    }

    func findController(project: String) async throws(StoreError) -> Controller {
        let namespace = try await reader.readSettings().gatewayNamespace
        let flavor = try await reader.discover().flavor
        let resource: APIResource = flavor == .gatewayCRD ? .gateways : .deployments
        var name = Gateway.name(project: project)
        // A project without a gateway of its own is served by KubeSphere's cluster gateway.
        let clusterName = Gateway.name(project: Gateway.clusterGatewayProject)
        if try await !exists(resource, namespace: namespace, name: name), try await exists(resource, namespace: namespace, name: clusterName) {
            name = clusterName
        }
        switch flavor {
        case .gatewayCRD:
            let release = "\(name)-ingress"
            return Controller(
                namespace: namespace, name: name,
                selector: "app.kubernetes.io/name=ingress-nginx,app.kubernetes.io/instance=\(release)", release: release)
        case .legacyRouter:
            let request = APIStatus.Request(verb: "get", resource: "deployments", namespace: namespace, object: "Deployment \(namespace)/\(name)")
            let deployment = try await client.send(.GET, APIResource.deployments.path(namespace: namespace, name: name), about: request)
            guard let selector = GatewayPodReading.selector(ofDeployment: deployment) else {
                throw .unavailable(reason: "Deployment \(namespace)/\(name) has no spec.selector.matchLabels")
            }
            return Controller(namespace: namespace, name: name, selector: selector, release: nil)
        }
    }

    private func exists(_ resource: APIResource, namespace: String, name: String) async throws(StoreError) -> Bool {
        let request = APIStatus.Request(verb: "get", resource: resource.plural, namespace: namespace, object: "\(resource.kind) \(namespace)/\(name)")
        do {
            _ = try await client.send(.GET, resource.path(namespace: namespace, name: name), about: request)
            return true
        } catch {
            if case .notFound = error { return false }
            throw error
        }
    }

    func podList(_ controller: Controller) async throws(StoreError) -> ManifestValue {
        try await client.send(
            .GET, "/api/v1/namespaces/\(controller.namespace.addingPercentEncodingForPath())/pods",
            query: [("labelSelector", controller.selector)],
            about: APIStatus.Request(verb: "list", resource: "pods", namespace: controller.namespace, object: "pods"))
    }

    public func health(project: String) async throws(StoreError) -> GatewayHealth {
        let controller = try await findController(project: project)
        var health = GatewayHealth()
        var podNames: [String] = []
        do {
            let list = try await podList(controller)
            health.pods = GatewayPodReading.pods(list)
            podNames = health.pods.map(\.name)
        } catch {
            health.unavailable.append("pods: \(error)")
        }
        // The CR, Service and Deployment share the gateway's name; the Helm release's
        // failures are reported on the Nginx CR named after the release.
        for name in [controller.name] + (controller.release.map { [$0] } ?? []) + podNames {
            do {
                let list = try await client.send(
                    .GET, "/api/v1/namespaces/\(controller.namespace.addingPercentEncodingForPath())/events",
                    query: [("fieldSelector", "involvedObject.name=\(name)")],
                    about: APIStatus.Request(verb: "list", resource: "events", namespace: controller.namespace, object: "events"))
                health.events += GatewayPodReading.events(list)
            } catch {
                health.unavailable.append("events of \(name): \(error)")
                break
            }
        }
        health.events.sort { ($0.time ?? .distantPast) < ($1.time ?? .distantPast) }
        return health
    }

    public func logs(project: String, tail: Int?, since: Duration?, follow: Bool) -> AsyncStream<GatewayLogEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: GatewayLogEvent.self, bufferingPolicy: .bufferingNewest(100_000))
        let task = Task {
            do throws(StoreError) {
                let controller = try await findController(project: project)
                let pods = GatewayPodReading.items(try await podList(controller))
                guard !pods.isEmpty else {
                    continuation.yield(.failed("no pod of the gateway controller runs (selector \(controller.selector) in \(controller.namespace))"))
                    continuation.finish()
                    return
                }
                let sources = pods.compactMap { pod in
                    GatewayPodReading.string(pod["metadata"]?["name"]).map {
                        PodLog(client: client, namespace: controller.namespace, pod: $0, container: GatewayPodReading.logContainer(pod))
                    }
                }
                if follow {
                    // Each pod's lines as they come, interleaved; the stream ends when every pod's does.
                    await withTaskGroup(of: Void.self) { group in
                        for source in sources {
                            group.addTask {
                                let failure = await source.read(tail: tail, since: since, follow: true) { continuation.yield(.line($0)) }
                                if let failure { continuation.yield(.failed(failure)) }
                            }
                        }
                    }
                } else {
                    var lines: [GatewayLogLine] = []
                    for source in sources {
                        if let failure = await source.read(tail: tail, since: since, follow: false, { lines.append($0) }) {
                            continuation.yield(.failed(failure))
                        }
                    }
                    lines = lines.enumerated().sorted { a, b in
                        let (ta, tb) = (a.element.time ?? .distantPast, b.element.time ?? .distantPast)
                        return ta != tb ? ta < tb : a.offset < b.offset
                    }.map(\.element)
                    for line in tail.map({ lines.suffix(max(0, $0)) }) ?? lines[...] { continuation.yield(.line(line)) }
                }
            } catch {
                continuation.yield(.failed(error.description))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    public func traffic(project: String, window: Duration) async throws(StoreError) -> TrafficReport {
        let controller = try await findController(project: project)
        let pods = (try? await podList(controller)).map(GatewayPodReading.pods) ?? []
        return await ClusterTraffic(client: client).report(
            project: project, window: window, controllerNamespace: controller.namespace, pods: pods.map(\.name))
    }
}

/// One pod's log through `GET …/pods/<pod>/log` (`timestamps=true`, so that lines of
/// several pods can be put in order and a followed log resumed where it broke off).
struct PodLog: Sendable {
    let client: APIClient
    let namespace: String
    let pod: String
    let container: String?

    /// Calls `deliver` with every line; returns why it stopped early, nil when the log ended.
    /// A followed log whose connection ends is asked for again from the last line's time.
    func read(tail: Int?, since: Duration?, follow: Bool, _ deliver: (GatewayLogLine) -> Void) async -> String? {
        var last: (time: String, text: String)? = nil
        var attempts = 0
        while !Task.isCancelled {
            var query: [(String, String)] = [("timestamps", "true")]
            if follow { query.append(("follow", "true")) }
            if let container { query.append(("container", container)) }
            if let last {
                query.append(("sinceTime", last.time))
            } else {
                if let tail { query.append(("tailLines", String(max(0, tail)))) }
                if let since { query.append(("sinceSeconds", String(max(1, since.components.seconds)))) }
            }
            let path = "/api/v1/namespaces/\(namespace.addingPercentEncodingForPath())/pods/\(pod.addingPercentEncodingForPath())/log"
            let request = APIStatus.Request(verb: "get", resource: "pods/log", namespace: namespace, object: "Pod \(namespace)/\(pod)")
            do {
                let response = try await client.openStream(path, query: query)
                guard (200..<300).contains(Int(response.status.code)) else {
                    let body = (try? await response.body.collect(upTo: 1 << 20)).map { Array($0.readableBytesView) } ?? []
                    return "\(pod): \(APIStatus(code: Int(response.status.code), body: body).error(for: request).description)"
                }
                var pending: [UInt8] = []
                for try await buffer in response.body {
                    pending += buffer.readableBytesView
                    while let end = pending.firstIndex(of: UInt8(ascii: "\n")) {
                        let text = String(decoding: pending[..<end], as: UTF8.self)
                        pending.removeSubrange(...end)
                        let line = Self.split(text)
                        // Resuming from a time repeats the lines of that time already delivered.
                        if let seen = last, line.stamp <= seen.time, line.stamp != seen.time || line.text == seen.text { continue }
                        last = (line.stamp, line.text)
                        deliver(GatewayLogLine(source: pod, time: GatewayPodReading.timestamp(line.stamp), text: line.text))
                    }
                }
                if !pending.isEmpty {
                    let line = Self.split(String(decoding: pending, as: UTF8.self))
                    deliver(GatewayLogLine(source: pod, time: GatewayPodReading.timestamp(line.stamp), text: line.text))
                }
                attempts = 0
            } catch {
                attempts += 1
                if !follow || attempts > 5 { return "\(pod): \(error)" }
            }
            guard follow, !Task.isCancelled else { return nil }
            try? await Task.sleep(for: .seconds(min(attempts + 1, 5)))
        }
        return nil
    }

    /// `2026-12-02T07:00:00.123456789Z text` → the stamp and the text.
    static func split(_ line: String) -> (stamp: String, text: String) {
        guard let space = line.firstIndex(of: " "), line[..<space].contains("T") else { return ("", line) }
        return (String(line[..<space]), String(line[line.index(after: space)...]))
    }
}

extension KubernetesStore {
    /// The gateway activity of this cluster (pods, events, logs, traffic).
    public func activity() -> ClusterGatewayActivity { ClusterGatewayActivity(client: client, reader: reader) }
}
