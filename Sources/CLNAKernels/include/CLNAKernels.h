// lna's float32 hot kernels in C, compiled three times with per-function target attributes (AVX-512, AVX2+FMA,
// baseline x86-64) so one binary runs on any x86-64 CPU and picks its set once, by CPUID, at load time.
// Swift calls them through the static inline wrappers below (one indirect call per kernel call).
// See docs/kernels.md ("Kernel sets and runtime dispatch").
#ifndef CLNAKERNELS_H
#define CLNAKERNELS_H

#include <stdint.h>

/// A kernel set; the numbering orders them from plain to widest.
typedef enum {
    LNA_KERNELS_GENERIC = 0,
    LNA_KERNELS_AVX2 = 1,
    LNA_KERNELS_AVX512 = 2,
} lna_kernel_set;

/// CPU features relevant to the kernel sets (bit flags of `lna_cpu_features`).
enum {
    LNA_CPU_AVX2_FMA = 1 << 0,      // AVX2 + FMA + OS support for ymm state
    LNA_CPU_AVX512 = 1 << 1,        // AVX-512 F/DQ/BW/VL + OS support for zmm state
    LNA_CPU_AVX512_BF16 = 1 << 2,   // AVX512_BF16: the bf16 arithmetic kernels (lna_bf16_kernels)
    LNA_CPU_AVX512_VNNI = 1 << 3,   // AVX512_VNNI (noted; no kernel uses it yet)
};

/// One set of kernels. Semantics match the Swift wrappers in LNATensor (KernelSet.swift and the callers).
typedef struct {
    /// C[8×32] (+)= A·B: A packed k-major (8 values per step), B rows `ldb` floats apart, C rows `ldc` apart.
    void (*micro_8x32)(long k, const float *a, const float *b, long ldb, float *c, long ldc, int accumulate);
    /// The same with A row-major (rows `lda` floats apart).
    void (*micro_8x32_strided)(long k, const float *a, long lda, const float *b, long ldb, float *c, long ldc,
                               int accumulate);
    /// One float32 32-output panel (k steps of 32 floats) times x: the 32 sums, bias not added.
    void (*gemv_panel)(const float *panel, long k, const float *x, float *out32);
    /// One bf16 panel (k steps of 16 words: low half = output j, high half = output j + 16) times x.
    void (*gemv_panel_bf16)(const uint32_t *panel, long k, const float *x, float *out32);
    /// e^x of 16 floats (vectorExp).
    void (*exp16)(const float *x, float *out);
    void (*silu)(float *x, long count);
    void (*gelu_tanh)(float *x, long count);
    void (*softcap)(float *x, long count, float cap);
    void (*softmax_row)(float *x, long count);
    /// Σ e^(x[i] − shift) with float exponentials summed in double.
    double (*sum_exp)(const float *x, long count, float shift);
    void (*rms_norm_row)(const float *x, long dimension, const float *weight, float epsilon, float *y);
    float (*dot)(const float *a, const float *b, long count);
    /// y[i] += factor·x[i]
    void (*axpy)(const float *x, float factor, float *y, long count);
    void (*add)(float *a, const float *b, long count);
    void (*multiply)(float *a, const float *b, long count);
    void (*scale)(float *a, float factor, long count);
} lna_kernel_table;

/// The bf16 arithmetic kernels (`vdpbf16ps`, KernelsAVX512BF16.c) of `--precision bf16`. "Pair words" hold two
/// bf16 values: input 2s in the low half, input 2s + 1 in the high half (an odd last input pairs with zero).
typedef struct {
    /// C[8×32] (+)= A·B over `pairs` steps: A a packed tile (8 pair words per step, one per row), B a weight panel
    /// (32 pair words per step, word j = output j, steps `ldb` words apart), C rows `ldc` floats apart.
    void (*micro_8x32)(long pairs, const uint32_t *a, const uint32_t *b, long ldb, float *c, long ldc, int accumulate);
    /// One weight panel (32 pair words per step) times one row of `pairs` pair words: the 32 sums, bias not added.
    void (*gemv_panel)(const uint32_t *panel, long pairs, const uint32_t *x, float *out32);
    /// Up to 8 float rows (`rows`, `rowStride` floats apart, `depth` values) rounded to bf16 (nearest, ties to even)
    /// into one tile of (depth + 1) / 2 steps × 8 pair words; missing rows are zero.
    void (*pack_tile)(const float *source, long rows, long rowStride, long depth, uint32_t *tile);
    /// `count` floats rounded to bf16 into (count + 1) / 2 pair words.
    void (*round_pairs)(const float *x, long count, uint32_t *out);
} lna_bf16_kernel_table;

/// The bf16 kernels when the CPU has AVX512_BF16 and the avx512 set is active (else NULL: `--precision bf16` is
/// refused under LNA_KERNELS=avx2/generic, so a forced set also forces float32 arithmetic).
const lna_bf16_kernel_table *lna_bf16_kernels(void);

/// The CPU's features (`LNA_CPU_…` bits), from CPUID and XGETBV.
int lna_cpu_features(void);
/// The widest set this CPU runs.
lna_kernel_set lna_kernels_best(void);
/// The set in use.
lna_kernel_set lna_kernels_active(void);
/// Switches every later kernel call to `set`; returns 0, or −1 (and changes nothing) when the CPU lacks it.
/// Call it before any computation: calls already running finish with the old set.
int lna_kernels_use(lna_kernel_set set);
/// What the loader did with the environment variable LNA_KERNELS: 0 unset/used, 1 unknown name,
/// 2 a set this CPU lacks (the best set is active instead; the CLI refuses to run).
int lna_kernels_environment_status(void);

/// The active table (read through the wrappers below).
const lna_kernel_table *lna_kernels_table(void);
extern const lna_kernel_table *lna_active_kernels;

static inline void lna_micro_8x32(long k, const float *a, const float *b, long ldb, float *c, long ldc,
                                  int accumulate) {
    lna_active_kernels->micro_8x32(k, a, b, ldb, c, ldc, accumulate);
}
static inline void lna_micro_8x32_strided(long k, const float *a, long lda, const float *b, long ldb, float *c,
                                          long ldc, int accumulate) {
    lna_active_kernels->micro_8x32_strided(k, a, lda, b, ldb, c, ldc, accumulate);
}
static inline void lna_gemv_panel(const float *panel, long k, const float *x, float *out32) {
    lna_active_kernels->gemv_panel(panel, k, x, out32);
}
static inline void lna_gemv_panel_bf16(const uint32_t *panel, long k, const float *x, float *out32) {
    lna_active_kernels->gemv_panel_bf16(panel, k, x, out32);
}
static inline void lna_exp16(const float *x, float *out) { lna_active_kernels->exp16(x, out); }
static inline void lna_silu(float *x, long count) { lna_active_kernels->silu(x, count); }
static inline void lna_gelu_tanh(float *x, long count) { lna_active_kernels->gelu_tanh(x, count); }
static inline void lna_softcap(float *x, long count, float cap) { lna_active_kernels->softcap(x, count, cap); }
static inline void lna_softmax_row(float *x, long count) { lna_active_kernels->softmax_row(x, count); }
static inline double lna_sum_exp(const float *x, long count, float shift) {
    return lna_active_kernels->sum_exp(x, count, shift);
}
static inline void lna_rms_norm_row(const float *x, long dimension, const float *weight, float epsilon, float *y) {
    lna_active_kernels->rms_norm_row(x, dimension, weight, epsilon, y);
}
static inline float lna_dot(const float *a, const float *b, long count) {
    return lna_active_kernels->dot(a, b, count);
}
static inline void lna_axpy(const float *x, float factor, float *y, long count) {
    lna_active_kernels->axpy(x, factor, y, count);
}
static inline void lna_add(float *a, const float *b, long count) { lna_active_kernels->add(a, b, count); }
static inline void lna_multiply(float *a, const float *b, long count) { lna_active_kernels->multiply(a, b, count); }
static inline void lna_scale(float *a, float factor, long count) { lna_active_kernels->scale(a, factor, count); }

// The int8 (VNNI) kernels, outside the float32 kernel sets.
#include "CLNAInt8.h"

#endif
