// FreeType 2 (Debian: libfreetype-dev), used by LNAReport to rasterise text in every script.
#include <ft2build.h>
#include FT_FREETYPE_H
