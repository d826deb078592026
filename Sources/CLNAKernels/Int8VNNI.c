// int8 arithmetic, VNNI part: `vpdpbusd` (AVX512_VNNI) on the super-block layout of CLNAInt8.h, and the AVX-512
// activation quantiser. Every float step is the plain-C kernel's (Int8Blocks.c) on the same values in the same
// order, unfused, so both give the same bits; what changes is only which values share a register.
//
// The GEMM is register-blocked: a tile of TILE_OUTPUTS weight rows × TILE_ROWS activation rows keeps one int32
// dot vector and one float accumulator vector per (output, row) pair in zmm registers (2·4·3 = 24 of 32), so
// per super-block each 64-byte weight step is loaded once for TILE_ROWS rows and each activation step once for
// TILE_OUTPUTS outputs. The tile's 16-lane sums are finished by one 16 × 16 transpose and 16 vector adds, which
// add lanes 0, 1, …, 15 of every pair in the plain kernel's order.
#include "CLNAInt8.h"
#include "Int8Internal.h"
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

// MARK: GEMM

#ifndef LNA_INT8_TILE_OUTPUTS
#define LNA_INT8_TILE_OUTPUTS 4
#endif
#ifndef LNA_INT8_TILE_ROWS
#define LNA_INT8_TILE_ROWS 3
#endif
/// GEMV (fewer rows than a tile has): 8 weight rows × 1 row, so the transpose is shared by 8 outputs.
enum { TILE_OUTPUTS = LNA_INT8_TILE_OUTPUTS, TILE_ROWS = LNA_INT8_TILE_ROWS, GEMV_OUTPUTS = 8, MAX_OUTPUTS = 16 };
_Static_assert(TILE_OUTPUTS * TILE_ROWS <= 16 && TILE_OUTPUTS <= MAX_OUTPUTS, "one 16 × 16 transpose finishes a tile");

/// v[p] lane j → c[j] lane p, for 16 vectors (unpack pairs, shuffle quads, then two 128-bit lane shuffles).
static inline __attribute__((always_inline)) void transpose16(const __m512 v[16], __m512 c[16]) {
    __m512 t[16], u[16];
    for (int i = 0; i < 8; i++) {
        t[2 * i] = _mm512_unpacklo_ps(v[2 * i], v[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(v[2 * i], v[2 * i + 1]);
    }
    // u[4g + m], 128-bit lane q: element 4q + m of v[4g], v[4g+1], v[4g+2], v[4g+3]
    for (int g = 0; g < 4; g++) {
        u[4 * g + 0] = _mm512_shuffle_ps(t[4 * g], t[4 * g + 2], 0x44);
        u[4 * g + 1] = _mm512_shuffle_ps(t[4 * g], t[4 * g + 2], 0xEE);
        u[4 * g + 2] = _mm512_shuffle_ps(t[4 * g + 1], t[4 * g + 3], 0x44);
        u[4 * g + 3] = _mm512_shuffle_ps(t[4 * g + 1], t[4 * g + 3], 0xEE);
    }
    // c[4q + m] = lane q of u[m], u[4 + m], u[8 + m], u[12 + m]
    for (int m = 0; m < 4; m++) {
        __m512 even_ab = _mm512_shuffle_f32x4(u[m], u[4 + m], 0x88), odd_ab = _mm512_shuffle_f32x4(u[m], u[4 + m], 0xDD);
        __m512 even_cd = _mm512_shuffle_f32x4(u[8 + m], u[12 + m], 0x88), odd_cd = _mm512_shuffle_f32x4(u[8 + m], u[12 + m], 0xDD);
        c[m] = _mm512_shuffle_f32x4(even_ab, even_cd, 0x88);
        c[8 + m] = _mm512_shuffle_f32x4(even_ab, even_cd, 0xDD);
        c[4 + m] = _mm512_shuffle_f32x4(odd_ab, odd_cd, 0x88);
        c[12 + m] = _mm512_shuffle_f32x4(odd_ab, odd_cd, 0xDD);
    }
}

/// y of one tile: `nr` rows against `to` weight rows (both compile-time constants at each call), of which the
/// first `mo` are stored (the others repeat the last real row and are discarded). `flags` (LNA_INT8_SCALED,
/// LNA_INT8_MINS) skips steps that cannot change a bit: a multiply by integer scales that are all 1, and the
/// additive term of a type without one, whose (0·as)·Σa is the same for every output and added as the plain
/// kernel adds it.
static inline __attribute__((always_inline)) void tile(const lna_int8_weights *const wr[MAX_OUTPUTS], const int to, int mo,
                                                       const lna_int8_activations *const ar[TILE_ROWS], const int nr,
                                                       long blocks, int offset, const int flags, float *y,
                                                       long ldy) {
    __m512i neg_offset = _mm512_set1_epi32(-offset);
    __m512 acc[16];
    for (int p = 0; p < to * nr; p++) acc[p] = _mm512_setzero_ps();
    long full_blocks = (flags & LNA_INT8_HALF_LAST) ? blocks - 1 : blocks;
    for (long s = 0; s < full_blocks; s++) {
        __m512i dot[16], sum[TILE_ROWS];
        for (int r = 0; r < nr; r++) {
            sum[r] = _mm512_loadu_si512(ar[r][s].sum);
            __m512i start = _mm512_mullo_epi32(sum[r], neg_offset);   // −offset·Σa, then + Σ q·a
            for (int o = 0; o < to; o++) dot[o * nr + r] = start;
        }
        for (int k = 0; k < 4; k++) {
            __m512i q[MAX_OUTPUTS];
            for (int o = 0; o < to; o++) q[o] = _mm512_loadu_si512(wr[o][s].q + 64 * k);
            for (int r = 0; r < nr; r++) {
                __m512i x = _mm512_loadu_si512(ar[r][s].a + 64 * k);
                for (int o = 0; o < to; o++) dot[o * nr + r] = _mm512_dpbusd_epi32(dot[o * nr + r], q[o], x);
            }
        }
        __m512 as[TILE_ROWS], sum_f[TILE_ROWS], no_min[TILE_ROWS];
        for (int r = 0; r < nr; r++) {
            as[r] = _mm512_loadu_ps(ar[r][s].scale);
            sum_f[r] = _mm512_cvtepi32_ps(sum[r]);
            no_min[r] = _mm512_mul_ps(_mm512_mul_ps(_mm512_setzero_ps(), as[r]), sum_f[r]);
        }
        for (int o = 0; o < to; o++) {
            const lna_int8_weights *wb = wr[o] + s;
            __m512 ws = _mm512_loadu_ps(wb->weight_scale);
            __m512i scale = (flags & LNA_INT8_SCALED) ? _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)wb->scale))
                                                      : _mm512_setzero_si512();
            __m512 wm = (flags & LNA_INT8_MINS) ? _mm512_loadu_ps(wb->weight_min) : _mm512_setzero_ps();
            for (int r = 0; r < nr; r++) {
                __m512i ip = (flags & LNA_INT8_SCALED) ? _mm512_mullo_epi32(dot[o * nr + r], scale) : dot[o * nr + r];
                __m512 a = _mm512_add_ps(acc[o * nr + r], _mm512_mul_ps(_mm512_mul_ps(ws, as[r]), _mm512_cvtepi32_ps(ip)));
                __m512 min_term = (flags & LNA_INT8_MINS) ? _mm512_mul_ps(_mm512_mul_ps(wm, as[r]), sum_f[r]) : no_min[r];
                acc[o * nr + r] = _mm512_add_ps(a, min_term);
            }
        }
    }
    if (flags & LNA_INT8_HALF_LAST) {
        // The last super-block's sub-blocks 8..15 are padding (q, a, all scales 0), which would add +0 to lanes
        // 8..15 — no change, as an accumulator that starts at +0 never becomes −0. Its sub-blocks 0..7 are the
        // first 32 bytes of each 64-byte step: the same steps on ymm halves, into the accumulators' lanes 0..7.
        long s = blocks - 1;
        __m256i dot[16], sum[TILE_ROWS];
        for (int r = 0; r < nr; r++) {
            sum[r] = _mm256_loadu_si256((const __m256i *)ar[r][s].sum);
            __m256i start = _mm256_mullo_epi32(sum[r], _mm256_set1_epi32(-offset));
            for (int o = 0; o < to; o++) dot[o * nr + r] = start;
        }
        for (int k = 0; k < 4; k++) {
            __m256i q[MAX_OUTPUTS];
            for (int o = 0; o < to; o++) q[o] = _mm256_loadu_si256((const __m256i *)(wr[o][s].q + 64 * k));
            for (int r = 0; r < nr; r++) {
                __m256i x = _mm256_loadu_si256((const __m256i *)(ar[r][s].a + 64 * k));
                for (int o = 0; o < to; o++) dot[o * nr + r] = _mm256_dpbusd_epi32(dot[o * nr + r], q[o], x);
            }
        }
        __m256 as[TILE_ROWS], sum_f[TILE_ROWS], no_min[TILE_ROWS];
        for (int r = 0; r < nr; r++) {
            as[r] = _mm256_loadu_ps(ar[r][s].scale);
            sum_f[r] = _mm256_cvtepi32_ps(sum[r]);
            no_min[r] = _mm256_mul_ps(_mm256_mul_ps(_mm256_setzero_ps(), as[r]), sum_f[r]);
        }
        for (int o = 0; o < to; o++) {
            const lna_int8_weights *wb = wr[o] + s;
            __m256 ws = _mm256_loadu_ps(wb->weight_scale);
            __m256i scale = (flags & LNA_INT8_SCALED) ? _mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)wb->scale))
                                                      : _mm256_setzero_si256();
            __m256 wm = (flags & LNA_INT8_MINS) ? _mm256_loadu_ps(wb->weight_min) : _mm256_setzero_ps();
            for (int r = 0; r < nr; r++) {
                __m256i ip = (flags & LNA_INT8_SCALED) ? _mm256_mullo_epi32(dot[o * nr + r], scale) : dot[o * nr + r];
                __m256 low = _mm512_castps512_ps256(acc[o * nr + r]);
                __m256 a = _mm256_add_ps(low, _mm256_mul_ps(_mm256_mul_ps(ws, as[r]), _mm256_cvtepi32_ps(ip)));
                __m256 min_term = (flags & LNA_INT8_MINS) ? _mm256_mul_ps(_mm256_mul_ps(wm, as[r]), sum_f[r]) : no_min[r];
                acc[o * nr + r] = _mm512_mask_mov_ps(acc[o * nr + r], 0x00FF, _mm512_castps256_ps512(_mm256_add_ps(a, min_term)));
            }
        }
    }
    __m512 v[16], c[16];
    for (int p = 0; p < 16; p++) v[p] = p < to * nr ? acc[p] : _mm512_setzero_ps();
    transpose16(v, c);
    __m512 total = _mm512_set1_ps(-0.0f);
    for (int j = 0; j < 16; j++) total = _mm512_add_ps(total, c[j]);
    float lanes[16];
    _mm512_storeu_ps(lanes, total);
    for (int o = 0; o < mo; o++)
        for (int r = 0; r < nr; r++) y[r * ldy + o] = lanes[o * nr + r];
}

/// The tile shapes, each with the flags as constants: TILE_ROWS rows, one row (the last rows of a GEMM), GEMV.
#define LNA_INT8_TILE(NAME, F, OUTPUTS, ROWS)                                                                    \
    static __attribute__((noinline)) void NAME##_##F(const lna_int8_weights *const wr[MAX_OUTPUTS], int mo,     \
                                                     const lna_int8_activations *const ar[TILE_ROWS], long blocks, \
                                                     int offset, float *y, long ldy) {                           \
        tile(wr, OUTPUTS, mo, ar, ROWS, blocks, offset, F, y, ldy);                                              \
    }
#define LNA_INT8_TILES(F)                                                                                       \
    LNA_INT8_TILE(tile_rows, F, TILE_OUTPUTS, TILE_ROWS)                                                         \
    LNA_INT8_TILE(tile_row, F, TILE_OUTPUTS, 1)                                                                  \
    LNA_INT8_TILE(tile_gemv, F, GEMV_OUTPUTS, 1)
LNA_INT8_TILES(0)
LNA_INT8_TILES(1)
LNA_INT8_TILES(2)
LNA_INT8_TILES(3)
LNA_INT8_TILES(4)
LNA_INT8_TILES(5)
LNA_INT8_TILES(6)
LNA_INT8_TILES(7)

typedef void (*tile_fn)(const lna_int8_weights *const *, int, const lna_int8_activations *const *, long, int, float *,
                        long);

void lna_int8_gemm_vnni(const lna_int8_weights *w, long w_stride, long outputs, const lna_int8_activations *a,
                        long a_stride, long rows, long blocks, int offset, int flags, float *y, long ldy) {
    static const tile_fn rows_tiles[8] = {tile_rows_0, tile_rows_1, tile_rows_2, tile_rows_3,
                                          tile_rows_4, tile_rows_5, tile_rows_6, tile_rows_7};
    static const tile_fn row_tiles[8] = {tile_row_0, tile_row_1, tile_row_2, tile_row_3,
                                         tile_row_4, tile_row_5, tile_row_6, tile_row_7};
    static const tile_fn gemv_tiles[8] = {tile_gemv_0, tile_gemv_1, tile_gemv_2, tile_gemv_3,
                                          tile_gemv_4, tile_gemv_5, tile_gemv_6, tile_gemv_7};
    int gemv = rows < TILE_ROWS, step = gemv ? GEMV_OUTPUTS : TILE_OUTPUTS;
    tile_fn tile_rows = rows_tiles[flags & 7], tile_row = (gemv ? gemv_tiles : row_tiles)[flags & 7];
    for (long o0 = 0; o0 < outputs; o0 += step) {
        // Weight rows for the tile; past the last output the last row is repeated (computed, not stored).
        int mo = outputs - o0 < step ? (int)(outputs - o0) : step;
        const lna_int8_weights *wr[MAX_OUTPUTS];
        for (int o = 0; o < step; o++) wr[o] = w + (o0 + (o < mo ? o : mo - 1)) * w_stride;
        const lna_int8_activations *ar[TILE_ROWS];
        long r = 0;
        for (; r + TILE_ROWS <= rows; r += TILE_ROWS) {
            for (int i = 0; i < TILE_ROWS; i++) ar[i] = a + (r + i) * a_stride;
            tile_rows(wr, mo, ar, blocks, offset, y + r * ldy + o0, ldy);
        }
        for (; r < rows; r++) {
            for (int i = 0; i < TILE_ROWS; i++) ar[i] = a + r * a_stride;
            tile_row(wr, mo, ar, blocks, offset, y + r * ldy + o0, ldy);
        }
    }
}

// MARK: activation quantisation

/// roundf (halves away from zero) of every lane, exactly: the fraction v − trunc(v) is exact in float.
static inline __attribute__((always_inline)) __m512 round_half_away(__m512 v) {
    __m512 t = _mm512_roundscale_ps(v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    __mmask16 up = _mm512_cmp_ps_mask(_mm512_abs_ps(_mm512_sub_ps(v, t)), _mm512_set1_ps(0.5f), _CMP_GE_OQ);
    __m512i sign = _mm512_and_si512(_mm512_castps_si512(v), _mm512_set1_epi32((int)0x80000000));
    __m512 one = _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(_mm512_set1_ps(1.0f)), sign));   // ±1 as v
    return _mm512_mask_add_ps(t, up, t, one);
}

/// 256 quants in natural order → the interleaved block (byte 64k + 4j + b = element 16j + 4k + b), with the exact
/// sum of each 16 (one `vpdpbusd` of ones per 64-byte row).
static inline __attribute__((always_inline)) void store_interleaved(const int8_t natural[256],
                                                                    lna_int8_activations *out) {
    __m512i z[4], sum = _mm512_setzero_si512(), ones = _mm512_set1_epi8(1);
    for (int c = 0; c < 4; c++) z[c] = _mm512_loadu_si512(natural + 64 * c);
    for (int k = 0; k < 4; k++) {
        // lane j takes dword 4j + k: from z0/z1 for j < 8, z2/z3 for j ≥ 8, index 4·(j mod 8) + k in the pair
        __m512i index = _mm512_add_epi32(_mm512_set_epi32(28, 24, 20, 16, 12, 8, 4, 0, 28, 24, 20, 16, 12, 8, 4, 0),
                                         _mm512_set1_epi32(k));
        __m512i low = _mm512_permutex2var_epi32(z[0], index, z[1]), high = _mm512_permutex2var_epi32(z[2], index, z[3]);
        __m512i row = _mm512_mask_blend_epi32(0xFF00, low, high);
        _mm512_storeu_si512(out->a + 64 * k, row);
        sum = _mm512_dpbusd_epi32(sum, ones, row);
    }
    _mm512_storeu_si512(out->sum, sum);
}

/// Largest |x| of 16·count values; NaN lanes are skipped as the plain loop's comparisons skip them.
static inline __attribute__((always_inline)) float largest_magnitude(const float *x, int count) {
    __m512 m = _mm512_setzero_ps();
    for (int i = 0; i < count; i++) m = _mm512_max_ps(_mm512_abs_ps(_mm512_loadu_ps(x + 16 * i)), m);
    return _mm512_reduce_max_ps(m);
}

/// One Q8_K block (quantize_row_q8_K_ref): d = max/−127 of the first value of largest magnitude.
static void quantize_k(const float *xs, int8_t a[256], float scale[16]) {
    float amax = largest_magnitude(xs, 16);
    if (amax == 0) return;   // a and scale stay 0
    int first = 0;
    for (int i = 0; i < 16; i++) {
        __mmask16 hit = _mm512_cmp_ps_mask(_mm512_abs_ps(_mm512_loadu_ps(xs + 16 * i)), _mm512_set1_ps(amax), _CMP_EQ_OQ);
        if (hit) { first = 16 * i + __builtin_ctz(hit); break; }
    }
    float iscale = -127.0f / xs[first];
    __m512 is = _mm512_set1_ps(iscale), magic = _mm512_set1_ps(12582912.0f);
    for (int i = 0; i < 16; i++) {
        __m512 v = _mm512_mul_ps(is, _mm512_loadu_ps(xs + 16 * i));
        __m512i q = _mm512_cvttps_epi32(_mm512_sub_ps(_mm512_add_ps(v, magic), magic));   // nearest, ties to even
        _mm_storeu_si128((__m128i *)(a + 16 * i), _mm512_cvtepi32_epi8(_mm512_min_epi32(q, _mm512_set1_epi32(127))));
    }
    for (int j = 0; j < 16; j++) scale[j] = 1 / iscale;
}

/// Q8_0 blocks of 32 (quantize_row_q8_0_ref) covering `count` of the super-block's 8; the scale is the fp16 d.
static void quantize_legacy(const float *xs, int count, int8_t a[256], float scale[16]) {
    for (int i = 0; i < count; i++) {
        const float *xb = xs + 32 * i;
        float amax = largest_magnitude(xb, 2);
        float d = amax / 127, id = d != 0 ? 1.0f / d : 0.0f;
        for (int h = 0; h < 2; h++) {
            __m512 v = round_half_away(_mm512_mul_ps(_mm512_loadu_ps(xb + 16 * h), _mm512_set1_ps(id)));
            _mm_storeu_si128((__m128i *)(a + 32 * i + 16 * h), _mm512_cvtepi32_epi8(_mm512_cvttps_epi32(v)));
        }
        scale[2 * i] = scale[2 * i + 1] = lna_int8_round_to_half(d);
    }
}

void lna_int8_quantize_row_vnni(lna_int8_activation_kind kind, const float *x, long n, lna_int8_activations *out) {
    long blocks = lna_int8_blocks(n);
    for (long s = 0; s < blocks; s++) {
        int8_t a[256] = {0};
        float scale[16] = {0};
        if (kind == LNA_INT8_ACT_Q8_K) {
            quantize_k(x + s * 256, a, scale);
        } else {
            long left = (n - s * 256) / 32;
            quantize_legacy(x + s * 256, left < 8 ? (int)left : 8, a, scale);
        }
        store_interleaved(a, out + s);
        _mm512_storeu_ps(out[s].scale, _mm512_loadu_ps(scale));
    }
}
#pragma clang attribute pop
#else
void lna_int8_gemm_vnni(const lna_int8_weights *w, long w_stride, long outputs, const lna_int8_activations *a,
                        long a_stride, long rows, long blocks, int offset, int flags, float *y, long ldy) {
    lna_int8_gemm_plain(w, w_stride, outputs, a, a_stride, rows, blocks, offset, flags, y, ldy);
}
void lna_int8_quantize_row_vnni(lna_int8_activation_kind kind, const float *x, long n, lna_int8_activations *out) {
    lna_int8_quantize_row(kind, x, n, out);
}
#endif
