// Measures this core's clock and fp32 FMA throughput, to state the theoretical GEMM peak honestly on a VM
// where /proc/cpuinfo only shows the nominal (TSC) frequency.
//   clock:  a chain of dependent 64-bit integer adds (1 cycle latency on every x86 core since the P6),
//           1000 adds per loop iteration -> cycles/second.
//   FMA:    12 independent accumulators of vfmadd231ps zmm (enough to cover 4-cycle latency x 2 pipes with
//           room), no memory operands -> FLOP/cycle = flops / (seconds x clock).
// Built and run by scripts/dev/cpu-peak.sh; single thread (run one copy per core to check both).
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

// Thread CPU time: other processes on the shared machine do not count against the loops.
static double now(void) { struct timespec t; clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

#define ADD10 "add %1, %0\n\t" "add %1, %0\n\t" "add %1, %0\n\t" "add %1, %0\n\t" "add %1, %0\n\t" \
              "add %1, %0\n\t" "add %1, %0\n\t" "add %1, %0\n\t" "add %1, %0\n\t" "add %1, %0\n\t"
#define ADD100 ADD10 ADD10 ADD10 ADD10 ADD10 ADD10 ADD10 ADD10 ADD10 ADD10

static double clock_hz(void) {
    double best = 0;
    for (int rep = 0; rep < 7; rep++) {
        uint64_t x = 0, one = 1;
        const long loops = 2000000;
        double t0 = now();
        for (long i = 0; i < loops; i++) {
            __asm__ volatile(ADD100 ADD100 ADD100 ADD100 ADD100 ADD100 ADD100 ADD100 ADD100 ADD100
                             : "+r"(x) : "r"(one));
        }
        double hz = (double)loops * 1000 / (now() - t0);
        if (hz > best) best = hz;
    }
    return best;
}

#define FMA12(b, c) \
    a0 = _mm512_fmadd_ps(a0, b, c); a1 = _mm512_fmadd_ps(a1, b, c); a2 = _mm512_fmadd_ps(a2, b, c); \
    a3 = _mm512_fmadd_ps(a3, b, c); a4 = _mm512_fmadd_ps(a4, b, c); a5 = _mm512_fmadd_ps(a5, b, c); \
    a6 = _mm512_fmadd_ps(a6, b, c); a7 = _mm512_fmadd_ps(a7, b, c); a8 = _mm512_fmadd_ps(a8, b, c); \
    a9 = _mm512_fmadd_ps(a9, b, c); a10 = _mm512_fmadd_ps(a10, b, c); a11 = _mm512_fmadd_ps(a11, b, c);

static double fma_flops(void) {
    double best = 0;
    for (int rep = 0; rep < 7; rep++) {
        __m512 a0 = _mm512_set1_ps(0.0f), a1 = _mm512_set1_ps(0.1f), a2 = _mm512_set1_ps(0.2f), a3 = _mm512_set1_ps(0.3f);
        __m512 a4 = _mm512_set1_ps(0.4f), a5 = _mm512_set1_ps(0.5f), a6 = _mm512_set1_ps(0.6f), a7 = _mm512_set1_ps(0.7f);
        __m512 a8 = _mm512_set1_ps(0.8f), a9 = _mm512_set1_ps(0.9f), a10 = _mm512_set1_ps(1.0f), a11 = _mm512_set1_ps(1.1f);
        __m512 b = _mm512_set1_ps(0.9999f), c = _mm512_set1_ps(1e-6f);
        const long loops = 20000000;
        double t0 = now();
        for (long i = 0; i < loops; i++) {
            FMA12(b, c) FMA12(b, c)
            __asm__ volatile("" : "+v"(b), "+v"(c));   // the compiler may not hoist or fold the chain
        }
        double flops = (double)loops * 24 * 16 * 2 / (now() - t0);
        __m512 sum = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)),
                     _mm512_add_ps(_mm512_add_ps(a4, a5), _mm512_add_ps(a6, a7)));
        sum = _mm512_add_ps(sum, _mm512_add_ps(_mm512_add_ps(a8, a9), _mm512_add_ps(a10, a11)));
        if (_mm512_reduce_add_ps(sum) == 12345.0f) printf(" ");
        if (flops > best) best = flops;
    }
    return best;
}

int main(void) {
    double hz = clock_hz();
    double flops = fma_flops();
    printf("clock %.2f GHz (dependent integer adds), fp32 FMA %.1f GFLOP/s = %.1f FLOP/cycle on one core\n",
           hz / 1e9, flops / 1e9, flops / hz);
    return 0;
}
