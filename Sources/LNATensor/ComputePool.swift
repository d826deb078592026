import COpenBLAS
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one owner of lna's compute threads: every parallel kernel goes through `parallelFor`.
///
/// Work is spread over `DispatchQueue.concurrentPerform`, whose per-call overhead was measured at a few
/// microseconds on the 2-core target (see docs/kernels.md), negligible for the ~0.1–1 ms tasks the kernels
/// hand it. A `parallelFor` called from inside another one runs serially on the calling thread, so nested
/// parallel kernels never oversubscribe the cores. Creating the pool pins OpenBLAS to one thread: lna
/// parallelises around BLAS calls, never inside them.
///
/// ```swift
/// ComputePool.shared.parallelFor(count: rows) { row in normalise(row) }
/// ```
public final class ComputePool: Sendable {
    /// The process-wide pool, sized to the active processors.
    public static let shared = ComputePool()

    /// How many iterations may run at the same time.
    public let threadCount: Int

    init() {
        threadCount = Self.usableProcessors()
        openblas_set_num_threads(1)
    }

    /// The processors this process may run on: its CPU affinity mask where the OS has one (`taskset`, Slurm
    /// and container cpusets restrict it), else the online processors.
    static func usableProcessors() -> Int {
        let online = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #if os(Linux)
        // sched_getaffinity is a GNU extension the Glibc module does not export: look it up by name.
        typealias GetAffinity = @convention(c) (Int32, Int, UnsafeMutableRawPointer) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sched_getaffinity") else { return online }
        var mask = [UInt64](repeating: 0, count: 16)   // 1024 CPUs, glibc's cpu_set_t
        let status = mask.withUnsafeMutableBytes { bytes in
            unsafeBitCast(symbol, to: GetAffinity.self)(0, bytes.count, bytes.baseAddress!)
        }
        guard status == 0 else { return online }
        let allowed = mask.reduce(0) { $0 + $1.nonzeroBitCount }
        return max(1, min(online, allowed))
        #else
        return online
        #endif
    }

    /// Runs `body(i)` for every `i` in `0..<count`, spread over the pool's threads; returns when all are done.
    ///
    /// Iterations may run in any order and concurrently, so they must write disjoint memory.
    ///
    /// ```swift
    /// ComputePool.shared.parallelFor(count: 4) { chunk in work(on: chunk) }
    /// ```
    public func parallelFor(count: Int, _ body: (Int) -> Void) {
        if count <= 0 { return }
        if count == 1 || threadCount == 1 || ParallelRegion.isInside {
            for index in 0..<count { body(index) }
            return
        }
        withoutActuallyEscaping(body) { body in
            // concurrentPerform wants a @Sendable closure; the iterations write disjoint memory by contract.
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: count) { index in
                let wasInside = ParallelRegion.isInside
                ParallelRegion.isInside = true
                shared.value(index)
                ParallelRegion.isInside = wasInside
            }
        }
    }

    /// Splits `0..<total` into at most `maxChunks` contiguous ranges of at least `minimumChunk` items and runs
    /// `body` on each in parallel.
    ///
    /// ```swift
    /// ComputePool.shared.parallelChunks(total: rows, minimumChunk: 16) { range in for r in range { … } }
    /// ```
    public func parallelChunks(total: Int, minimumChunk: Int = 1, maxChunks: Int? = nil,
                               _ body: (Range<Int>) -> Void) {
        if total <= 0 { return }
        let limit = maxChunks ?? threadCount
        let chunks = max(1, min(limit, total / max(1, minimumChunk)))
        let base = total / chunks, extra = total % chunks
        parallelFor(count: chunks) { chunk in
            let start = chunk * base + min(chunk, extra)
            body(start..<(start + base + (chunk < extra ? 1 : 0)))
        }
    }
}

/// Runs `body(i)` for `i` in `0..<count` on the shared `ComputePool`.
///
/// ```swift
/// parallelFor(count: heads) { head in attend(head) }
/// ```
public func parallelFor(count: Int, _ body: (Int) -> Void) {
    ComputePool.shared.parallelFor(count: count, body)
}

/// A per-thread flag marking code that already runs inside a `parallelFor` iteration.
enum ParallelRegion {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()
    static var isInside: Bool {
        get { pthread_getspecific(key) != nil }
        set { pthread_setspecific(key, newValue ? UnsafeMutableRawPointer(bitPattern: 1) : nil) }
    }
}

/// Carries a non-Sendable value into a concurrent closure whose callers guarantee disjoint access.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
