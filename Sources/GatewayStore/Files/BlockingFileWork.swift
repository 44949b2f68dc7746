import Dispatch
import GatewayKit

/// Runs blocking file work (flock waits, fsyncs, reading thousands of manifests) on its
/// own threads, behind an async boundary: a writer waiting for another kgate's lock must
/// not hold one of the few threads of Swift's cooperative pool, which the console's
/// timers and the cluster client need.
enum BlockingFileWork {
    private static let marker = DispatchSpecificKey<Bool>()
    private static let queue: DispatchQueue = {
        let queue = DispatchQueue(label: "kgate.workspace-files", qos: .userInitiated, attributes: .concurrent)
        queue.setSpecific(key: marker, value: true)
        return queue
    }()

    /// Whether the caller runs on the file-work threads (what the tests check).
    static var isCurrent: Bool { DispatchQueue.getSpecific(key: marker) == true }

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws(StoreError) -> T) async throws(StoreError) -> T {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, StoreError>, Never>) in
            queue.async {
                do throws(StoreError) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}
