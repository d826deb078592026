// int8 × int8 dot products of GGUF-quantised weights with per-row quantised activations (docs/kernels.md,
// "int8 arithmetic"). Every weight type (Q8_0, Q4_0, Q4_1, Q5_0, Q4_K, Q5_K, Q6_K) is repacked at load into one
// layout of 256-element super-blocks, so one kernel serves them all: the integer stage (`vpdpbusd`, unsigned
// weight quants × signed activation quants, int32 sums per 16-element sub-block) is exact and reproduces
// llama.cpp's integer sums; float scales are applied per sub-block afterwards.
#ifndef CLNAINT8_H
#define CLNAINT8_H

#include <stdint.h>

/// Elements per super-block, sub-blocks per super-block.
enum { LNA_INT8_BLOCK = 256, LNA_INT8_SUBBLOCKS = 16 };

/// 256 weights of one output row. Element e (0..<256) is in sub-block j = e / 16; its quant is stored at byte
/// 64·k + 4·j + b where e = 16·j + 4·k + b, so one `vpdpbusd` lane j sums 4 elements of sub-block j and the four
/// 64-byte rows of `q` add up sub-block j in lane j. The weight is
///   w_e = weight_scale[j] · scale[j] · (q_e − offset) + weight_min[j]          (offset: one per matrix)
typedef struct {
    uint8_t q[256];            // quant + the type's offset, unsigned (Q8_0: q + 128; Q4_0: nibble; Q6_K: 6 bits)
    int8_t scale[16];          // integer sub-block scale (K-quants); 1 for the 32-element types
    float weight_scale[16];    // float scale of the sub-block (fp16 d of the block or super-block, widened)
    float weight_min[16];      // additive term per element (Q4_1: m; Q4_K/Q5_K: −dmin·min_j; else 0)
} lna_int8_weights;

/// 256 activations of one row in the same interleaved order, with the exact integer sum and the float scale of
/// each 16-element sub-block (x_e ≈ scale[j] · a_e).
typedef struct {
    int8_t a[256];
    int32_t sum[16];
    float scale[16];
} lna_int8_activations;

/// How activations are quantised for a weight type (as llama.cpp's `vec_dot_type`).
typedef enum {
    LNA_INT8_ACT_Q8_0 = 0,   // blocks of 32: d = amax/127 stored as fp16, a = roundf(x/d) (Q8_0, Q8_1 for Q4_1)
    LNA_INT8_ACT_Q8_K = 1,   // blocks of 256: d = max/−127, a = nearest(x/d) ≤ 127 (Q8_K)
} lna_int8_activation_kind;

/// Whether the ggml type (GGUF tensor type id) can be repacked: Q4_0 2, Q4_1 3, Q5_0 6, Q8_0 8, Q4_K 12,
/// Q5_K 13, Q6_K 14. Returns the activation kind, or −1.
int lna_int8_activation_kind_of(int ggml_type);
/// Which optional steps a row of `n` elements of the type needs (what the VNNI kernel may skip without changing a
/// bit): integer sub-block scales other than 1 (K-quants), additive terms (Q4_1, Q4_K, Q5_K), and whether the
/// last super-block holds only 128 elements (its upper 8 sub-blocks are zero padding: 640 = 2·256 + 128).
enum { LNA_INT8_SCALED = 1, LNA_INT8_MINS = 2, LNA_INT8_HALF_LAST = 4 };
int lna_int8_flags_of(int ggml_type, long n);
/// The offset subtracted from every stored quant of the type (Q8_0 128, Q4_0 8, Q5_0 16, Q6_K 32, else 0).
int lna_int8_offset_of(int ggml_type);
/// Super-blocks for a row of `n` elements (n rounded up to 256; the padding has zero scales).
long lna_int8_blocks(long n);
/// Repacks one GGUF row of `n` elements (`n` a multiple of the type's block: 32, or 256 for K-quants) from
/// `source` into `lna_int8_blocks(n)` super-blocks. Returns 0, or −1 for an unsupported type or length.
int lna_int8_pack_row(int ggml_type, const void *source, long n, lna_int8_weights *out);
/// Quantises one activation row of `n` floats (a multiple of 32 for Q8_0, of 256 for Q8_K) into
/// `lna_int8_blocks(n)` blocks, as llama.cpp's quantize_row_q8_0_ref / quantize_row_q8_K_ref round.
typedef void (*lna_int8_quantize_fn)(lna_int8_activation_kind kind, const float *x, long n,
                                     lna_int8_activations *out);
void lna_int8_quantize_row(lna_int8_activation_kind kind, const float *x, long n, lna_int8_activations *out);
/// The same quantisation with AVX-512 (needs `lna_int8_vnni_available()`): the same quants, sums and scales, bit
/// for bit, for finite x.
void lna_int8_quantize_row_vnni(lna_int8_activation_kind kind, const float *x, long n, lna_int8_activations *out);

/// The integer stage for one super-block pair: per sub-block j, ip[j] = scale[j] · Σ (q_e − offset)·a_e and
/// act_sum[j] = Σ a_e (what llama.cpp sums; `vnni` picks the VNNI instructions, 0 plain C).
void lna_int8_integer_sums(int vnni, const lna_int8_weights *w, const lna_int8_activations *a, int offset,
                           int32_t ip[16], int32_t act_sum[16]);

/// y[r·ldy + o] = Σ over `blocks` super-blocks of weight row o (rows `w_stride` blocks apart) times activation
/// row r (rows `a_stride` blocks apart), for o < outputs, r < rows. Float, per lane j in super-block order, then
/// the 16 lanes summed in order from −0: acc_j += (ws_j·as_j)·ip_j; acc_j += (wm_j·as_j)·sum_j. `flags` is
/// `lna_int8_flags_of` of the weight's type.
typedef void (*lna_int8_gemm_fn)(const lna_int8_weights *w, long w_stride, long outputs,
                                 const lna_int8_activations *a, long a_stride, long rows, long blocks, int offset,
                                 int flags, float *y, long ldy);
void lna_int8_gemm_plain(const lna_int8_weights *w, long w_stride, long outputs, const lna_int8_activations *a,
                         long a_stride, long rows, long blocks, int offset, int flags, float *y, long ldy);
/// Register-blocked: LNA_INT8_TILE_OUTPUTS weight rows × LNA_INT8_TILE_ROWS activation rows per step.
void lna_int8_gemm_vnni(const lna_int8_weights *w, long w_stride, long outputs, const lna_int8_activations *a,
                        long a_stride, long rows, long blocks, int offset, int flags, float *y, long ldy);
/// Whether this CPU runs the VNNI kernel (AVX512_VNNI with AVX-512 state saved by the OS).
int lna_int8_vnni_available(void);

#endif
