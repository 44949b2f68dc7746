/// The mark of an EndpointSlice that belongs to the demo workspace: nothing really
/// listens at its addresses, so the local gateway may answer there itself (only while
/// nothing else does). The value names the pod the demo pretends to have.
public enum DemoBackend {
    public static let annotation = "kgate.io/demo-backend"

    /// 127.0.0.0/8 or ::1: the only addresses the local gateway ever answers for.
    public static func isLoopback(_ address: String) -> Bool {
        if address == "::1" { return true }
        let parts = address.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
