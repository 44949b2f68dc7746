import Foundation
import GatewayKit

/// Pods and events as the API server returns them, read into what the gateway's Pods
/// section shows: `kubectl get pods -o wide` and `kubectl get events` in kgate's types.
enum GatewayPodReading {
    static func pods(_ list: ManifestValue) -> [GatewayPod] {
        items(list).compactMap(pod).sorted { $0.name < $1.name }
    }

    static func pod(_ value: ManifestValue) -> GatewayPod? {
        guard let name = string(value["metadata"]?["name"]) else { return nil }
        let statuses = list(value["status"]?["containerStatuses"])
        let containers = max(list(value["spec"]?["containers"]).count, statuses.count)
        let ready = statuses.filter { $0["ready"] == .bool(true) }.count
        let restarts = statuses.compactMap { int($0["restartCount"]) }.reduce(0, +)
        var phase = string(value["status"]?["phase"]) ?? "Unknown"
        if value["metadata"]?["deletionTimestamp"] != nil { phase = "Terminating" }
        return GatewayPod(
            name: name, readyContainers: ready, containers: containers, phase: phase, restarts: restarts,
            node: string(value["spec"]?["nodeName"]), created: date(value["metadata"]?["creationTimestamp"]),
            failure: ready == containers && containers > 0 ? nil : failure(value, statuses: statuses))
    }

    /// The first not-ready container's waiting or terminated reason with its message
    /// (`CrashLoopBackOff: back-off 5m0s restarting failed container=controller …`), else
    /// the pod's failing condition (`Unschedulable: 0/3 nodes are available: …`).
    static func failure(_ pod: ManifestValue, statuses: [ManifestValue]) -> String? {
        for status in statuses where status["ready"] != .bool(true) {
            for state in [status["state"]?["waiting"], status["state"]?["terminated"], status["lastState"]?["terminated"]] {
                if let reason = string(state?["reason"]) {
                    return [reason, string(state?["message"])].compactMap { $0 }.joined(separator: ": ")
                }
            }
        }
        for condition in list(pod["status"]?["conditions"]) where condition["status"] == .string("False") {
            if let reason = string(condition["reason"]) {
                return [reason, string(condition["message"])].compactMap { $0 }.joined(separator: ": ")
            }
        }
        return string(pod["status"]?["reason"]).map { reason in
            [reason, string(pod["status"]?["message"])].compactMap { $0 }.joined(separator: ": ")
        }
    }

    static func events(_ list: ManifestValue) -> [GatewayEvent] {
        items(list).map { event in
            let involved = event["involvedObject"]
            let time = date(event["lastTimestamp"]) ?? date(event["eventTime"]) ?? date(event["firstTimestamp"])
                ?? date(event["metadata"]?["creationTimestamp"])
            return GatewayEvent(
                time: time, type: string(event["type"]) ?? "Normal", reason: string(event["reason"]) ?? "",
                object: "\(string(involved?["kind"]) ?? "?")/\(string(involved?["name"]) ?? "?")",
                message: string(event["message"]) ?? "", count: int(event["count"]) ?? 1)
        }
    }

    /// `matchLabels` as a label selector (`app=kubesphere,component=ks-router,…`), keys sorted.
    static func selector(ofDeployment deployment: ManifestValue) -> String? {
        guard case .map(let fields)? = deployment["spec"]?["selector"]?["matchLabels"], !fields.isEmpty else { return nil }
        return fields.compactMap { field in string(field.value).map { "\(field.key)=\($0)" } }.sorted().joined(separator: ",")
    }

    /// The container whose logs are the gateway's: `controller` (the ingress-nginx
    /// chart's), else the first one.
    static func logContainer(_ pod: ManifestValue) -> String? {
        let names = list(pod["spec"]?["containers"]).compactMap { string($0["name"]) }
        return names.contains("controller") ? "controller" : names.first
    }

    static func items(_ list: ManifestValue) -> [ManifestValue] { Self.list(list["items"]) }

    static func list(_ value: ManifestValue?) -> [ManifestValue] {
        if case .list(let items)? = value { return items }
        return []
    }

    static func string(_ value: ManifestValue?) -> String? {
        if case .string(let text)? = value, !text.isEmpty { return text }
        return nil
    }

    static func int(_ value: ManifestValue?) -> Int? {
        if case .int(let number)? = value { return number }
        return nil
    }

    static func date(_ value: ManifestValue?) -> Date? { string(value).flatMap(timestamp) }

    /// RFC 3339 with or without fractional seconds, as the API server and `timestamps=true` logs write it.
    static func timestamp(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: text) { return date }
        // Nanoseconds (`2026-12-02T07:00:00.123456789Z`) are more digits than the formatter reads.
        guard let dot = text.firstIndex(of: "."), let zone = text[dot...].firstIndex(where: { $0 == "Z" || $0 == "+" || $0 == "-" })
        else { return nil }
        let digits = text[text.index(after: dot)..<zone]
        return fractional.date(from: String(text[..<dot]) + "." + digits.prefix(3) + String(text[zone...]))
    }
}
