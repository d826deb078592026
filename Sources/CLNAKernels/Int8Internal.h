// Scalar helpers shared by the two int8 files (plain C and VNNI), so both quantisers round block scales the same
// way. Private to CLNAKernels.
#ifndef LNA_INT8_INTERNAL_H
#define LNA_INT8_INTERNAL_H

/// A non-negative finite float rounded to the nearest fp16 value (ties to even) and widened back: what
/// GGML_FP32_TO_FP16 then GGML_FP16_TO_FP32 give for a Q8_0 block scale.
float lna_int8_round_to_half(float f);

#endif
