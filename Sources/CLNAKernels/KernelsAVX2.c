// The AVX2 + FMA kernel set: 16-float vectors are two ymm registers; the 8 × 32 micro-kernel tile runs as four
// 4 × 16 register blocks (16 ymm registers cannot hold the 8 × 32 accumulators).
#include "CLNAKernels.h"
#if defined(__x86_64__)
// Every helper is always_inline, so the 512-bit vector values the compiler warns about never cross a call.
#pragma clang diagnostic ignored "-Wpsabi"
#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)
#define LNA_TABLE lna_kernels_avx2
#define LNA_FMA(a, b, c) __builtin_elementwise_fma((a), (b), (c))
#define LNA_MK_ROWS 4
#define LNA_MK_VECS 1
#include "KernelBody.h"
#pragma clang attribute pop
#endif
