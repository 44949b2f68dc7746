import Foundation

/// The first frame measured in a process of its own: a new kgate-bench that does nothing
/// but load the workspace with a new store, open the routes list and draw, then reports
/// its time and its peak resident memory.
///
/// `peak_memory_100000_mb` is that child's peak resident memory (`ru_maxrss`): the whole
/// process (binary, ncurses, the pseudo-terminal's screen) showing the first frame of a
/// 100,000-route workspace unchanged since the last run, and nothing else the bench did
/// before (the workspaces it wrote, the in-memory inventories of other figures).
enum FirstFrameProcess {
    static let flag = "--first-frame-child"

    /// In the child: `kgate-bench --first-frame-child ROOT`. Prints `<ms> <peak MB>`.
    static func runChild(root: String, bench: Measurements) throws -> String {
        let milliseconds = try bench.firstFrame(root: root)
        return String(format: "%.3f %.3f", milliseconds, peakMemoryMB())
    }

    /// Runs a child on `root` and reads its figures: first frame in ms, peak memory in MB.
    static func measure(root: String) throws -> (milliseconds: Double, peakMB: Double) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        process.arguments = [flag, root]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let numbers = text.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        guard process.terminationStatus == 0, numbers.count == 2 else {
            throw BenchError("the first-frame child on \(root) failed (status \(process.terminationStatus)): \(text)")
        }
        return (numbers[0], numbers[1])
    }
}
