import Foundation
import GatewayRuntime
import GatewayStore

/// One measured figure, printed beside its target (or as `--json`, keyed).
struct Figure {
    var key: String
    var label: String
    var value: Double
    var unit: String
    var target: Double

    /// A figure left out of the report, with the reason on stderr (a figure of a wrong load
    /// would mislead, and the others still count).
    static func notMeasured(_ key: String, because reason: String) {
        FileHandle.standardError.write(Data("kgate-bench: \(key) not measured: \(reason)\n".utf8))
    }

    static func report(_ figures: [Figure], asJSON: Bool) {
        if asJSON {
            let fields = figures.map { "  \"\($0.key)\": \(String(format: "%.3f", $0.value))" }
            print("{\n" + fields.joined(separator: ",\n") + "\n}")
            return
        }
        for figure in figures {
            let verdict = figure.value <= figure.target ? "ok" : "OVER"
            let value = String(format: figure.unit == "B" ? "%.0f" : "%.2f", figure.value)
            let target = figure.target.isFinite ? String(format: figure.target < 10 ? "%.1f" : "%.0f", figure.target) : "-"
            print(
                figure.label.padding(toLength: 44, withPad: " ", startingAt: 0)
                    + "\(value) \(figure.unit)".padding(toLength: 14, withPad: " ", startingAt: 0)
                    + "target ≤ \(target) \(figure.unit)  \(verdict)")
        }
    }
}

/// The figures of reading, rendering and serving routes: `render -o yaml` against PyYAML,
/// nginx.conf, save → served by the local gateway, and the cluster backend's first frame and
/// watch event → frame.
struct ServingFigures {
    let bench: Measurements
    let processes: ProcessFigures

    /// Every one of them (`--serving-only`). The render is measured on a workspace whose
    /// index is written, as the full run's first frames leave it.
    func all(root10000: String) throws -> [Figure] {
        _ = try bench.load(WorkspaceStore(root: root10000))
        return try render(root10000: root10000) + nginx(root10000: root10000) + saveToServed() + cluster()
    }

    func render(root10000: String) throws -> [Figure] {
        let rendered = try processes.renderAgainstPyYAML(root: root10000)
        return [
            Figure(key: "render_10000_ms", label: "kgate render -o yaml, 10,000 routes", value: rendered.kgate, unit: "ms", target: .infinity),
            Figure(key: "render_10000_cold_ms", label: "the same, no workspace index", value: rendered.cold, unit: "ms", target: .infinity),
            Figure(key: "pyyaml_10000_ms", label: "PyYAML (C) load+dump, same manifests", value: rendered.pyyaml, unit: "ms", target: .infinity),
            Figure(key: "render_10000_vs_pyyaml_ratio", label: "render ÷ PyYAML, same run", value: rendered.kgate / rendered.pyyaml, unit: "×", target: 0.1),
            Figure(key: "render_10000_cold_vs_pyyaml_ratio", label: "render with no index ÷ PyYAML", value: rendered.cold / rendered.pyyaml, unit: "×", target: .infinity),
        ]
    }

    func nginx(root10000: String) throws -> [Figure] {
        [Figure(key: "nginx_render_10000_ms", label: "nginx.conf for 10,000 routes", value: try bench.nginxRender(root: root10000), unit: "ms", target: 50)]
    }

    /// Nothing when nginx is not installed, which stderr says.
    func saveToServed() throws -> [Figure] {
        guard let served = try bench.saveToServed(routes: 1000, samples: 50) else {
            Figure.notMeasured("save_to_served_1000_p99_ms", because: NginxBinary.missing)
            return []
        }
        return [Figure(key: "save_to_served_1000_p99_ms", label: "route saved → served p99, 1,000 routes", value: percentile(served, 99), unit: "ms", target: 300)]
    }

    /// The cluster backend's first frame and watch event → frame. A figure that cannot be
    /// measured (the stand-in's inventory does not load whole) is left out, with the reason
    /// on stderr: a figure of a wrong load would mislead, and the other figures still count.
    func cluster() -> [Figure] {
        var figures: [Figure] = []
        do {
            figures.append(Figure(key: "cluster_first_frame_10000_ms", label: "cluster first frame, 10,000 Ingresses", value: try bench.clusterFirstFrame(routes: 10000), unit: "ms", target: 1500))
        } catch {
            Figure.notMeasured("cluster_first_frame_10000_ms", because: "\(error)")
        }
        do {
            let follow = try bench.clusterChangeToFrame(routes: 10000, samples: 20)
            figures.append(Figure(key: "cluster_change_to_frame_10000_p99_ms", label: "cluster watch event → frame p99, 10,000 Ingresses", value: percentile(follow, 99), unit: "ms", target: 50))
        } catch {
            Figure.notMeasured("cluster_change_to_frame_10000_p99_ms", because: "\(error)")
        }
        return figures
    }
}
