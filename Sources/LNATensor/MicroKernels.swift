// Generated register-blocked micro-kernels (one accumulator per SIMD16 lane group of C). Each kernel keeps its
// whole C tile in AVX-512 registers (with -target-cpu native) for the k loop; see docs/kernels.md.

/// C[8×32] (+)= A·B over `k` steps. A is packed k-major (8 values per step), B rows are `ldb`
/// floats apart (32 used), C rows `ldc` floats apart. With `accumulate` false, C is overwritten.
@inline(__always)
func microKernel8x32(k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, ldb: Int,
                         c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
    var c0_0 = SIMD16<Float>(); var c0_1 = SIMD16<Float>();
    var c1_0 = SIMD16<Float>(); var c1_1 = SIMD16<Float>();
    var c2_0 = SIMD16<Float>(); var c2_1 = SIMD16<Float>();
    var c3_0 = SIMD16<Float>(); var c3_1 = SIMD16<Float>();
    var c4_0 = SIMD16<Float>(); var c4_1 = SIMD16<Float>();
    var c5_0 = SIMD16<Float>(); var c5_1 = SIMD16<Float>();
    var c6_0 = SIMD16<Float>(); var c6_1 = SIMD16<Float>();
    var c7_0 = SIMD16<Float>(); var c7_1 = SIMD16<Float>();
    var ap = a
    var bp = UnsafeRawPointer(b)
    let bStride = ldb &* 4
    var remaining = k
    while remaining > 0 {
        let b0 = bp.loadUnaligned(fromByteOffset: 0, as: SIMD16<Float>.self)
        let b1 = bp.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
        let x0 = SIMD16<Float>(repeating: ap[0])
        c0_0.addProduct(x0, b0)
        c0_1.addProduct(x0, b1)
        let x1 = SIMD16<Float>(repeating: ap[1])
        c1_0.addProduct(x1, b0)
        c1_1.addProduct(x1, b1)
        let x2 = SIMD16<Float>(repeating: ap[2])
        c2_0.addProduct(x2, b0)
        c2_1.addProduct(x2, b1)
        let x3 = SIMD16<Float>(repeating: ap[3])
        c3_0.addProduct(x3, b0)
        c3_1.addProduct(x3, b1)
        let x4 = SIMD16<Float>(repeating: ap[4])
        c4_0.addProduct(x4, b0)
        c4_1.addProduct(x4, b1)
        let x5 = SIMD16<Float>(repeating: ap[5])
        c5_0.addProduct(x5, b0)
        c5_1.addProduct(x5, b1)
        let x6 = SIMD16<Float>(repeating: ap[6])
        c6_0.addProduct(x6, b0)
        c6_1.addProduct(x6, b1)
        let x7 = SIMD16<Float>(repeating: ap[7])
        c7_0.addProduct(x7, b0)
        c7_1.addProduct(x7, b1)
        ap += 8
        bp += bStride
        remaining &-= 1
    }
    let rc = UnsafeMutableRawPointer(c)
    let rowBytes = ldc &* 4
    if accumulate {
        c0_0 += rc.loadUnaligned(fromByteOffset: 0 &* rowBytes &+ 0, as: SIMD16<Float>.self)
        c0_1 += rc.loadUnaligned(fromByteOffset: 0 &* rowBytes &+ 64, as: SIMD16<Float>.self)
        c1_0 += rc.loadUnaligned(fromByteOffset: 1 &* rowBytes &+ 0, as: SIMD16<Float>.self)
        c1_1 += rc.loadUnaligned(fromByteOffset: 1 &* rowBytes &+ 64, as: SIMD16<Float>.self)
        c2_0 += rc.loadUnaligned(fromByteOffset: 2 &* rowBytes &+ 0, as: SIMD16<Float>.self)
        c2_1 += rc.loadUnaligned(fromByteOffset: 2 &* rowBytes &+ 64, as: SIMD16<Float>.self)
        c3_0 += rc.loadUnaligned(fromByteOffset: 3 &* rowBytes &+ 0, as: SIMD16<Float>.self)
        c3_1 += rc.loadUnaligned(fromByteOffset: 3 &* rowBytes &+ 64, as: SIMD16<Float>.self)
        c4_0 += rc.loadUnaligned(fromByteOffset: 4 &* rowBytes &+ 0, as: SIMD16<Float>.self)
        c4_1 += rc.loadUnaligned(fromByteOffset: 4 &* rowBytes &+ 64, as: SIMD16<Float>.self)
        c5_0 += rc.loadUnaligned(fromByteOffset: 5 &* rowBytes &+ 0, as: SIMD16<Float>.self)
        c5_1 += rc.loadUnaligned(fromByteOffset: 5 &* rowBytes &+ 64, as: SIMD16<Float>.self)
        c6_0 += rc.loadUnaligned(fromByteOffset: 6 &* rowBytes &+ 0, as: SIMD16<Float>.self)
        c6_1 += rc.loadUnaligned(fromByteOffset: 6 &* rowBytes &+ 64, as: SIMD16<Float>.self)
        c7_0 += rc.loadUnaligned(fromByteOffset: 7 &* rowBytes &+ 0, as: SIMD16<Float>.self)
        c7_1 += rc.loadUnaligned(fromByteOffset: 7 &* rowBytes &+ 64, as: SIMD16<Float>.self)
    }
    rc.storeBytes(of: c0_0, toByteOffset: 0 &* rowBytes &+ 0, as: SIMD16<Float>.self)
    rc.storeBytes(of: c0_1, toByteOffset: 0 &* rowBytes &+ 64, as: SIMD16<Float>.self)
    rc.storeBytes(of: c1_0, toByteOffset: 1 &* rowBytes &+ 0, as: SIMD16<Float>.self)
    rc.storeBytes(of: c1_1, toByteOffset: 1 &* rowBytes &+ 64, as: SIMD16<Float>.self)
    rc.storeBytes(of: c2_0, toByteOffset: 2 &* rowBytes &+ 0, as: SIMD16<Float>.self)
    rc.storeBytes(of: c2_1, toByteOffset: 2 &* rowBytes &+ 64, as: SIMD16<Float>.self)
    rc.storeBytes(of: c3_0, toByteOffset: 3 &* rowBytes &+ 0, as: SIMD16<Float>.self)
    rc.storeBytes(of: c3_1, toByteOffset: 3 &* rowBytes &+ 64, as: SIMD16<Float>.self)
    rc.storeBytes(of: c4_0, toByteOffset: 4 &* rowBytes &+ 0, as: SIMD16<Float>.self)
    rc.storeBytes(of: c4_1, toByteOffset: 4 &* rowBytes &+ 64, as: SIMD16<Float>.self)
    rc.storeBytes(of: c5_0, toByteOffset: 5 &* rowBytes &+ 0, as: SIMD16<Float>.self)
    rc.storeBytes(of: c5_1, toByteOffset: 5 &* rowBytes &+ 64, as: SIMD16<Float>.self)
    rc.storeBytes(of: c6_0, toByteOffset: 6 &* rowBytes &+ 0, as: SIMD16<Float>.self)
    rc.storeBytes(of: c6_1, toByteOffset: 6 &* rowBytes &+ 64, as: SIMD16<Float>.self)
    rc.storeBytes(of: c7_0, toByteOffset: 7 &* rowBytes &+ 0, as: SIMD16<Float>.self)
    rc.storeBytes(of: c7_1, toByteOffset: 7 &* rowBytes &+ 64, as: SIMD16<Float>.self)
}

/// C[8×16] (+)= A·B over `k` steps. A is packed k-major (8 values per step), B rows are `ldb`
/// floats apart (16 used), C rows `ldc` floats apart. With `accumulate` false, C is overwritten.
@inline(__always)
func microKernel8x16(k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, ldb: Int,
                         c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
    var c0_0 = SIMD16<Float>();
    var c1_0 = SIMD16<Float>();
    var c2_0 = SIMD16<Float>();
    var c3_0 = SIMD16<Float>();
    var c4_0 = SIMD16<Float>();
    var c5_0 = SIMD16<Float>();
    var c6_0 = SIMD16<Float>();
    var c7_0 = SIMD16<Float>();
    var ap = a
    var bp = UnsafeRawPointer(b)
    let bStride = ldb &* 4
    var remaining = k
    while remaining > 0 {
        let b0 = bp.loadUnaligned(fromByteOffset: 0, as: SIMD16<Float>.self)
        let x0 = SIMD16<Float>(repeating: ap[0])
        c0_0.addProduct(x0, b0)
        let x1 = SIMD16<Float>(repeating: ap[1])
        c1_0.addProduct(x1, b0)
        let x2 = SIMD16<Float>(repeating: ap[2])
        c2_0.addProduct(x2, b0)
        let x3 = SIMD16<Float>(repeating: ap[3])
        c3_0.addProduct(x3, b0)
        let x4 = SIMD16<Float>(repeating: ap[4])
        c4_0.addProduct(x4, b0)
        let x5 = SIMD16<Float>(repeating: ap[5])
        c5_0.addProduct(x5, b0)
        let x6 = SIMD16<Float>(repeating: ap[6])
        c6_0.addProduct(x6, b0)
        let x7 = SIMD16<Float>(repeating: ap[7])
        c7_0.addProduct(x7, b0)
        ap += 8
        bp += bStride
        remaining &-= 1
    }
    let rc = UnsafeMutableRawPointer(c)
    let rowBytes = ldc &* 4
    if accumulate {
        c0_0 += rc.loadUnaligned(fromByteOffset: 0 &* rowBytes &+ 0, as: SIMD16<Float>.self)
        c1_0 += rc.loadUnaligned(fromByteOffset: 1 &* rowBytes &+ 0, as: SIMD16<Float>.self)
        c2_0 += rc.loadUnaligned(fromByteOffset: 2 &* rowBytes &+ 0, as: SIMD16<Float>.self)
        c3_0 += rc.loadUnaligned(fromByteOffset: 3 &* rowBytes &+ 0, as: SIMD16<Float>.self)
        c4_0 += rc.loadUnaligned(fromByteOffset: 4 &* rowBytes &+ 0, as: SIMD16<Float>.self)
        c5_0 += rc.loadUnaligned(fromByteOffset: 5 &* rowBytes &+ 0, as: SIMD16<Float>.self)
        c6_0 += rc.loadUnaligned(fromByteOffset: 6 &* rowBytes &+ 0, as: SIMD16<Float>.self)
        c7_0 += rc.loadUnaligned(fromByteOffset: 7 &* rowBytes &+ 0, as: SIMD16<Float>.self)
    }
    rc.storeBytes(of: c0_0, toByteOffset: 0 &* rowBytes &+ 0, as: SIMD16<Float>.self)
    rc.storeBytes(of: c1_0, toByteOffset: 1 &* rowBytes &+ 0, as: SIMD16<Float>.self)
    rc.storeBytes(of: c2_0, toByteOffset: 2 &* rowBytes &+ 0, as: SIMD16<Float>.self)
    rc.storeBytes(of: c3_0, toByteOffset: 3 &* rowBytes &+ 0, as: SIMD16<Float>.self)
    rc.storeBytes(of: c4_0, toByteOffset: 4 &* rowBytes &+ 0, as: SIMD16<Float>.self)
    rc.storeBytes(of: c5_0, toByteOffset: 5 &* rowBytes &+ 0, as: SIMD16<Float>.self)
    rc.storeBytes(of: c6_0, toByteOffset: 6 &* rowBytes &+ 0, as: SIMD16<Float>.self)
    rc.storeBytes(of: c7_0, toByteOffset: 7 &* rowBytes &+ 0, as: SIMD16<Float>.self)
}

