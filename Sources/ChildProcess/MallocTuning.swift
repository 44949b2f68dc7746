#if canImport(Glibc)
    import Glibc
#endif

/// How kgate asks glibc's malloc to grow its heaps: 16 MiB at a time rather than 128 KiB.
///
/// Reading a workspace of 10,000 routes makes some 100 MB of small objects, on several
/// threads; with the default, each thread's heap grew by a system call (`brk`, or
/// `mprotect` in a thread's arena) every 128 KiB. The pad is address space until a page is
/// written, but malloc also keeps up to the pad free at a heap's top rather than give it
/// back, so it is kept small. Measured on `kgate render P -o yaml` over 10,000 routes,
/// runs interleaved, 2 cores: median 248 ms (default) → 217 ms (64 MiB) over 20 runs each;
/// 247 ms (16 MiB) and 249 ms (64 MiB) over 15 runs each in another.
///
/// And to take blocks of up to 64 MiB from its heaps rather than map each one anew: a
/// workspace of 100,000 routes makes tables of 20–50 MB that come and go, and glibc maps
/// anything past 32 MiB (its highest dynamic threshold) afresh each time, every page of it
/// faulted in again. Measured on the unchanged 100,000-route first frame (kgate-bench's
/// first-frame child, 3 runs each, interleaved): 1.00–1.05 s and 253 MB peak by default,
/// 0.95–0.98 s and 283 MB with 64 MiB, 1.00–1.02 s and 268 MB with 16 MiB.
public enum MallocTuning {
    public static func apply() {
        #if canImport(Glibc)
            _ = mallopt?(topPad, 16 << 20)
            _ = mallopt?(mmapThreshold, 64 << 20)
        #endif
    }

    #if canImport(Glibc)
        /// `M_TOP_PAD` of `<malloc.h>`.
        private static let topPad: Int32 = -2
        /// `M_MMAP_THRESHOLD` of `<malloc.h>`.
        private static let mmapThreshold: Int32 = -3

        /// `<malloc.h>` is not part of Swift's Glibc module: `mallopt` is looked up instead.
        private static let mallopt: (@convention(c) (Int32, Int32) -> Int32)? = {
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return nil }
            return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        }()
    #endif
}
