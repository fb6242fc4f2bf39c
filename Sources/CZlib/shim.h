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

/// Asks for the cache line at `address` ahead of use: the retry tracker's table is larger than the cache, and
/// a line's lookup would otherwise wait on memory.
static inline void faultline_prefetch(const void *address) { __builtin_prefetch(address); }

/// Hands free heap pages back to the system (glibc keeps each thread arena's high-water mark otherwise);
/// a no-op elsewhere. Lives here as the package's one C shim.
#if defined(__GLIBC__)
#include <malloc.h>
static inline void faultline_release_free_memory(void) { malloc_trim(0); }
/// Serves blocks of 256 KiB and more (hash tables of summaries) from mmap, so freeing one returns it at
/// once; glibc's default threshold climbs to 32 MiB and leaves freed tables in the heap.
static inline void faultline_tune_allocator(void) { mallopt(M_MMAP_THRESHOLD, 256 * 1024); }
#else
static inline void faultline_release_free_memory(void) {}
static inline void faultline_tune_allocator(void) {}
#endif

#endif
