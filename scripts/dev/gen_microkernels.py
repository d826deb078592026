import sys
def kernel(mr, nv):
    nr = 16*nv
    L = []
    L.append(f"/// C[{mr}×{nr}] (+)= A·B over `k` steps. A is packed k-major ({mr} values per step), B rows are `ldb`")
    L.append(f"/// floats apart ({nr} used), C rows `ldc` floats apart. With `accumulate` false, C is overwritten.")
    L.append("@inline(__always)")
    L.append(f"func microKernel{mr}x{nr}(k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, ldb: Int,")
    L.append(f"                         c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {{")
    for r in range(mr):
        L.append("    " + " ".join(f"var c{r}_{v} = SIMD16<Float>();" for v in range(nv)))
    L.append("    var ap = a")
    L.append("    var bp = UnsafeRawPointer(b)")
    L.append("    let bStride = ldb &* 4")
    L.append("    var remaining = k")
    L.append("    while remaining > 0 {")
    for v in range(nv):
        L.append(f"        let b{v} = bp.loadUnaligned(fromByteOffset: {64*v}, as: SIMD16<Float>.self)")
    for r in range(mr):
        L.append(f"        let x{r} = SIMD16<Float>(repeating: ap[{r}])")
        for v in range(nv):
            L.append(f"        c{r}_{v}.addProduct(x{r}, b{v})")
    L.append(f"        ap += {mr}")
    L.append("        bp += bStride")
    L.append("        remaining &-= 1")
    L.append("    }")
    L.append("    let rc = UnsafeMutableRawPointer(c)")
    L.append("    let rowBytes = ldc &* 4")
    L.append("    if accumulate {")
    for r in range(mr):
        for v in range(nv):
            L.append(f"        c{r}_{v} += rc.loadUnaligned(fromByteOffset: {r} &* rowBytes &+ {64*v}, as: SIMD16<Float>.self)")
    L.append("    }")
    for r in range(mr):
        for v in range(nv):
            L.append(f"    rc.storeBytes(of: c{r}_{v}, toByteOffset: {r} &* rowBytes &+ {64*v}, as: SIMD16<Float>.self)")
    L.append("}")
    return "\n".join(L)
for spec in sys.argv[1:]:
    mr, nv = map(int, spec.split("x"))
    print(kernel(mr, nv)); print()
