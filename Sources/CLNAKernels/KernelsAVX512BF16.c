// The bf16 arithmetic kernels (AVX512_BF16): `vdpbf16ps` multiplies pairs of bf16 values exactly and adds both
// products to a float32 accumulator, 32 products per instruction against 16 for a float32 `vfmadd…ps zmm`.
// Used only for `--precision bf16` (ArithmeticPrecision.bf16); the float32 kernels never call them.
//
// Operands are "pair words": a uint32 whose low half is the bf16 of input 2s and whose high half the bf16 of input
// 2s + 1 (an odd last input is paired with a zero). Weights are packed once in panels of 32 outputs, pair-major
// (word j of step s = output j's pair s); activation rows are rounded to bf16 (nearest, ties to even, the integer
// formula of `bfloat16RoundedBits`) when x is packed. Per the Intel definition each `vdpbf16ps` lane computes
// acc + a₁·b₁ + a₀·b₀ with two float32 roundings (the products are exact), treats bf16 subnormal inputs as zero
// and flushes subnormal results; docs/kernels.md derives the error bound the tests check.
#include "CLNAKernels.h"
#if defined(__x86_64__)
#include <immintrin.h>
#pragma clang attribute push(__attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,avx512bf16,avx2,fma"))), \
                             apply_to = function)

typedef uint32_t lna_bf_v16u __attribute__((ext_vector_type(16)));

/// bf16 bits of 16 floats in the low halves: round to nearest, ties to even (NaN handling is irrelevant here:
/// a NaN activation stays a NaN-or-infinity and the forward's NaN checks see it).
static inline __attribute__((always_inline)) lna_bf_v16u round16(const float *p) {
    lna_bf_v16u bits;
    __builtin_memcpy(&bits, p, 64);
    return (bits + (0x7FFFu + ((bits >> 16) & 1u))) >> 16;
}

static inline __attribute__((always_inline)) uint32_t round1(float value) {
    uint32_t bits;
    __builtin_memcpy(&bits, &value, 4);
    return (bits + (0x7FFFu + ((bits >> 16) & 1u))) >> 16;
}

/// Pair words of `count` floats: out[s] = bf16(x[2s]) | bf16(x[2s + 1]) << 16, (count + 1) / 2 words.
static void round_pairs(const float *x, long count, uint32_t *out) {
    long i = 0;
    for (; i + 32 <= count; i += 32) {
        lna_bf_v16u a = round16(x + i), b = round16(x + i + 16);
        // Words 0–7 pair the values of a, 8–15 those of b.
        lna_bf_v16u pairs = __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30)
                            | (__builtin_shufflevector(a, b, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31)
                               << 16);
        __builtin_memcpy(out + i / 2, &pairs, 64);
    }
    for (; i + 1 < count; i += 2) out[i / 2] = round1(x[i]) | round1(x[i + 1]) << 16;
    if (i < count) out[i / 2] = round1(x[i]);
}

/// Up to 8 rows × `depth` floats (rows `rowStride` apart) → one tile of pair words stored pair-major
/// (`tile[s · 8 + r]`), the layout the micro-kernel broadcasts from; missing rows are zero.
static void pack_tile(const float *source, long rows, long rowStride, long depth, uint32_t *tile) {
    long pairs = (depth + 1) / 2;
    uint32_t row[512];
    for (long r = 0; r < 8; r++) {
        for (long s0 = 0; s0 < pairs; s0 += 512) {
            long n = pairs - s0 < 512 ? pairs - s0 : 512;
            if (r < rows) round_pairs(source + r * rowStride + 2 * s0, depth - 2 * s0 < 2 * n ? depth - 2 * s0 : 2 * n, row);
            for (long s = 0; s < n; s++) tile[(s0 + s) * 8 + r] = r < rows ? row[s] : 0;
        }
    }
}

/// C[8×32] (+)= A·B over `pairs` steps of two inputs: A a packed tile (8 pair words per step), B a weight panel
/// (32 pair words per step, steps `ldb` words apart), C rows `ldc` floats apart. 16 zmm accumulators; per step
/// 2 loads of B, 8 broadcasts of A, 16 `vdpbf16ps`.
static void micro_8x32(long pairs, const uint32_t *a, const uint32_t *b, long ldb, float *c, long ldc,
                       int accumulate) {
    __m512 acc[8][2];
#pragma clang loop unroll(full)
    for (int r = 0; r < 8; r++) { acc[r][0] = _mm512_setzero_ps(); acc[r][1] = _mm512_setzero_ps(); }
    for (long s = 0; s < pairs; s++) {
        __m512bh b0 = (__m512bh)_mm512_loadu_si512(b), b1 = (__m512bh)_mm512_loadu_si512(b + 16);
#pragma clang loop unroll(full)
        for (int r = 0; r < 8; r++) {
            __m512bh xr = (__m512bh)_mm512_set1_epi32((int)a[r]);
            acc[r][0] = _mm512_dpbf16_ps(acc[r][0], xr, b0);
            acc[r][1] = _mm512_dpbf16_ps(acc[r][1], xr, b1);
        }
        a += 8;
        b += ldb;
    }
#pragma clang loop unroll(full)
    for (int r = 0; r < 8; r++) {
        float *cp = c + r * ldc;
        if (accumulate) {
            acc[r][0] = _mm512_add_ps(acc[r][0], _mm512_loadu_ps(cp));
            acc[r][1] = _mm512_add_ps(acc[r][1], _mm512_loadu_ps(cp + 16));
        }
        _mm512_storeu_ps(cp, acc[r][0]);
        _mm512_storeu_ps(cp + 16, acc[r][1]);
    }
}

/// One weight panel (32 pair words per step) times one row of pair words: the 32 sums, bias not added.
/// 4 steps at a time into 4 pairs of accumulators (the float32 GEMV's pattern).
static void gemv_panel(const uint32_t *panel, long pairs, const uint32_t *x, float *out32) {
    __m512 s0 = _mm512_setzero_ps(), s1 = s0, t0 = s0, t1 = s0, u0 = s0, u1 = s0, v0 = s0, v1 = s0;
    long s = 0;
#define LNA_W(step, half) ((__m512bh)_mm512_loadu_si512(panel + (step) * 32 + (half) * 16))
#define LNA_X(step) ((__m512bh)_mm512_set1_epi32((int)x[step]))
    for (; s + 4 <= pairs; s += 4) {
        s0 = _mm512_dpbf16_ps(s0, LNA_X(s), LNA_W(s, 0)); s1 = _mm512_dpbf16_ps(s1, LNA_X(s), LNA_W(s, 1));
        t0 = _mm512_dpbf16_ps(t0, LNA_X(s + 1), LNA_W(s + 1, 0)); t1 = _mm512_dpbf16_ps(t1, LNA_X(s + 1), LNA_W(s + 1, 1));
        u0 = _mm512_dpbf16_ps(u0, LNA_X(s + 2), LNA_W(s + 2, 0)); u1 = _mm512_dpbf16_ps(u1, LNA_X(s + 2), LNA_W(s + 2, 1));
        v0 = _mm512_dpbf16_ps(v0, LNA_X(s + 3), LNA_W(s + 3, 0)); v1 = _mm512_dpbf16_ps(v1, LNA_X(s + 3), LNA_W(s + 3, 1));
    }
    for (; s < pairs; s++) {
        s0 = _mm512_dpbf16_ps(s0, LNA_X(s), LNA_W(s, 0));
        s1 = _mm512_dpbf16_ps(s1, LNA_X(s), LNA_W(s, 1));
    }
#undef LNA_W
#undef LNA_X
    _mm512_storeu_ps(out32, _mm512_add_ps(_mm512_add_ps(s0, t0), _mm512_add_ps(u0, v0)));
    _mm512_storeu_ps(out32 + 16, _mm512_add_ps(_mm512_add_ps(s1, t1), _mm512_add_ps(u1, v1)));
}

#pragma clang attribute pop

const lna_bf16_kernel_table lna_kernels_avx512_bf16 = { micro_8x32, gemv_panel, pack_tile, round_pairs };
#endif
