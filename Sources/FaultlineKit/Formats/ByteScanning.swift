import CZlib

/// Word-at-a-time byte scanning shared by the hot parsers.
enum ByteScanning {
    @inline(__always)
    static func load(_ pointer: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self))
    }

    /// The first `count` (< 8) bytes as the low bytes of a word.
    ///
    /// Two overlapping loads, or three bytes, never a loop: the tail of every hashed value comes through here.
    @inline(__always)
    static func loadPartial(_ pointer: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        let raw = UnsafeRawPointer(pointer)
        if count >= 4 {
            let low = UInt64(UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self)))
            let high = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)))
            return low | high << UInt64((count - 4) * 8)
        }
        guard count > 0 else { return 0 }
        let middle = count >> 1
        return UInt64(pointer[0]) | UInt64(pointer[middle]) << UInt64(middle * 8)
            | UInt64(pointer[count - 1]) << UInt64((count - 1) * 8)
    }

    /// A nonzero word with the high bit set in each byte of `word` that equals `byte` (the lowest is exact).
    @inline(__always)
    static func matches(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let x = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
        return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
    }

    /// A word with the high bit set in exactly the bytes of `word` that equal `byte`. Unlike `matches`, no
    /// borrow carries into the bytes above a match, so the highest bit set is a match too.
    @inline(__always)
    static func exactMatches(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let x = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
        let low: UInt64 = 0x7f7f_7f7f_7f7f_7f7f
        // A byte of `x` is zero exactly when adding 0x7f to its low seven bits leaves the high bit clear and
        // its own high bit is clear.
        return ~(((x & low) &+ low) | x) & 0x8080_8080_8080_8080
    }

    /// The offset of the last `byte` in `[start, end)`, or nil; eight bytes a step from the end.
    @inline(__always)
    static func findLast(_ byte: UInt8, in base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
        var index = end
        while index &- 8 >= start {
            let hit = exactMatches(load(base + (index &- 8)), byte)
            if hit != 0 { return index &- 8 &+ (63 &- hit.leadingZeroBitCount) &>> 3 }
            index &-= 8
        }
        while index > start {
            index &-= 1
            if base[index] == byte { return index }
        }
        return nil
    }

    /// The offset of the first `byte` in `[start, end)`, or nil; eight bytes per step.
    @inline(__always)
    static func find(_ byte: UInt8, in base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
        var index = start
        while index + 8 <= end {
            let hit = matches(load(base + index), byte)
            if hit != 0 { return index + hit.trailingZeroBitCount >> 3 }
            index += 8
        }
        while index < end {
            if base[index] == byte { return index }
            index += 1
        }
        return nil
    }

    /// The offset of the first `"` or `\\` in `[from, end)`, or -1; sixteen bytes a step (SSE2, in the C shim).
    @inline(__always)
    static func findQuoteOrBackslash(in base: UnsafePointer<UInt8>, from: Int, to end: Int) -> Int {
        faultline_find_quote_or_backslash(base, from, end)
    }

    /// The offset of the first `byte` in `[from, end)`, or -1; sixteen bytes a step (SSE2, in the C shim).
    @inline(__always)
    static func findByte(_ byte: UInt8, in base: UnsafePointer<UInt8>, from: Int, to end: Int) -> Int {
        faultline_find_byte(base, from, end, byte)
    }

    /// Like `findByte`, with the byte repeated in each byte of `repeated` (a word the caller made once).
    @inline(__always)
    static func findByte(repeated: UInt64, in base: UnsafePointer<UInt8>, from: Int, to end: Int) -> Int {
        faultline_find_byte_in_word(base, from, end, repeated)
    }

    /// Whether `count` bytes at `a` and `b` are equal; inline, a word at a time. Values compared per line are
    /// short (hosts, models, org ids), and a call into `memcmp` for each cost more than the comparison.
    @inline(__always)
    static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
        if count >= 8 {
            var index = 0
            while index + 8 <= count {
                if a.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    != b.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                {
                    return false
                }
                index += 8
            }
            // The last word again, overlapping: no byte loop for the tail.
            return index == count
                || a.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
                    == b.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        }
        if count >= 4 {
            return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
                && a.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
                    == b.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
        }
        var index = 0
        while index < count {
            if a.load(fromByteOffset: index, as: UInt8.self) != b.load(fromByteOffset: index, as: UInt8.self) {
                return false
            }
            index += 1
        }
        return true
    }

    /// The word with its ASCII capital letters made lower case, exactly (other bytes unchanged).
    @inline(__always)
    static func lowercased(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let heptets = word & (0x7f &* ones)
        let atLeastA = heptets &+ ((0x80 - 0x41) &* ones)
        let aboveZ = heptets &+ ((0x80 - 0x5b) &* ones)
        let upper = (atLeastA ^ aboveZ) & ~word & (0x80 &* ones)
        return word | (upper >> 2)
    }

    /// Whether `count` bytes at `key`, lower-cased, equal the lower-case bytes at `stored`.
    @inline(__always)
    static func equalFolded(_ key: UnsafePointer<UInt8>, _ stored: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var index = 0
        while index + 8 <= count {
            if lowercased(load(key + index)) != load(stored + index) { return false }
            index += 8
        }
        if index < count {
            let rest = count - index
            return lowercased(loadPartial(key + index, rest)) == loadPartial(stored + index, rest)
        }
        return true
    }

    /// A hash of bytes read a word at a time, with ASCII letters folded to lower case (other bytes may
    /// collide; callers compare the bytes on a hit).
    @inline(__always)
    static func foldedHash(_ base: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        let fold: UInt64 = 0x2020_2020_2020_2020
        var hash = UInt64(truncatingIfNeeded: count) &* 0x9e37_79b9_7f4a_7c15
        if count >= 8 {
            hash = (hash ^ (load(base) | fold)) &* 0xff51_afd7_ed55_8ccd
            hash = (hash ^ (load(base + count - 8) | fold)) &* 0xc4ce_b9fe_1a85_ec53
        } else if count > 0 {
            hash = (hash ^ (loadPartial(base, count) | (fold >> UInt64(64 - count * 8)))) &* 0xff51_afd7_ed55_8ccd
        }
        return hash ^ (hash >> 32)
    }

    /// A hash of all the bytes, a word at a time.
    @inline(__always)
    static func hash(_ base: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        var hash = UInt64(truncatingIfNeeded: count) &* 0x9e37_79b9_7f4a_7c15
        var index = 0
        while index + 8 <= count {
            hash = (hash ^ load(base + index)) &* 0xff51_afd7_ed55_8ccd
            hash ^= hash >> 29
            index += 8
        }
        if index < count {
            hash = (hash ^ loadPartial(base + index, count - index)) &* 0xc4ce_b9fe_1a85_ec53
        }
        return hash ^ (hash >> 32)
    }
}
