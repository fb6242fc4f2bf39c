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

/// The offset of the first `"` or `\\` in `[from, end)` of `bytes`, or -1: sixteen bytes a step, with SSE2 (every
/// x86-64 has it); Swift's SIMD types lower the "any lane" test to a reduction, not a movemask, and ran slower
/// than eight bytes at a time. The last step reads the final sixteen bytes again rather than a byte at a time.
#if defined(__SSE2__)
#include <emmintrin.h>
/// The mask of `"` and `\\` bytes among the sixteen at `bytes`.
static inline unsigned faultline_quote_or_backslash_mask(const unsigned char *bytes) {
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    __m128i block = _mm_loadu_si128((const __m128i *)bytes);
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(block, quote), _mm_cmpeq_epi8(block, backslash)));
}

static inline long faultline_find_quote_or_backslash(const unsigned char *bytes, long from, long end) {
    // The loop counts one offset against one bound, and the final block is the range's last sixteen bytes
    // whatever is left: a first-block hit, as for most keys and short values, is a dozen instructions.
    long last = end - 16;
    if (last >= 0) {
        long index = from;
        while (index < last) {
            unsigned mask = faultline_quote_or_backslash_mask(bytes + index);
            if (mask != 0) return index + __builtin_ctz(mask);
            index += 16;
        }
        // `index` is in [last, end] unless `from` was past `end` (an empty range, and a shift of 32 or more
        // would be undefined): drop the bytes of the final block already seen.
        if (index >= end) return -1;
        unsigned mask = faultline_quote_or_backslash_mask(bytes + last) >> (index - last);
        return mask != 0 ? index + __builtin_ctz(mask) : -1;
    }
    for (long index = from; index < end; index++) {
        if (bytes[index] == '"' || bytes[index] == '\\') return index;
    }
    return -1;
}

/// The offset of the first byte equal to the low byte of `repeated` in `[from, end)` of `bytes`, or -1: sixteen
/// bytes a step, as above. Access-log fields are mostly a few bytes long, so one step usually finds the end; a
/// call to `memchr` cost more than that. `repeated` holds the byte eight times over, worked out once by the
/// caller: spreading one byte over a vector takes four instructions without SSSE3, spreading a word two.
static inline long faultline_find_byte_in_word(const unsigned char *bytes, long from, long end, unsigned long long repeated) {
    const __m128i wanted = _mm_set1_epi64x((long long)repeated);
    long index = from;
    while (index + 16 <= end) {
        __m128i block = _mm_loadu_si128((const __m128i *)(bytes + index));
        int mask = _mm_movemask_epi8(_mm_cmpeq_epi8(block, wanted));
        if (mask != 0) return index + __builtin_ctz(mask);
        index += 16;
    }
    if (index < end && end >= 16) {
        // Fewer than 16 bytes left: read the last 16 of the range again and drop the bytes before `index`.
        long start = end - 16;
        __m128i block = _mm_loadu_si128((const __m128i *)(bytes + start));
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(block, wanted));
        mask >>= (index - start);
        return mask != 0 ? index + __builtin_ctz(mask) : -1;
    }
    for (; index < end; index++) {
        if (bytes[index] == (unsigned char)repeated) return index;
    }
    return -1;
}

/// The offset of the first `byte` in `[from, end)` of `bytes`, or -1.
static inline long faultline_find_byte(const unsigned char *bytes, long from, long end, unsigned char byte) {
    return faultline_find_byte_in_word(bytes, from, end, 0x0101010101010101ULL * byte);
}
#else
static inline long faultline_find_byte_in_word(const unsigned char *bytes, long from, long end, unsigned long long repeated) {
    for (long index = from; index < end; index++) {
        if (bytes[index] == (unsigned char)repeated) return index;
    }
    return -1;
}
static inline long faultline_find_byte(const unsigned char *bytes, long from, long end, unsigned char byte) {
    return faultline_find_byte_in_word(bytes, from, end, 0x0101010101010101ULL * byte);
}
static inline long faultline_find_quote_or_backslash(const unsigned char *bytes, long from, long end) {
    for (long index = from; index < end; index++) {
        if (bytes[index] == '"' || bytes[index] == '\\') return index;
    }
    return -1;
}
#endif

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
