import Foundation

/// Runs `body` on a new thread, not a task: the tests that use it block their own thread
/// on purpose (as the app's loop does), and a task could wait behind it in the small
/// cooperative pool forever.
func onAnotherThread(_ body: @escaping @Sendable () -> Void) {
    Thread.detachNewThread(body)
}
