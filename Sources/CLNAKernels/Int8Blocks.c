// int8 arithmetic, plain C part: GGUF blocks → the super-block layout of CLNAInt8.h, activation quantisation
// with llama.cpp's rounding, and the plain-C GEMM (the oracle of the VNNI kernel: same integer sums, same float
// operations in the same order, so the two agree bit for bit). docs/kernels.md, "int8 arithmetic".
#include "CLNAInt8.h"
#include "CLNAKernels.h"
#include "Int8Internal.h"
#include <math.h>
#include <string.h>
#pragma STDC FP_CONTRACT OFF

enum { Q4_0 = 2, Q4_1 = 3, Q5_0 = 6, Q8_0 = 8, Q4_K = 12, Q5_K = 13, Q6_K = 14 };

static float half_to_float(const uint8_t *p) {
    uint16_t h = (uint16_t)(p[0] | (p[1] << 8));
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF, bits;
    if (exponent == 0) {
        float f = (float)mantissa * 0x1p-24f;   // zero or subnormal: exact
        return sign ? -f : f;
    }
    bits = exponent == 31 ? (sign | 0x7F800000u | (mantissa << 13)) : (sign | ((exponent + 112) << 23) | (mantissa << 13));
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

float lna_int8_round_to_half(float f) {
    if (f < 0x1p-14f) return rintf(f * 0x1p24f) * 0x1p-24f;   // fp16 subnormals are multiples of 2^-24
    uint32_t x;
    memcpy(&x, &f, 4);
    uint32_t rounded = (x + 0xFFFu + ((x >> 13) & 1u)) & ~0x1FFFu;
    if ((rounded >> 23) >= 143) return __builtin_inff();        // beyond 65504
    float r;
    memcpy(&r, &rounded, 4);
    return r;
}

/// Round to nearest, ties to even, for |v| < 2^22 (llama.cpp's nearest_int).
static int nearest_int(float v) { return (int)((v + 12582912.0f) - 12582912.0f); }

int lna_int8_activation_kind_of(int type) {
    switch (type) {
    case Q4_0: case Q4_1: case Q5_0: case Q8_0: return LNA_INT8_ACT_Q8_0;
    case Q4_K: case Q5_K: case Q6_K: return LNA_INT8_ACT_Q8_K;
    default: return -1;
    }
}

int lna_int8_flags_of(int type, long n) {
    int half = n % LNA_INT8_BLOCK == LNA_INT8_BLOCK / 2 ? LNA_INT8_HALF_LAST : 0;
    switch (type) {
    case Q4_1: return LNA_INT8_MINS | half;
    case Q4_K: case Q5_K: return LNA_INT8_SCALED | LNA_INT8_MINS | half;
    case Q6_K: return LNA_INT8_SCALED | half;
    default: return half;
    }
}

int lna_int8_offset_of(int type) {
    switch (type) {
    case Q8_0: return 128;
    case Q4_0: return 8;
    case Q5_0: return 16;
    case Q6_K: return 32;
    default: return 0;
    }
}

static long type_size(int type) {
    switch (type) {
    case Q4_0: return 18;
    case Q4_1: return 20;
    case Q5_0: return 22;
    case Q8_0: return 34;
    case Q4_K: return 144;
    case Q5_K: return 176;
    case Q6_K: return 210;
    default: return 0;
    }
}

long lna_int8_blocks(long n) { return (n + LNA_INT8_BLOCK - 1) / LNA_INT8_BLOCK; }

/// Byte position of element e in the interleaved 256-byte order (see lna_int8_weights).
static inline int interleaved(int e) { return 64 * ((e & 15) >> 2) + 4 * (e >> 4) + (e & 3); }

/// One 32-element block: unsigned quants into q[0..<32], its scale and additive term.
static void decode_legacy(int type, const uint8_t *b, uint8_t *q, float *scale, float *min) {
    *scale = half_to_float(b);
    *min = 0;
    switch (type) {
    case Q8_0:
        for (int i = 0; i < 32; i++) q[i] = (uint8_t)((int8_t)b[2 + i] + 128);
        break;
    case Q4_0:
        for (int i = 0; i < 16; i++) { q[i] = b[2 + i] & 15; q[i + 16] = b[2 + i] >> 4; }
        break;
    case Q4_1:
        *min = half_to_float(b + 2);
        for (int i = 0; i < 16; i++) { q[i] = b[4 + i] & 15; q[i + 16] = b[4 + i] >> 4; }
        break;
    case Q5_0: {
        uint32_t high = (uint32_t)b[2] | ((uint32_t)b[3] << 8) | ((uint32_t)b[4] << 16) | ((uint32_t)b[5] << 24);
        for (int i = 0; i < 16; i++) {
            q[i] = (uint8_t)((b[6 + i] & 15) | (((high >> i) & 1) << 4));
            q[i + 16] = (uint8_t)((b[6 + i] >> 4) | (((high >> (i + 16)) & 1) << 4));
        }
        break;
    }
    }
}

/// Scale and min j (0..<8) of a K-quant's 12-byte table (ggml's get_scale_min_k4).
static void scale_min(const uint8_t *s, int j, int *scale, int *min) {
    if (j < 4) { *scale = s[j] & 63; *min = s[j + 4] & 63; return; }
    *scale = (s[j + 4] & 0x0F) | ((s[j - 4] >> 6) << 4);
    *min = (s[j + 4] >> 4) | ((s[j] >> 6) << 4);
}

/// One 256-element super-block of a K-quant: unsigned quants and the per-16 integer scales and float terms.
static void decode_k(int type, const uint8_t *b, uint8_t *q, int8_t *sc, float *ws, float *wm) {
    if (type == Q6_K) {
        float d = half_to_float(b + 208);
        for (int j = 0; j < 16; j++) { sc[j] = (int8_t)b[192 + j]; ws[j] = d; wm[j] = 0; }
        for (int h = 0; h < 2; h++) {
            const uint8_t *ql = b + 64 * h, *qh = b + 128 + 32 * h;
            uint8_t *y = q + 128 * h;
            for (int l = 0; l < 32; l++) {
                y[l] = (uint8_t)((ql[l] & 15) | (((qh[l] >> 0) & 3) << 4));
                y[l + 32] = (uint8_t)((ql[l + 32] & 15) | (((qh[l] >> 2) & 3) << 4));
                y[l + 64] = (uint8_t)((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4));
                y[l + 96] = (uint8_t)((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4));
            }
        }
        return;
    }
    float d = half_to_float(b), dmin = half_to_float(b + 2);
    for (int j = 0; j < 8; j++) {
        int scale, min;
        scale_min(b + 4, j, &scale, &min);
        for (int h = 0; h < 2; h++) { sc[2 * j + h] = (int8_t)scale; ws[2 * j + h] = d; wm[2 * j + h] = -dmin * (float)min; }
    }
    const uint8_t *qs = b + (type == Q5_K ? 48 : 16), *qh = b + 16;
    for (int c = 0; c < 4; c++) {
        for (int l = 0; l < 32; l++) {
            int low = qs[32 * c + l] & 15, high = qs[32 * c + l] >> 4;
            if (type == Q5_K) { low |= ((qh[l] >> (2 * c)) & 1) << 4; high |= ((qh[l] >> (2 * c + 1)) & 1) << 4; }
            q[64 * c + l] = (uint8_t)low;
            q[64 * c + 32 + l] = (uint8_t)high;
        }
    }
}

int lna_int8_pack_row(int type, const void *source, long n, lna_int8_weights *out) {
    int kind = lna_int8_activation_kind_of(type);
    long size = type_size(type);
    if (kind < 0 || n <= 0 || n % (kind == LNA_INT8_ACT_Q8_K ? 256 : 32) != 0) return -1;
    const uint8_t *src = source;
    long blocks = lna_int8_blocks(n);
    for (long s = 0; s < blocks; s++) {
        uint8_t q[256] = {0};
        int8_t sc[16] = {0};
        float ws[16] = {0}, wm[16] = {0};
        if (kind == LNA_INT8_ACT_Q8_K) {
            decode_k(type, src + s * size, q, sc, ws, wm);
        } else {
            for (int i = 0; i < 8 && (s * 8 + i) * 32 < n; i++) {
                decode_legacy(type, src + (s * 8 + i) * size, q + 32 * i, &ws[2 * i], &wm[2 * i]);
                sc[2 * i] = sc[2 * i + 1] = 1;
                ws[2 * i + 1] = ws[2 * i];
                wm[2 * i + 1] = wm[2 * i];
            }
        }
        lna_int8_weights *w = out + s;
        for (int e = 0; e < 256; e++) w->q[interleaved(e)] = q[e];
        memcpy(w->scale, sc, 16);
        memcpy(w->weight_scale, ws, 64);
        memcpy(w->weight_min, wm, 64);
    }
    return 0;
}

/// Stores 256 quantised values (natural order) into an activation block with their per-16 sums.
static void store_activations(const int8_t *a, lna_int8_activations *out) {
    for (int e = 0; e < 256; e++) out->a[interleaved(e)] = a[e];
    for (int j = 0; j < 16; j++) {
        int32_t sum = 0;
        for (int i = 0; i < 16; i++) sum += a[16 * j + i];
        out->sum[j] = sum;
    }
}

void lna_int8_quantize_row(lna_int8_activation_kind kind, const float *x, long n, lna_int8_activations *out) {
    long blocks = lna_int8_blocks(n);
    for (long s = 0; s < blocks; s++) {
        int8_t a[256] = {0};
        float scale[16] = {0};
        const float *xs = x + s * 256;
        if (kind == LNA_INT8_ACT_Q8_K) {
            float max = 0, amax = 0;
            for (int j = 0; j < 256; j++) {
                float ax = fabsf(xs[j]);
                if (ax > amax) { amax = ax; max = xs[j]; }
            }
            if (amax != 0) {
                float iscale = -127.0f / max;
                for (int j = 0; j < 256; j++) {
                    int v = nearest_int(iscale * xs[j]);
                    a[j] = (int8_t)(v < 127 ? v : 127);
                }
                for (int j = 0; j < 16; j++) scale[j] = 1 / iscale;
            }
        } else {
            for (int i = 0; i < 8 && (s * 8 + i) * 32 < n; i++) {
                const float *xb = xs + 32 * i;
                float amax = 0;
                for (int j = 0; j < 32; j++) amax = fmaxf(amax, fabsf(xb[j]));
                float d = amax / 127, id = d != 0 ? 1.0f / d : 0.0f;
                for (int j = 0; j < 32; j++) a[32 * i + j] = (int8_t)roundf(xb[j] * id);
                scale[2 * i] = scale[2 * i + 1] = lna_int8_round_to_half(d);   // the product uses the fp16 scale
            }
        }
        store_activations(a, out + s);
        memcpy(out[s].scale, scale, 64);
    }
}

static void integer_sums_plain(const lna_int8_weights *w, const lna_int8_activations *a, int offset,
                               int32_t ip[16], int32_t act_sum[16]) {
    for (int j = 0; j < 16; j++) {
        int32_t dot = 0;
        for (int k = 0; k < 4; k++)
            for (int b = 0; b < 4; b++) dot += (int32_t)w->q[64 * k + 4 * j + b] * (int32_t)a->a[64 * k + 4 * j + b];
        ip[j] = (dot - offset * a->sum[j]) * w->scale[j];
        act_sum[j] = a->sum[j];
    }
}

void lna_int8_integer_sums(int vnni, const lna_int8_weights *w, const lna_int8_activations *a, int offset,
                           int32_t ip[16], int32_t act_sum[16]) {
    extern void lna_int8_integer_sums_vnni(const lna_int8_weights *, const lna_int8_activations *, int,
                                           int32_t *, int32_t *);
#if defined(__x86_64__)
    if (vnni && lna_int8_vnni_available()) { lna_int8_integer_sums_vnni(w, a, offset, ip, act_sum); return; }
#endif
    integer_sums_plain(w, a, offset, ip, act_sum);
}

void lna_int8_gemm_plain(const lna_int8_weights *w, long w_stride, long outputs, const lna_int8_activations *a,
                         long a_stride, long rows, long blocks, int offset, int flags, float *y, long ldy) {
    (void)flags;   // the plain kernel runs every step for every type
    for (long o = 0; o < outputs; o++) {
        for (long r = 0; r < rows; r++) {
            float acc[16] = {0};
            for (long s = 0; s < blocks; s++) {
                const lna_int8_weights *wb = w + o * w_stride + s;
                const lna_int8_activations *ab = a + r * a_stride + s;
                int32_t ip[16], sum[16];
                integer_sums_plain(wb, ab, offset, ip, sum);
                for (int j = 0; j < 16; j++) {
                    acc[j] = acc[j] + (wb->weight_scale[j] * ab->scale[j]) * (float)ip[j];
                    acc[j] = acc[j] + (wb->weight_min[j] * ab->scale[j]) * (float)sum[j];
                }
            }
            float total = -0.0f;
            for (int j = 0; j < 16; j++) total += acc[j];
            y[r * ldy + o] = total;
        }
    }
}

int lna_int8_vnni_available(void) {
    int f = lna_cpu_features();
    return (f & LNA_CPU_AVX512) && (f & LNA_CPU_AVX512_VNNI);
}
