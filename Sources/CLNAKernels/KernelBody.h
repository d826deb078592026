// The kernels, written once with clang vector extensions and compiled by each Kernels<Set>.c inside a
// `#pragma clang attribute push(target(...))`, so every function below gets that set's instructions.
// Each file defines before including this one:
//   LNA_TABLE      name of the table to define (lna_kernels_avx512, …)
//   LNA_FMA(a,b,c) a·b + c, fused (AVX2/AVX-512: vfmadd) or as a multiply then an add (generic)
//   LNA_MK_ROWS, LNA_MK_VECS  register block of the micro-kernel: rows × 16-float vectors kept in registers
//     (8 × 2 fills 16 of AVX-512's 32 zmm; AVX2 has 16 ymm, so it runs the 8 × 32 tile as 4 passes of 4 × 16).
//
// Every kernel reproduces, lane for lane and in the same order, the arithmetic of the Swift SIMD16 code it
// replaced (docs/kernels.md), so the AVX-512 and AVX2 sets give bit-identical float32 results and the generic set
// differs only by the rounding of unfused multiply-adds. Contraction is off: `a * b + c` stays two roundings.
#pragma STDC FP_CONTRACT OFF

typedef float lna_v16 __attribute__((ext_vector_type(16)));
typedef uint32_t lna_v16u __attribute__((ext_vector_type(16)));
typedef double lna_v8d __attribute__((ext_vector_type(8)));

#define LNA_INLINE static inline __attribute__((always_inline))

LNA_INLINE lna_v16 splat(float s) { return (lna_v16)(s); }
LNA_INLINE lna_v16 load16(const float *p) { lna_v16 v; __builtin_memcpy(&v, p, 64); return v; }
LNA_INLINE void store16(float *p, lna_v16 v) { __builtin_memcpy(p, &v, 64); }
/// `mask ? a : b` lane-wise (mask lanes all ones or all zeros, as comparisons give).
LNA_INLINE lna_v16 select16(lna_v16u mask, lna_v16 a, lna_v16 b) {
    return (lna_v16)(((lna_v16u)a & mask) | ((lna_v16u)b & ~mask));
}
/// Σ lanes in lane order from −0, as Swift's `SIMD.sum()`.
LNA_INLINE float sum16(lna_v16 v) {
    float s = -0.0f;
    for (int i = 0; i < 16; i++) s += v[i];
    return s;
}

/// e^x: Cody–Waite range reduction, degree-7 polynomial, 2^n in the exponent bits; −87.3 > x → 0,
/// x > 88.7 → +∞, NaN stays NaN (the Swift `vectorExp` documents the accuracy).
LNA_INLINE lna_v16 vexp(lna_v16 x) {
    lna_v16 clamped = select16((lna_v16u)(x < -87.3f), splat(-87.3f), x);
    clamped = select16((lna_v16u)(x > 88.7f), splat(88.7f), clamped);
    lna_v16 magic = splat(12582912.0f);
    lna_v16 shifted = LNA_FMA(clamped, splat(1.4426950408889634f), magic);
    lna_v16 n = shifted - magic;
    lna_v16 r = LNA_FMA(n, splat(-0.693145751953125f), clamped);
    r = LNA_FMA(n, splat(-1.428606765330187045e-06f), r);
    lna_v16 p = splat(1.0f / 5040);
    p = LNA_FMA(p, r, splat(1.0f / 720));
    p = LNA_FMA(p, r, splat(1.0f / 120));
    p = LNA_FMA(p, r, splat(1.0f / 24));
    p = LNA_FMA(p, r, splat(1.0f / 6));
    p = LNA_FMA(p, r, splat(0.5f));
    p = LNA_FMA(p, r, splat(1.0f));
    p = LNA_FMA(p, r, splat(1.0f));
    lna_v16u exponent = (((lna_v16u)shifted - 0x4B400000u) + 127u) << 23;
    lna_v16 result = p * (lna_v16)exponent;
    result = select16((lna_v16u)(x < -87.3f), splat(0.0f), result);
    result = select16((lna_v16u)(x > 88.7f), splat(__builtin_inff()), result);
    return result;
}

LNA_INLINE lna_v16 vtanh(lna_v16 x) { return 1.0f - 2.0f / (vexp(2.0f * x) + 1.0f); }

LNA_INLINE lna_v16 silu16(lna_v16 v) { return v / (1.0f + vexp(-v)); }
LNA_INLINE lna_v16 gelu16(lna_v16 v) {
    lna_v16 inner = 0.7978845608028654f * LNA_FMA(0.044715f * v * v, v, v);
    return 0.5f * v * (1.0f + vtanh(inner));
}

/// Applies OP (an expression of `v`, and of `extra`) to `count` floats in place, the tail through a
/// zero-padded vector.
#define LNA_TRANSFORM(x, count, extra, OP)                                                                      \
    do {                                                                                                       \
        long i_ = 0;                                                                                           \
        for (; i_ + 16 <= (count); i_ += 16) { lna_v16 v = load16((x) + i_); store16((x) + i_, (OP)); }        \
        if (i_ < (count)) {                                                                                    \
            lna_v16 v = splat(0.0f);                                                                           \
            for (long j_ = 0; j_ < (count) - i_; j_++) v[j_] = (x)[i_ + j_];                                   \
            lna_v16 out_ = (OP);                                                                               \
            for (long j_ = 0; j_ < (count) - i_; j_++) (x)[i_ + j_] = out_[j_];                                \
        }                                                                                                      \
        (void)(extra);                                                                                         \
    } while (0)

static void exp16(const float *x, float *out) { store16(out, vexp(load16(x))); }
static void silu(float *x, long count) { LNA_TRANSFORM(x, count, 0, silu16(v)); }
static void gelu_tanh(float *x, long count) { LNA_TRANSFORM(x, count, 0, gelu16(v)); }
static void softcap(float *x, long count, float cap) {
    lna_v16 c = splat(cap);
    LNA_TRANSFORM(x, count, c, c * vtanh(v / c));
}
static void scale(float *a, float factor, long count) { LNA_TRANSFORM(a, count, factor, v * factor); }

/// Largest value (−∞ for an empty or all −∞ row), lanes first, then the lanes in order, then the tail.
LNA_INLINE float row_maximum(const float *x, long count) {
    lna_v16 lanes = splat(-__builtin_inff());
    long i = 0;
    for (; i + 16 <= count; i += 16) {
        lna_v16 v = load16(x + i);
        lanes = select16((lna_v16u)(v > lanes), v, lanes);
    }
    float maximum = -__builtin_inff();
    for (int lane = 0; lane < 16; lane++) if (lanes[lane] > maximum) maximum = lanes[lane];
    for (; i < count; i++) if (x[i] > maximum) maximum = x[i];
    return maximum;
}

static void softmax_row(float *x, long count) {
    if (count == 0) return;
    float maximum = row_maximum(x, count);
    if (maximum == -__builtin_inff()) {
        for (long i = 0; i < count; i++) x[i] = 0;
        return;
    }
    lna_v16 shift = splat(maximum), lanes = splat(0.0f);
    float tail = 0;
    long i = 0;
    for (; i + 16 <= count; i += 16) {
        lna_v16 e = vexp(load16(x + i) - shift);
        store16(x + i, e);
        lanes += e;
    }
    for (; i < count; i++) { x[i] = vexp(splat(x[i] - maximum))[0]; tail += x[i]; }
    float inverse = 1.0f / (sum16(lanes) + tail);
    LNA_TRANSFORM(x, count, inverse, v * inverse);
}

static double sum_exp(const float *x, long count, float shift) {
    lna_v16 m = splat(shift);
    lna_v8d s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    long i = 0;
    for (; i + 32 <= count; i += 32) {
        lna_v16 a = vexp(load16(x + i) - m), b = vexp(load16(x + i + 16) - m);
        s0 += __builtin_convertvector(a.lo, lna_v8d);
        s1 += __builtin_convertvector(a.hi, lna_v8d);
        s2 += __builtin_convertvector(b.lo, lna_v8d);
        s3 += __builtin_convertvector(b.hi, lna_v8d);
    }
    if (i < count) {
        // The tail through padded vectors: −∞ lanes contribute exactly 0.
        lna_v16 a = splat(-__builtin_inff()), b = a;
        for (long j = 0; j < count - i && j < 16; j++) a[j] = x[i + j];
        for (long j = 16; j < count - i; j++) b[j - 16] = x[i + j];
        lna_v16 ea = vexp(a - m), eb = vexp(b - m);
        s0 += __builtin_convertvector(ea.lo, lna_v8d);
        s1 += __builtin_convertvector(ea.hi, lna_v8d);
        s2 += __builtin_convertvector(eb.lo, lna_v8d);
        s3 += __builtin_convertvector(eb.hi, lna_v8d);
    }
    lna_v8d total = (s0 + s1) + (s2 + s3);
    double sum = -0.0;
    for (int lane = 0; lane < 8; lane++) sum += total[lane];
    return sum;
}

static void rms_norm_row(const float *x, long dimension, const float *weight, float epsilon, float *y) {
    double total = 0;
    long i = 0;
    while (i < dimension) {
        long end = dimension < i + 256 ? dimension : i + 256;
        lna_v16 lanes = splat(0.0f);
        for (; i + 16 <= end; i += 16) { lna_v16 v = load16(x + i); lanes = LNA_FMA(v, v, lanes); }
        double block = (double)sum16(lanes);
        for (; i < end; i++) block += (double)x[i] * (double)x[i];
        total += block;
    }
    float inverse = (float)(1.0 / __builtin_sqrt(total / (double)dimension + (double)epsilon));
    lna_v16 s = splat(inverse);
    i = 0;
    if (weight) {
        for (; i + 16 <= dimension; i += 16) store16(y + i, load16(x + i) * s * load16(weight + i));
        for (; i < dimension; i++) y[i] = x[i] * inverse * weight[i];
    } else {
        for (; i + 16 <= dimension; i += 16) store16(y + i, load16(x + i) * s);
        for (; i < dimension; i++) y[i] = x[i] * inverse;
    }
}

static float dot(const float *a, const float *b, long count) {
    lna_v16 s0 = splat(0.0f), s1 = splat(0.0f);
    long i = 0;
    for (; i + 32 <= count; i += 32) {
        s0 = LNA_FMA(load16(a + i), load16(b + i), s0);
        s1 = LNA_FMA(load16(a + i + 16), load16(b + i + 16), s1);
    }
    for (; i + 16 <= count; i += 16) s0 = LNA_FMA(load16(a + i), load16(b + i), s0);
    float total = sum16(s0 + s1);
    for (; i < count; i++) total += a[i] * b[i];
    return total;
}

static void axpy(const float *x, float factor, float *y, long count) {
    lna_v16 f = splat(factor);
    long i = 0;
    for (; i + 16 <= count; i += 16) store16(y + i, LNA_FMA(f, load16(x + i), load16(y + i)));
    for (; i < count; i++) y[i] += factor * x[i];
}

static void add(float *a, const float *b, long count) {
    long i = 0;
    for (; i + 16 <= count; i += 16) store16(a + i, load16(a + i) + load16(b + i));
    for (; i < count; i++) a[i] = a[i] + b[i];
}

static void multiply(float *a, const float *b, long count) {
    long i = 0;
    for (; i + 16 <= count; i += 16) store16(a + i, load16(a + i) * load16(b + i));
    for (; i < count; i++) a[i] = a[i] * b[i];
}

/// One register block of the micro-kernel: LNA_MK_ROWS rows × LNA_MK_VECS·16 columns of C over k steps.
/// Row r of A at step kk is a[kk·aStep + r·aRow] (packed: aStep 8, aRow 1; strided: aStep 1, aRow lda).
LNA_INLINE void micro_block(long k, const float *a, long aStep, long aRow, const float *b, long ldb, float *c,
                            long ldc, int accumulate) {
    lna_v16 acc[LNA_MK_ROWS][LNA_MK_VECS];
#pragma clang loop unroll(full)
    for (int r = 0; r < LNA_MK_ROWS; r++)
#pragma clang loop unroll(full)
        for (int v = 0; v < LNA_MK_VECS; v++) acc[r][v] = splat(0.0f);
    for (long kk = 0; kk < k; kk++) {
        lna_v16 bv[LNA_MK_VECS];
#pragma clang loop unroll(full)
        for (int v = 0; v < LNA_MK_VECS; v++) bv[v] = load16(b + v * 16);
#pragma clang loop unroll(full)
        for (int r = 0; r < LNA_MK_ROWS; r++) {
            lna_v16 xr = splat(a[r * aRow]);
#pragma clang loop unroll(full)
            for (int v = 0; v < LNA_MK_VECS; v++) acc[r][v] = LNA_FMA(xr, bv[v], acc[r][v]);
        }
        a += aStep;
        b += ldb;
    }
#pragma clang loop unroll(full)
    for (int r = 0; r < LNA_MK_ROWS; r++)
#pragma clang loop unroll(full)
        for (int v = 0; v < LNA_MK_VECS; v++) {
            float *cp = c + r * ldc + v * 16;
            store16(cp, accumulate ? acc[r][v] + load16(cp) : acc[r][v]);
        }
}

static void micro_8x32(long k, const float *a, const float *b, long ldb, float *c, long ldc, int accumulate) {
    for (int r0 = 0; r0 < 8; r0 += LNA_MK_ROWS)
        for (int v0 = 0; v0 < 2; v0 += LNA_MK_VECS)
            micro_block(k, a + r0, 8, 1, b + v0 * 16, ldb, c + r0 * ldc + v0 * 16, ldc, accumulate);
}

static void micro_8x32_strided(long k, const float *a, long lda, const float *b, long ldb, float *c, long ldc,
                               int accumulate) {
    for (int r0 = 0; r0 < 8; r0 += LNA_MK_ROWS)
        for (int v0 = 0; v0 < 2; v0 += LNA_MK_VECS)
            micro_block(k, a + r0 * lda, 1, lda, b + v0 * 16, ldb, c + r0 * ldc + v0 * 16, ldc, accumulate);
}

/// Outputs 0–15 of an interleaved bf16 step (low halves moved up) and 16–31 (high halves in place).
LNA_INLINE lna_v16 widen_low(lna_v16u w) { return (lna_v16)(w << 16); }
LNA_INLINE lna_v16 widen_high(lna_v16u w) { return (lna_v16)(w & 0xFFFF0000u); }
LNA_INLINE lna_v16u load16u(const uint32_t *p) { lna_v16u v; __builtin_memcpy(&v, p, 64); return v; }

/// The matrix–vector accumulator pattern: 4 steps at a time into 4 pairs of accumulators, the rest into the
/// first pair; outputs (s0 + t0) + (u0 + v0) and (s1 + t1) + (u1 + v1). LOW(i, s) / HIGH(i, s) give the two
/// weight vectors of step s after step i.
#define LNA_GEMV(k, x, out32, LOW, HIGH)                                                                        \
    do {                                                                                                       \
        lna_v16 s0 = 0, s1 = 0, t0 = 0, t1 = 0, u0 = 0, u1 = 0, v0 = 0, v1 = 0;                                \
        long i = 0;                                                                                            \
        for (; i + 4 <= (k); i += 4) {                                                                         \
            lna_v16 x0 = splat((x)[i]), x1 = splat((x)[i + 1]), x2 = splat((x)[i + 2]), x3 = splat((x)[i + 3]);\
            s0 = LNA_FMA(x0, LOW(i, 0), s0); s1 = LNA_FMA(x0, HIGH(i, 0), s1);                                 \
            t0 = LNA_FMA(x1, LOW(i, 1), t0); t1 = LNA_FMA(x1, HIGH(i, 1), t1);                                 \
            u0 = LNA_FMA(x2, LOW(i, 2), u0); u1 = LNA_FMA(x2, HIGH(i, 2), u1);                                 \
            v0 = LNA_FMA(x3, LOW(i, 3), v0); v1 = LNA_FMA(x3, HIGH(i, 3), v1);                                 \
        }                                                                                                      \
        for (; i < (k); i++) {                                                                                 \
            lna_v16 xi = splat((x)[i]);                                                                        \
            s0 = LNA_FMA(xi, LOW(i, 0), s0); s1 = LNA_FMA(xi, HIGH(i, 0), s1);                                 \
        }                                                                                                      \
        store16((out32), (s0 + t0) + (u0 + v0));                                                               \
        store16((out32) + 16, (s1 + t1) + (u1 + v1));                                                          \
    } while (0)

static void gemv_panel(const float *panel, long k, const float *x, float *out32) {
#define F32_LOW(i, s) load16(panel + ((i) + (s)) * 32)
#define F32_HIGH(i, s) load16(panel + ((i) + (s)) * 32 + 16)
    LNA_GEMV(k, x, out32, F32_LOW, F32_HIGH);
#undef F32_LOW
#undef F32_HIGH
}

static void gemv_panel_bf16(const uint32_t *panel, long k, const float *x, float *out32) {
#define BF16_LOW(i, s) widen_low(load16u(panel + ((i) + (s)) * 16))
#define BF16_HIGH(i, s) widen_high(load16u(panel + ((i) + (s)) * 16))
    LNA_GEMV(k, x, out32, BF16_LOW, BF16_HIGH);
#undef BF16_LOW
#undef BF16_HIGH
}

const lna_kernel_table LNA_TABLE = {
    micro_8x32, micro_8x32_strided, gemv_panel, gemv_panel_bf16, exp16, silu, gelu_tanh, softcap,
    softmax_row, sum_exp, rms_norm_row, dot, axpy, add, multiply, scale,
};
