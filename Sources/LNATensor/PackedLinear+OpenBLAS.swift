import COpenBLAS

extension PackedLinear {
    /// `cblas_sgemm`/`cblas_sgemv` on the row-major weight, the outputs split over the pool's threads
    /// (OpenBLAS itself runs single-threaded: `ComputePool` set it so).
    func applyOpenBLAS(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        let k = inputs, n = outputs
        let pool = ComputePool.shared
        pool.parallelChunks(total: (n + 15) / 16, minimumChunk: 4, maxChunks: pool.threadCount) { chunk in
            let first = chunk.lowerBound * 16, count = min(n, chunk.upperBound * 16) - first
            var beta: Float = 0
            if let bias {
                for r in 0..<rows { (y + r * n + first).update(from: bias + first, count: count) }
                beta = 1
            }
            let w = UnsafePointer(storage + first * k)
            if rows == 1 {
                cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(count), Int32(k), 1, w, Int32(k), x, 1, beta, y + first, 1)
            } else {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(count), Int32(k),
                            1, x, Int32(k), w, Int32(k), beta, y + first, Int32(n))
            }
        }
    }
}
