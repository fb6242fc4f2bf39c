#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Byte-level helpers for the classifier: ASCII case folding and substring search without Foundation.
///
/// Providers spell the same code in different cases (`RESOURCE_EXHAUSTED`, `resource_exhausted`), so
/// everything is compared in lower case: a line's text is folded once, the rules' text once at start-up.
enum ByteSearch {
    /// The lower-case form of an ASCII letter; any other byte unchanged.
    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }

    /// A lower-cased copy of `bytes`.
    static func lowered(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
            for index in 0..<bytes.count {
                buffer[index] = lower(bytes[index])
            }
            count = bytes.count
        }
    }

    /// A lower-cased copy of a rule's text.
    static func lowered(_ text: String) -> [UInt8] {
        text.utf8.map(lower)
    }

    /// Whether `needle` occurs in `haystack`.
    static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        firstIndex(of: needle, in: haystack) != nil
    }

    /// The offset of the first occurrence of `needle` in `haystack`, found with memchr on its first byte and
    /// memcmp on the rest (Glibc does not export memmem without _GNU_SOURCE).
    static func firstIndex(of needle: [UInt8], in haystack: UnsafeRawBufferPointer, from start: Int = 0) -> Int? {
        needle.withUnsafeBytes { firstIndex(of: $0, in: haystack, from: start) }
    }

    /// The offset of the first occurrence of `needle` in `haystack`, for a needle already in a buffer.
    static func firstIndex(
        of needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer, from start: Int = 0
    ) -> Int? {
        guard let pattern = needle.baseAddress, !needle.isEmpty else { return start }
        guard let base = haystack.baseAddress, start >= 0, haystack.count - start >= needle.count else { return nil }
        let first = Int32(needle[0])
        let last = haystack.count - needle.count
        var offset = start
        while offset <= last {
            guard let hit = memchr(base + offset, first, last - offset + 1) else { return nil }
            let position = base.distance(to: UnsafeRawPointer(hit))
            if memcmp(base + position, pattern, needle.count) == 0 { return position }
            offset = position + 1
        }
        return nil
    }

    /// Whether `needle` occurs in `haystack` (both already lower case).
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        haystack.withUnsafeBytes { contains($0, needle) }
    }

    /// Whether `lhs` equals `rhs` (lower case) ignoring ASCII case.
    @inline(__always)
    static func equalIgnoringCase(_ lhs: UnsafeRawBufferPointer, _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for index in 0..<rhs.count where lower(lhs[index]) != rhs[index] { return false }
        return true
    }

    /// Whether a byte is ASCII white space (space, tab, CR, LF, VT, FF).
    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0d)
    }

    /// Whether a byte is an ASCII digit.
    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte &- 0x30 < 10
    }

    /// Whether a byte is an ASCII letter or digit.
    @inline(__always)
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isDigit(byte) || lower(byte) &- 0x61 < 26
    }

    /// `bytes` without leading and trailing white space and quotes, as a code field may carry them.
    static func trimmedCode(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0
        var end = bytes.count
        func skippable(_ byte: UInt8) -> Bool { isSpace(byte) || byte == 0x22 || byte == 0x27 }
        while start < end && skippable(bytes[start]) { start += 1 }
        while end > start && skippable(bytes[end - 1]) { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }

    /// FNV-1a over the lower-cased bytes: a code token's hash, so looking a token up allocates nothing.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            value = (value ^ UInt64(lower(byte))) &* 0x100_0000_01b3
        }
        return value
    }

    /// The decimal number at `offset` (commas between digit groups allowed, `40,000`), and where it ends.
    static func number(in bytes: UnsafeRawBufferPointer, at offset: Int) -> (value: Int, end: Int)? {
        var index = offset
        var value = 0
        var digits = 0
        while index < bytes.count {
            let byte = bytes[index]
            if isDigit(byte) {
                // Saturate rather than trap on a hostile run of digits.
                value = value > Int.max / 10 - 10 ? Int.max / 2 : value * 10 + Int(byte - 0x30)
                digits += 1
            } else if byte == 0x2c, digits > 0, index + 1 < bytes.count, isDigit(bytes[index + 1]) {
                // a thousands separator
            } else {
                break
            }
            index += 1
        }
        return digits > 0 ? (value, index) : nil
    }
}
