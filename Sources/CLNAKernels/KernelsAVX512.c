// The AVX-512 kernel set (F/DQ/BW/VL with FMA): 16-float vectors are one zmm register.
#include "CLNAKernels.h"
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,avx2,fma,f16c"))), \
                             apply_to = function)
#define LNA_TABLE lna_kernels_avx512
#define LNA_FMA(a, b, c) __builtin_elementwise_fma((a), (b), (c))
#define LNA_MK_ROWS 8
#define LNA_MK_VECS 2
#include "KernelBody.h"
#pragma clang attribute pop
#endif
