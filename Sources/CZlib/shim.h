#ifndef FAULTLINE_CZLIB_SHIM_H
#define FAULTLINE_CZLIB_SHIM_H

#include <zlib.h>

/// inflateInit2 is a macro in zlib.h, which Swift cannot call; this wraps it.
static inline int faultline_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}

/// deflateInit2 is a macro too; used by the sample writer for --gzip.
static inline int faultline_deflateInit2(z_streamp strm, int level) {
    return deflateInit2(strm, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}

#endif
