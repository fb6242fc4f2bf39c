extension Timestamp {
    /// Remembers the last access-log time read, since consecutive lines mostly share their second.
    public struct CLFCache: Sendable {
        // The 26 bytes of the last time, loaded as words so a hit costs four compares.
        var word0: UInt64 = 0
        var word1: UInt64 = 0
        var word2: UInt64 = 0
        var tail: UInt16 = 0
        var millis: Int64 = 0
        var valid = false

        /// An empty cache.
        public init() {}
    }

    /// Reads the access-log (CLF) time `10/Oct/2000:13:55:36 -0700`, the text inside `[...]`.
    public static func parseCLF(_ bytes: UnsafeRawBufferPointer) -> Parsed? {
        var cache = CLFCache()
        return parseCLF(bytes, cache: &cache)
    }

    /// Reads the access-log (CLF) time `10/Oct/2000:13:55:36 -0700`, reusing the cached value
    /// when the text is the same as last time.
    @inline(__always)
    public static func parseCLF(_ bytes: UnsafeRawBufferPointer, cache: inout CLFCache) -> Parsed? {
        guard bytes.count == 26 else { return nil }
        let word0 = bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        let word1 = bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        let word2 = bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
        let tail = bytes.loadUnaligned(fromByteOffset: 24, as: UInt16.self)
        if cache.valid && cache.word0 == word0 && cache.word1 == word1 && cache.word2 == word2 && cache.tail == tail {
            return Parsed(millis: cache.millis, assumedUTC: false)
        }
        guard let millis = parseCLFUncached(bytes) else { return nil }
        cache.word0 = word0
        cache.word1 = word1
        cache.word2 = word2
        cache.tail = tail
        cache.millis = millis
        cache.valid = true
        return Parsed(millis: millis, assumedUTC: false)
    }

    private static func parseCLFUncached(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard bytes[2] == UInt8(ascii: "/"), bytes[6] == UInt8(ascii: "/"), bytes[11] == UInt8(ascii: ":"),
            bytes[14] == UInt8(ascii: ":"), bytes[17] == UInt8(ascii: ":"), bytes[20] == UInt8(ascii: " "),
            let day = number(bytes, 0, 2), let month = month(bytes[3], bytes[4], bytes[5]),
            let year = number(bytes, 7, 4), let hour = number(bytes, 12, 2), let minute = number(bytes, 15, 2),
            let second = number(bytes, 18, 2), let offsetHours = number(bytes, 22, 2),
            let offsetMinutes = number(bytes, 24, 2),
            (1...31).contains(day), hour <= 23, minute <= 59, second <= 60, offsetMinutes <= 59
        else { return nil }
        let sign = bytes[21]
        guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        let offset = (offsetHours * 3600 + offsetMinutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
        return seconds * 1000
    }

    /// The month number of an English three-letter abbreviation, any case.
    static func month(_ first: UInt8, _ second: UInt8, _ third: UInt8) -> Int? {
        // Folding to lower case with 0x20 is safe here: only letters can match the table.
        let key = UInt32(first | 0x20) << 16 | UInt32(second | 0x20) << 8 | UInt32(third | 0x20)
        switch key {
        case 0x6A_616E: return 1  // jan
        case 0x66_6562: return 2  // feb
        case 0x6D_6172: return 3  // mar
        case 0x61_7072: return 4  // apr
        case 0x6D_6179: return 5  // may
        case 0x6A_756E: return 6  // jun
        case 0x6A_756C: return 7  // jul
        case 0x61_7567: return 8  // aug
        case 0x73_6570: return 9  // sep
        case 0x6F_6374: return 10  // oct
        case 0x6E_6F76: return 11  // nov
        case 0x64_6563: return 12  // dec
        default: return nil
        }
    }
}
