// Picks the kernel set once, when the library is loaded: LNA_KERNELS if set (and the CPU has it), else the
// widest set the CPU runs. CPUID and XGETBV are read directly (<cpuid.h>), so no runtime library is needed.
#include "CLNAKernels.h"
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <cpuid.h>
#endif

extern const lna_kernel_table lna_kernels_generic;
#if defined(__x86_64__)
extern const lna_kernel_table lna_kernels_avx2;
extern const lna_kernel_table lna_kernels_avx512;
extern const lna_bf16_kernel_table lna_kernels_avx512_bf16;
#endif

const lna_kernel_table *lna_active_kernels = &lna_kernels_generic;
static lna_kernel_set active_set = LNA_KERNELS_GENERIC;
static int environment_status = 0;

int lna_cpu_features(void) {
#if defined(__x86_64__)
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int fma = (c >> 12) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
    if (!osxsave || !avx) return 0;
    unsigned xcr0, xcr0High;
    __asm__ volatile("xgetbv" : "=a"(xcr0), "=d"(xcr0High) : "c"(0));
    int ymmState = (xcr0 & 0x6) == 0x6, zmmState = (xcr0 & 0xE6) == 0xE6;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    int features = 0;
    int avx2 = (b >> 5) & 1;
    if (avx2 && fma && ymmState) features |= LNA_CPU_AVX2_FMA;
    int avx512 = ((b >> 16) & 1) && ((b >> 17) & 1) && ((b >> 30) & 1) && ((b >> 31) & 1);   // F, DQ, BW, VL
    if ((features & LNA_CPU_AVX2_FMA) && avx512 && zmmState) {
        features |= LNA_CPU_AVX512;
        if ((c >> 11) & 1) features |= LNA_CPU_AVX512_VNNI;
        if (__get_cpuid_count(7, 1, &a, &b, &c, &d) && ((a >> 5) & 1)) features |= LNA_CPU_AVX512_BF16;
    }
    return features;
#else
    return 0;
#endif
}

static int supported(lna_kernel_set set) {
    int features = lna_cpu_features();
    switch (set) {
    case LNA_KERNELS_GENERIC: return 1;
    case LNA_KERNELS_AVX2: return (features & LNA_CPU_AVX2_FMA) != 0;
    case LNA_KERNELS_AVX512: return (features & LNA_CPU_AVX512) != 0;
    }
    return 0;
}

lna_kernel_set lna_kernels_best(void) {
    if (supported(LNA_KERNELS_AVX512)) return LNA_KERNELS_AVX512;
    if (supported(LNA_KERNELS_AVX2)) return LNA_KERNELS_AVX2;
    return LNA_KERNELS_GENERIC;
}

lna_kernel_set lna_kernels_active(void) { return active_set; }

const lna_bf16_kernel_table *lna_bf16_kernels(void) {
#if defined(__x86_64__)
    if (active_set == LNA_KERNELS_AVX512 && (lna_cpu_features() & LNA_CPU_AVX512_BF16)) return &lna_kernels_avx512_bf16;
#endif
    return 0;
}
const lna_kernel_table *lna_kernels_table(void) { return lna_active_kernels; }
int lna_kernels_environment_status(void) { return environment_status; }

int lna_kernels_use(lna_kernel_set set) {
    if (!supported(set)) return -1;
    switch (set) {
    case LNA_KERNELS_GENERIC: lna_active_kernels = &lna_kernels_generic; break;
#if defined(__x86_64__)
    case LNA_KERNELS_AVX2: lna_active_kernels = &lna_kernels_avx2; break;
    case LNA_KERNELS_AVX512: lna_active_kernels = &lna_kernels_avx512; break;
#else
    default: return -1;
#endif
    }
    active_set = set;
    return 0;
}

__attribute__((constructor)) static void lna_kernels_choose(void) {
    const char *name = getenv("LNA_KERNELS");
    lna_kernels_use(lna_kernels_best());
    if (!name || !*name) return;
    lna_kernel_set wanted;
    if (strcmp(name, "avx512") == 0) wanted = LNA_KERNELS_AVX512;
    else if (strcmp(name, "avx2") == 0) wanted = LNA_KERNELS_AVX2;
    else if (strcmp(name, "generic") == 0) wanted = LNA_KERNELS_GENERIC;
    else { environment_status = 1; return; }
    environment_status = lna_kernels_use(wanted) == 0 ? 0 : 2;
}
