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

#endif
