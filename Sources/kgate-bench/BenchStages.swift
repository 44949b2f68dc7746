import Foundation

/// `KGATE_BENCH_STAGES=1`: figures that can say where their time went print it to standard
/// error (the figures themselves are unchanged).
enum BenchStages {
    static let isOn = ProcessInfo.processInfo.environment["KGATE_BENCH_STAGES"] != nil

    /// One line to standard error.
    static func report(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// `samples` sorted, in whole milliseconds, when stages are on.
    static func reportSorted(_ label: String, _ samples: [Double]) {
        guard isOn else { return }
        report("\(label), sorted: \(samples.sorted().map { String(format: "%.0f", $0) }.joined(separator: " ")) ms")
    }
}
