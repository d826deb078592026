// HarfBuzz (Debian: libharfbuzz-dev), used by LNAReport to shape labels (Indic conjuncts, Thai marks, Arabic
// joining and ligatures) before FreeType rasterises the glyphs. Only the OpenType shaper and font functions are used.
#include <hb.h>
#include <hb-ot.h>
