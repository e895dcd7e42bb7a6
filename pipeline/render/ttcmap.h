/*
 * ttcmap.h - a TrueType font's cmap, as libharu holds it, made one
 * segment long: the same glyph for every code, found without a search.
 *
 * Stage: render. Reads and replaces libharu's private font structures
 * (libharu 2.3.0, the version CMakeLists.txt accepts; docs/packaging.md).
 */
#ifndef TLFGEN_RENDER_TTCMAP_H
#define TLFGEN_RENDER_TTCMAP_H

#include <hpdf.h>

/*
 * Replace the format 4 cmap of TrueType font definition def by one
 * segment over every 16-bit code whose glyph array holds, for each code,
 * the glyph HPDF_TTFontDef_GetGlyphid gave before: that function then
 * answers the same in one step instead of a linear search of the
 * segments. 0 when done; -1 when def is left as it was (not a format 4
 * TrueType cmap, a code libharu would look up outside its arrays, or no
 * memory).
 */
int tlf_ttcmap_flatten(HPDF_FontDef def);

#endif
