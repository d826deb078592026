// int8 arithmetic, VNNI part: `vpdpbusd` (AVX512_VNNI) on the super-block layout of CLNAInt8.h. The float
// steps are the plain-C kernel's (Int8Blocks.c) in the same order, unfused, so both give the same bits.
#include "CLNAInt8.h"
#if defined(__x86_64__)
#include <immintrin.h>
#pragma STDC FP_CONTRACT OFF
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx2,fma"))), \
                             apply_to = function)

/// Per sub-block j (lane j): scale[j] · (Σ q·a − offset·Σ a), from the four 64-byte rows of quants.
static inline __attribute__((always_inline)) __m512i block_sums(const __m512i q[4], const lna_int8_activations *a,
                                                               __m512i scale, __m512i offset, __m512i sum) {
    __m512i dot = _mm512_setzero_si512();
    for (int k = 0; k < 4; k++) dot = _mm512_dpbusd_epi32(dot, q[k], _mm512_loadu_si512(a->a + 64 * k));
    return _mm512_mullo_epi32(_mm512_sub_epi32(dot, _mm512_mullo_epi32(sum, offset)), scale);
}

void lna_int8_integer_sums_vnni(const lna_int8_weights *w, const lna_int8_activations *a, int offset,
                                int32_t *ip, int32_t *act_sum) {
    __m512i q[4];
    for (int k = 0; k < 4; k++) q[k] = _mm512_loadu_si512(w->q + 64 * k);
    __m512i sum = _mm512_loadu_si512(a->sum);
    __m512i scale = _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)w->scale));
    _mm512_storeu_si512(ip, block_sums(q, a, scale, _mm512_set1_epi32(offset), sum));
    _mm512_storeu_si512(act_sum, sum);
}

/// acc += (ws·as)·ip + (wm·as)·Σa, lane-wise, as the plain kernel.
static inline __attribute__((always_inline)) __m512 accumulate(__m512 acc, const lna_int8_weights *w,
                                                              const lna_int8_activations *a, __m512i ip,
                                                              __m512i sum) {
    __m512 as = _mm512_loadu_ps(a->scale);
    acc = _mm512_add_ps(acc, _mm512_mul_ps(_mm512_mul_ps(_mm512_loadu_ps(w->weight_scale), as), _mm512_cvtepi32_ps(ip)));
    return _mm512_add_ps(acc, _mm512_mul_ps(_mm512_mul_ps(_mm512_loadu_ps(w->weight_min), as), _mm512_cvtepi32_ps(sum)));
}

static inline __attribute__((always_inline)) float lane_sum(__m512 v) {
    float lanes[16], total = -0.0f;
    _mm512_storeu_ps(lanes, v);
    for (int j = 0; j < 16; j++) total += lanes[j];
    return total;
}

void lna_int8_gemm_vnni(const lna_int8_weights *w, long w_stride, long outputs, const lna_int8_activations *a,
                        long a_stride, long rows, long blocks, int offset, float *y, long ldy) {
    __m512i off = _mm512_set1_epi32(offset);
    for (long o = 0; o < outputs; o++) {
        const lna_int8_weights *wr = w + o * w_stride;
        long r = 0;
        for (; r + 4 <= rows; r += 4) {   // four activation rows share each weight block's loads
            __m512 acc[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps()};
            for (long s = 0; s < blocks; s++) {
                const lna_int8_weights *wb = wr + s;
                __m512i q[4];
                for (int k = 0; k < 4; k++) q[k] = _mm512_loadu_si512(wb->q + 64 * k);
                __m512i scale = _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)wb->scale));
                for (int i = 0; i < 4; i++) {
                    const lna_int8_activations *ab = a + (r + i) * a_stride + s;
                    __m512i sum = _mm512_loadu_si512(ab->sum);
                    acc[i] = accumulate(acc[i], wb, ab, block_sums(q, ab, scale, off, sum), sum);
                }
            }
            for (int i = 0; i < 4; i++) y[(r + i) * ldy + o] = lane_sum(acc[i]);
        }
        for (; r < rows; r++) {
            __m512 acc = _mm512_setzero_ps();
            for (long s = 0; s < blocks; s++) {
                const lna_int8_weights *wb = wr + s;
                const lna_int8_activations *ab = a + r * a_stride + s;
                __m512i q[4];
                for (int k = 0; k < 4; k++) q[k] = _mm512_loadu_si512(wb->q + 64 * k);
                __m512i scale = _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)wb->scale));
                __m512i sum = _mm512_loadu_si512(ab->sum);
                acc = accumulate(acc, wb, ab, block_sums(q, ab, scale, off, sum), sum);
            }
            y[r * ldy + o] = lane_sum(acc);
        }
    }
}
#pragma clang attribute pop
#else
void lna_int8_gemm_vnni(const lna_int8_weights *w, long w_stride, long outputs, const lna_int8_activations *a,
                        long a_stride, long rows, long blocks, int offset, float *y, long ldy) {
    lna_int8_gemm_plain(w, w_stride, outputs, a, a_stride, rows, blocks, offset, y, ldy);
}
#endif
