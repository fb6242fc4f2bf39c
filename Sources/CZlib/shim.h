#ifndef FAULTLINE_CZLIB_SHIM_H
#define FAULTLINE_CZLIB_SHIM_H

// SwiftPM does not rebuild the Swift files that import this module when this header changes, nor when a header
// it looks for appears (libisal-dev installed later): touch one of those files (GzipInflater.swift, SHA256.swift),
// or remove .build, after either. Benchmarks/run.sh does it for libisal-dev.

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

#if defined(__linux__)
#include <stdint.h>
#include <sys/mman.h>
/// Asks for 2 MiB pages over the whole 2 MiB blocks of `[address, address + count)`, before they are first
/// touched: the retry table is read at a random slot per line, and with 4 KiB pages each lookup also waited on
/// the TLB (the tracker's `record` fell from 5.0% to 3.4% of a 1 GB run's samples). Advice only: nothing
/// changes where transparent huge pages are off.
static inline void faultline_advise_huge_pages(void *address, long count) {
    const uintptr_t huge = 2u << 20;
    uintptr_t start = ((uintptr_t)address + huge - 1) & ~(huge - 1);
    uintptr_t end = ((uintptr_t)address + (uintptr_t)count) & ~(huge - 1);
    if (end > start) madvise((void *)start, end - start, MADV_HUGEPAGE);
}
#else
static inline void faultline_advise_huge_pages(void *address, long count) {}
#endif

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

/// A key the JSON scanner met before, and where it led (see `JSONFieldScanner`). The key's bytes are kept with
/// its closing quote, zero after, so that one compare of the line's bytes, masked after their first quote or
/// backslash, checks the bytes, the length and that the key has no escape.
typedef struct {
    /// Bytes 0-15 and 16-31 of the key and its closing quote, zero after.
    unsigned char head[16];
    unsigned char tail[16];
    /// The node the key is under; -1 in an empty slot (no node is negative).
    int parent;
    /// Where the key leads in the alias graph (-1: nowhere).
    int child;
    /// The key's length in bytes, 0-31.
    int count;
    int reserved;
} faultline_json_key;

/// Keys of at most this many bytes are cached; a longer one has no closing quote in the 32 bytes compared.
#define FAULTLINE_JSON_KEY_MAX 31

#if defined(__SSE2__)
/// Sixteen bytes of 0xff then sixteen of zero: sixteen bytes read from `16 - n` keep the first `n` of a block.
static const unsigned char faultline_keep_first[32] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

/// `block` with the bytes after its first `"` or `\\` made zero; `*stopped` is whether there was one.
static inline __m128i faultline_json_key_block(const unsigned char *bytes, int *stopped) {
    __m128i block = _mm_loadu_si128((const __m128i *)bytes);
    unsigned stops = faultline_quote_or_backslash_mask(bytes) | 0x10000;
    unsigned count = (unsigned)__builtin_ctz(stops);
    *stopped = count < 16;
    unsigned keep = count < 16 ? count + 1 : 16;
    return _mm_and_si128(block, _mm_loadu_si128((const __m128i *)(faultline_keep_first + 16 - keep)));
}

static inline unsigned long long faultline_json_key_mix(__m128i block) {
    unsigned long long low = (unsigned long long)_mm_cvtsi128_si64(block);
    unsigned long long high = (unsigned long long)_mm_cvtsi128_si64(_mm_unpackhi_epi64(block, block));
    return low ^ (high << 29 | high >> 35);
}

/// The slot of the key starting at `key` (after its opening quote) under the parent whose `salt` is given, in a
/// table of 1 << (64 - `shift`) entries; -1 when the key cannot be cached: fewer than 16 bytes of line from
/// `key` (`available`), or 32 for a key of 16 bytes or more, an escape, or more than 31 bytes. `head`/`tail` are
/// the bytes an entry holds for it.
static inline long faultline_json_key_slot(const unsigned char *key, long available, unsigned long long salt,
                                           unsigned shift, __m128i *head, __m128i *tail) {
    if (available < 16) return -1;
    int stopped;
    *head = faultline_json_key_block(key, &stopped);
    unsigned long long mixed = faultline_json_key_mix(*head) ^ salt;
    if (stopped) {
        *tail = _mm_setzero_si128();
    } else {
        if (available < 32) return -1;
        *tail = faultline_json_key_block(key + 16, &stopped);
        if (!stopped) return -1;
        mixed ^= faultline_json_key_mix(*tail) * 0xc4ceb9fe1a85ec53ULL;
    }
    return (long)((mixed * 0xff51afd7ed558ccdULL) >> shift);
}

/// The entry of `table` for the key starting at `key` under `parent`, or NULL when it holds none (see
/// `faultline_json_key_slot`). A key with an escape never matches: its backslash is where an entry has a quote.
static inline const faultline_json_key *faultline_json_key_find(const unsigned char *key, long available,
                                                                const faultline_json_key *table, int parent,
                                                                unsigned long long salt, unsigned shift) {
    __m128i head, tail;
    long slot = faultline_json_key_slot(key, available, salt, shift, &head, &tail);
    if (slot < 0) return 0;
    const faultline_json_key *entry = table + slot;
    unsigned same = (unsigned)_mm_movemask_epi8(
        _mm_cmpeq_epi8(head, _mm_loadu_si128((const __m128i *)entry->head)));
    if (entry->count >= 16) {
        same &= (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(tail, _mm_loadu_si128((const __m128i *)entry->tail)));
    }
    return same == 0xffff && entry->parent == parent ? entry : 0;
}

/// Stores in `table` the key of `count` bytes at `key` under `parent`, leading to `child`, when it can be cached.
static inline void faultline_json_key_store(const unsigned char *key, long available, faultline_json_key *table,
                                            int parent, unsigned long long salt, unsigned shift, int count,
                                            int child) {
    __m128i head, tail;
    long slot = faultline_json_key_slot(key, available, salt, shift, &head, &tail);
    if (slot < 0 || key[count] != '"') return;
    faultline_json_key *entry = table + slot;
    _mm_storeu_si128((__m128i *)entry->head, head);
    _mm_storeu_si128((__m128i *)entry->tail, tail);
    entry->parent = parent;
    entry->child = child;
    entry->count = count;
}
#endif

/// The same cache read eight bytes at a time, for machines without SSE2 (and to test the SSE2 path against):
/// the slot, the entry and the answer are those of the functions above, for the same table.
#include <string.h>
typedef struct {
    unsigned long long low, high;
} faultline_json_words;

static inline unsigned long long faultline_json_load_word(const unsigned char *bytes) {
    unsigned long long word;
    memcpy(&word, bytes, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    word = __builtin_bswap64(word);
#endif
    return word;
}

/// The high bit of each byte of `word` that is `"` or `\\`, exactly.
static inline unsigned long long faultline_json_stop_bits(unsigned long long word) {
    const unsigned long long low7 = 0x7f7f7f7f7f7f7f7fULL;
    unsigned long long quote = word ^ 0x2222222222222222ULL;
    unsigned long long backslash = word ^ 0x5c5c5c5c5c5c5c5cULL;
    return (~(((quote & low7) + low7) | quote) | ~(((backslash & low7) + low7) | backslash)) & 0x8080808080808080ULL;
}

static inline faultline_json_words faultline_json_key_words(const unsigned char *bytes, int *stopped) {
    faultline_json_words words = {faultline_json_load_word(bytes), faultline_json_load_word(bytes + 8)};
    unsigned long long low = faultline_json_stop_bits(words.low);
    unsigned long long high = faultline_json_stop_bits(words.high);
    unsigned count = low ? (unsigned)__builtin_ctzll(low) / 8 : high ? 8 + (unsigned)__builtin_ctzll(high) / 8 : 16;
    *stopped = count < 16;
    unsigned keep = count < 16 ? count + 1 : 16;
    if (keep < 8) words.low &= (1ULL << (8 * keep)) - 1;
    if (keep <= 8) words.high = 0;
    else if (keep < 16) words.high &= (1ULL << (8 * (keep - 8))) - 1;
    return words;
}

static inline unsigned long long faultline_json_words_mix(faultline_json_words words) {
    return words.low ^ (words.high << 29 | words.high >> 35);
}

static inline long faultline_json_key_slot_portable(const unsigned char *key, long available, unsigned long long salt,
                                                    unsigned shift, faultline_json_words *head,
                                                    faultline_json_words *tail) {
    if (available < 16) return -1;
    int stopped;
    *head = faultline_json_key_words(key, &stopped);
    unsigned long long mixed = faultline_json_words_mix(*head) ^ salt;
    if (stopped) {
        tail->low = 0;
        tail->high = 0;
    } else {
        if (available < 32) return -1;
        *tail = faultline_json_key_words(key + 16, &stopped);
        if (!stopped) return -1;
        mixed ^= faultline_json_words_mix(*tail) * 0xc4ceb9fe1a85ec53ULL;
    }
    return (long)((mixed * 0xff51afd7ed558ccdULL) >> shift);
}

static inline const faultline_json_key *faultline_json_key_find_portable(const unsigned char *key, long available,
                                                                         const faultline_json_key *table, int parent,
                                                                         unsigned long long salt, unsigned shift) {
    faultline_json_words head, tail;
    long slot = faultline_json_key_slot_portable(key, available, salt, shift, &head, &tail);
    if (slot < 0) return 0;
    const faultline_json_key *entry = table + slot;
    int same = head.low == faultline_json_load_word(entry->head) && head.high == faultline_json_load_word(entry->head + 8);
    if (entry->count >= 16) {
        same = same && tail.low == faultline_json_load_word(entry->tail)
            && tail.high == faultline_json_load_word(entry->tail + 8);
    }
    return same && entry->parent == parent ? entry : 0;
}

static inline void faultline_json_key_store_portable(const unsigned char *key, long available,
                                                     faultline_json_key *table, int parent, unsigned long long salt,
                                                     unsigned shift, int count, int child) {
    faultline_json_words head, tail;
    long slot = faultline_json_key_slot_portable(key, available, salt, shift, &head, &tail);
    if (slot < 0 || key[count] != '"') return;
    faultline_json_key *entry = table + slot;
    // The line's own bytes, masked: the same bytes as the words, in memory order whatever the byte order.
    memset(entry->head, 0, 32);
    memcpy(entry->head, key, count < 16 ? count + 1 : 16);
    if (count >= 16) memcpy(entry->tail, key + 16, count - 15);
    entry->parent = parent;
    entry->child = child;
    entry->count = count;
}

#if !defined(__SSE2__)
static inline const faultline_json_key *faultline_json_key_find(const unsigned char *key, long available,
                                                                const faultline_json_key *table, int parent,
                                                                unsigned long long salt, unsigned shift) {
    return faultline_json_key_find_portable(key, available, table, parent, salt, shift);
}
static inline void faultline_json_key_store(const unsigned char *key, long available, faultline_json_key *table,
                                            int parent, unsigned long long salt, unsigned shift, int count,
                                            int child) {
    faultline_json_key_store_portable(key, available, table, parent, salt, shift, count, child);
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

/// ISA-L's inflate (Intel's igzip), used in place of zlib's when the system has it: it inflates about twice as
/// fast here, and on two cores inflation is what a .gz run waits on. It is loaded at run time, so a machine
/// without libisal2 builds and runs the same code on zlib; its header, when present at build time, gives the
/// state's layout. The handles are opaque to Swift, so the Swift code is the same either way.
#if defined(__linux__) && defined(__has_include)
#if __has_include(<isa-l/igzip_lib.h>) && __has_include(<dlfcn.h>)
#define FAULTLINE_HAS_ISAL 1
#endif
#endif

#if defined(FAULTLINE_HAS_ISAL)
#include <dlfcn.h>
#include <isa-l/igzip_lib.h>
#include <stdlib.h>
#include <string.h>

/// The three entry points used, resolved from libisal.so.2.
typedef struct {
    void (*init)(struct inflate_state *);
    void (*reset)(struct inflate_state *);
    int (*inflate)(struct inflate_state *);
} faultline_isal_api;

/// A member decoder's state. Room is left past the header's layout: the library loaded may be a newer release
/// of the same ABI than the header the build saw.
static inline void *faultline_isal_new(const void *api) {
    struct inflate_state *state = (struct inflate_state *)calloc(1, sizeof(struct inflate_state) + 65536);
    if (state == NULL) return NULL;
    ((const faultline_isal_api *)api)->init(state);
    state->crc_flag = ISAL_GZIP;
    return state;
}

static inline void faultline_isal_free(void *state) { free(state); }

/// Starts the next gzip member (`cat a.gz b.gz`).
static inline void faultline_isal_reset(const void *api, void *state) {
    struct inflate_state *s = (struct inflate_state *)state;
    ((const faultline_isal_api *)api)->reset(s);
    s->crc_flag = ISAL_GZIP;
}

/// Inflates from `*next_in` into `*next_out`, moving both on: 0 while the member goes on, 1 at its end (header,
/// data and checked trailer read), or ISA-L's negative error code.
static inline int faultline_isal_inflate(
    const void *api, void *state, unsigned char **next_in, unsigned *avail_in, unsigned char **next_out,
    unsigned *avail_out) {
    struct inflate_state *s = (struct inflate_state *)state;
    s->next_in = *next_in;
    s->avail_in = *avail_in;
    s->next_out = *next_out;
    s->avail_out = *avail_out;
    int status = ((const faultline_isal_api *)api)->inflate(s);
    *next_in = s->next_in;
    *avail_in = s->avail_in;
    *next_out = s->next_out;
    *avail_out = s->avail_out;
    if (status < 0) return status;
    if (status == ISAL_NEED_DICT) return ISAL_INVALID_WRAPPER;
    return s->block_state == ISAL_BLOCK_FINISH ? 1 : 0;
}

/// The library's entry points, or NULL when libisal.so.2 is missing or fails a self-test: a known member must
/// inflate to its known text, so a library whose state layout differs from the header's is never used.
static inline void *faultline_isal_open(void) {
    void *library = dlopen("libisal.so.2", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) return NULL;
    faultline_isal_api *api = (faultline_isal_api *)malloc(sizeof(faultline_isal_api));
    if (api == NULL) return NULL;
    *(void **)&api->init = dlsym(library, "isal_inflate_init");
    *(void **)&api->reset = dlsym(library, "isal_inflate_reset");
    *(void **)&api->inflate = dlsym(library, "isal_inflate");
    if (api->init == NULL || api->reset == NULL || api->inflate == NULL) {
        free(api);
        return NULL;
    }
    static const unsigned char member[] = {
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff, 0x4b, 0x4b, 0x2c, 0xcd, 0x29, 0xc9, 0xc9,
        0xcc, 0x4b, 0xb5, 0x52, 0xc8, 0x2c, 0x4e, 0xd4, 0xcd, 0x51, 0x28, 0x4e, 0xcd, 0x49, 0xd3, 0x2d, 0x49,
        0x2d, 0x2e, 0xe1, 0x4a, 0x23, 0x4b, 0x0a, 0x00, 0xbe, 0x6a, 0x19, 0x50, 0x51, 0x00, 0x00, 0x00};
    static const char text[] = "faultline: isa-l self-test\nfaultline: isa-l self-test\nfaultline: isa-l self-test\n";
    unsigned char output[128];
    void *state = faultline_isal_new(api);
    int passed = 0;
    if (state != NULL) {
        unsigned char *in = (unsigned char *)member, *out = output;
        unsigned avail_in = sizeof(member), avail_out = sizeof(output);
        int status = faultline_isal_inflate(api, state, &in, &avail_in, &out, &avail_out);
        passed = status == 1 && avail_in == 0 && (size_t)(out - output) == sizeof(text) - 1
            && memcmp(output, text, sizeof(text) - 1) == 0;
        faultline_isal_free(state);
    }
    if (!passed) {
        free(api);
        return NULL;
    }
    return api;
}

/// ISA-L's message for an error code.
static inline const char *faultline_isal_error(int status) {
    switch (status) {
    case ISAL_INVALID_BLOCK: return "invalid block type";
    case ISAL_INVALID_SYMBOL: return "invalid code";
    case ISAL_INVALID_LOOKBACK: return "invalid distance too far back";
    case ISAL_INVALID_WRAPPER: return "invalid gzip header";
    case ISAL_UNSUPPORTED_METHOD: return "unknown compression method";
    case ISAL_INCORRECT_CHECKSUM: return "incorrect data check";
    default: return "invalid compressed data";
    }
}
#else
static inline void *faultline_isal_open(void) { return 0; }
static inline void *faultline_isal_new(const void *api) { return 0; }
static inline void faultline_isal_free(void *state) {}
static inline void faultline_isal_reset(const void *api, void *state) {}
static inline int faultline_isal_inflate(
    const void *api, void *state, unsigned char **next_in, unsigned *avail_in, unsigned char **next_out,
    unsigned *avail_out) {
    return -1;
}
static inline const char *faultline_isal_error(int status) { return "invalid compressed data"; }
#endif

/// SHA-256's compression function on the x86 SHA extensions (`sha256rnds2`, `sha256msg1/2`): key fingerprints are
/// computed once per distinct key per piece, and a log of 100,000 keys spent a sixth of its instructions in the
/// portable compression. Used only when CPUID reports SHA, SSSE3 and SSE4.1.
///
/// It and the CRC-32 below need x86-64 intrinsics and CPUID; each function carries its own `target` attribute, so
/// the rest of the build stays on baseline x86-64.
#if defined(__x86_64__) && defined(__clang__) && defined(__has_include)
#if __has_include(<cpuid.h>) && __has_include(<immintrin.h>)
#define FAULTLINE_HAS_X86_INTRINSICS 1
#include <cpuid.h>
#include <immintrin.h>
#include <stdint.h>
#endif
#endif

#if defined(FAULTLINE_HAS_X86_INTRINSICS)

static inline int faultline_sha256_hardware(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return ssse3 && sse41 && ((b >> 29) & 1);
}

/// Runs the compression over `count` 64-byte blocks at `data`; `state` is the eight words a..h.
__attribute__((target("sha,ssse3,sse4.1")))
static inline void faultline_sha256_blocks(uint32_t *state, const unsigned char *data, long count) {
    static const uint32_t k[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
    const __m128i byteSwap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i tmp = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i state1 = _mm_loadu_si128((const __m128i *)&state[4]);
    tmp = _mm_shuffle_epi32(tmp, 0xB1);             // CDAB
    state1 = _mm_shuffle_epi32(state1, 0x1B);       // EFGH
    __m128i state0 = _mm_alignr_epi8(tmp, state1, 8);  // ABEF
    state1 = _mm_blend_epi16(state1, tmp, 0xF0);    // CDGH
    for (; count > 0; count--, data += 64) {
        __m128i abefSaved = state0, cdghSaved = state1;
        __m128i m[4];
        for (int i = 0; i < 16; i++) {
            if (i < 4) m[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16 * i)), byteSwap);
            __m128i current = m[i & 3];
            __m128i message = _mm_add_epi32(current, _mm_loadu_si128((const __m128i *)&k[4 * i]));
            state1 = _mm_sha256rnds2_epu32(state1, state0, message);
            if (i >= 3 && i <= 14) {
                // The next group's words: W[t-16] + σ0(W[t-15]) (from msg1) + W[t-7], then σ1 (msg2).
                __m128i next = _mm_add_epi32(m[(i + 1) & 3], _mm_alignr_epi8(current, m[(i + 3) & 3], 4));
                m[(i + 1) & 3] = _mm_sha256msg2_epu32(next, current);
            }
            message = _mm_shuffle_epi32(message, 0x0E);
            state0 = _mm_sha256rnds2_epu32(state0, state1, message);
            if (i >= 1 && i <= 12) m[(i + 3) & 3] = _mm_sha256msg1_epu32(m[(i + 3) & 3], current);
        }
        state0 = _mm_add_epi32(state0, abefSaved);
        state1 = _mm_add_epi32(state1, cdghSaved);
    }
    tmp = _mm_shuffle_epi32(state0, 0x1B);          // FEBA
    state1 = _mm_shuffle_epi32(state1, 0xB1);       // DCHG
    state0 = _mm_blend_epi16(tmp, state1, 0xF0);    // DCBA
    state1 = _mm_alignr_epi8(state1, tmp, 8);       // ABEF -> HGFE
    _mm_storeu_si128((__m128i *)&state[0], state0);
    _mm_storeu_si128((__m128i *)&state[4], state1);
}
#else
static inline int faultline_sha256_hardware(void) { return 0; }
static inline void faultline_sha256_blocks(unsigned *state, const unsigned char *data, long count) {}
#endif

/// gzip's CRC-32 folded sixteen bytes at a time with carry-less multiplies (PCLMULQDQ), for the zlib path: zlib
/// 1.2.13 checks a member's data with a table-driven CRC that was a ninth of the inflating thread's time, and that
/// thread is what a .gz run waits on. Used only when CPUID reports PCLMULQDQ and SSE4.1; the folding constants
/// are those of Gopal et al., "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ Instruction" (Intel,
/// 2009), for the bit-reflected polynomial 0xEDB88320.
#if defined(FAULTLINE_HAS_X86_INTRINSICS)
static inline int faultline_crc32_hardware(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int pclmul = (c >> 1) & 1, sse41 = (c >> 19) & 1;
    return pclmul && sse41;
}

/// The CRC register (pre- and post-inverted by the caller) after `count` bytes at `data`; `count` is at least 64
/// and a multiple of 16.
__attribute__((target("pclmul,sse4.1")))
static inline uint32_t faultline_crc32_fold(uint32_t crc, const unsigned char *data, size_t count) {
    const __m128i k1k2 = _mm_set_epi64x(0x01c6e41596LL, 0x0154442bd4LL);
    const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009eLL, 0x01751997d0LL);
    const __m128i k5 = _mm_set_epi64x(0, 0x0163cd6124LL);
    const __m128i poly = _mm_set_epi64x(0x01f7011641LL, 0x01db710641LL);
    const __m128i low32 = _mm_setr_epi32(~0, 0, ~0, 0);

    __m128i x1 = _mm_loadu_si128((const __m128i *)(data + 0x00));
    __m128i x2 = _mm_loadu_si128((const __m128i *)(data + 0x10));
    __m128i x3 = _mm_loadu_si128((const __m128i *)(data + 0x20));
    __m128i x4 = _mm_loadu_si128((const __m128i *)(data + 0x30));
    x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128((int)crc));
    data += 64;
    count -= 64;
    // Four lanes folded 64 bytes ahead at a time, so the multiplies of one step do not wait on each other.
    while (count >= 64) {
        __m128i l1 = _mm_clmulepi64_si128(x1, k1k2, 0x00), h1 = _mm_clmulepi64_si128(x1, k1k2, 0x11);
        __m128i l2 = _mm_clmulepi64_si128(x2, k1k2, 0x00), h2 = _mm_clmulepi64_si128(x2, k1k2, 0x11);
        __m128i l3 = _mm_clmulepi64_si128(x3, k1k2, 0x00), h3 = _mm_clmulepi64_si128(x3, k1k2, 0x11);
        __m128i l4 = _mm_clmulepi64_si128(x4, k1k2, 0x00), h4 = _mm_clmulepi64_si128(x4, k1k2, 0x11);
        x1 = _mm_xor_si128(_mm_xor_si128(l1, h1), _mm_loadu_si128((const __m128i *)(data + 0x00)));
        x2 = _mm_xor_si128(_mm_xor_si128(l2, h2), _mm_loadu_si128((const __m128i *)(data + 0x10)));
        x3 = _mm_xor_si128(_mm_xor_si128(l3, h3), _mm_loadu_si128((const __m128i *)(data + 0x20)));
        x4 = _mm_xor_si128(_mm_xor_si128(l4, h4), _mm_loadu_si128((const __m128i *)(data + 0x30)));
        data += 64;
        count -= 64;
    }
    // The four lanes into one, then the remaining sixteen-byte blocks into it.
    __m128i lanes[3] = {x2, x3, x4};
    for (int i = 0; i < 3; i++) {
        __m128i low = _mm_clmulepi64_si128(x1, k3k4, 0x00);
        x1 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x1, k3k4, 0x11), low), lanes[i]);
    }
    while (count >= 16) {
        __m128i low = _mm_clmulepi64_si128(x1, k3k4, 0x00);
        x1 = _mm_xor_si128(
            _mm_xor_si128(_mm_clmulepi64_si128(x1, k3k4, 0x11), low), _mm_loadu_si128((const __m128i *)data));
        data += 16;
        count -= 16;
    }
    // 128 bits to 64, then 64 to 32 by Barrett reduction.
    __m128i t = _mm_clmulepi64_si128(x1, k3k4, 0x10);
    x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), t);
    t = _mm_srli_si128(x1, 4);
    x1 = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x1, low32), k5, 0x00), t);
    t = _mm_clmulepi64_si128(_mm_and_si128(x1, low32), poly, 0x10);
    t = _mm_clmulepi64_si128(_mm_and_si128(t, low32), poly, 0x00);
    return (uint32_t)_mm_extract_epi32(_mm_xor_si128(x1, t), 1);
}

/// zlib's `crc32(crc, data, count)`, folded with PCLMULQDQ over all but the last few bytes; call only when
/// `faultline_crc32_hardware()` says so.
static inline uint32_t faultline_crc32(uint32_t crc, const unsigned char *data, size_t count) {
    if (count >= 64) {
        size_t bulk = count & ~(size_t)15;
        crc = ~faultline_crc32_fold(~crc, data, bulk);
        data += bulk;
        count -= bulk;
    }
    return count > 0 ? (uint32_t)crc32(crc, data, (uInt)count) : crc;
}
#else
static inline int faultline_crc32_hardware(void) { return 0; }
static inline uint32_t faultline_crc32(uint32_t crc, const unsigned char *data, size_t count) {
    return (uint32_t)crc32(crc, data, (uInt)count);
}
#endif

#endif
