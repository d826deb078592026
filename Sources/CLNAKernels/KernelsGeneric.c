// The plain kernel set for any x86-64 (SSE2) or other CPU: no fused multiply-add instruction, so a·b + c is a
// multiply then an add (a library fmaf per lane would be exact but far slower). Results differ from the FMA
// sets only by that rounding.
#include "CLNAKernels.h"
// Every helper is always_inline, so the 512-bit vector values the compiler warns about never cross a call.
#pragma clang diagnostic ignored "-Wpsabi"
#define LNA_TABLE lna_kernels_generic
#define LNA_FMA(a, b, c) ((a) * (b) + (c))
#define LNA_MK_ROWS 2
#define LNA_MK_VECS 1
#include "KernelBody.h"
