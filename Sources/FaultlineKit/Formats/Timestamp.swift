/// Hand-written timestamp parsers: no Foundation date formatting, no allocation, bytes in, milliseconds out.
public enum Timestamp {
    /// A parsed instant: milliseconds since the Unix epoch, UTC, and whether a zone was given.
    public struct Parsed: Sendable, Equatable {
        /// Milliseconds since the Unix epoch.
        public var millis: Int64
        /// Whether the text had no zone and was read as UTC.
        public var assumedUTC: Bool
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
    @inline(__always)
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }

    /// The date of a day count since 1970-01-01.
    public static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let dayOfEra = z - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    @inline(__always)
    static func digit(_ byte: UInt8) -> Int? {
        let value = Int(byte) &- 48
        return value >= 0 && value <= 9 ? value : nil
    }

    @inline(__always)
    static func number(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ count: Int) -> Int? {
        guard start + count <= bytes.count else { return nil }
        var value = 0
        for index in start..<start + count {
            guard let d = digit(bytes[index]) else { return nil }
            value = value * 10 + d
        }
        return value
    }

    /// The minute of the last ISO 8601 time read through it. Lines of a log come in time order, so most share
    /// their first 16 bytes (`YYYY-MM-DDTHH:MM`) with the line before, and those need no digit read again.
    public struct MinuteCache: Sendable {
        /// The 16 bytes, as two words; compared whole, so only exactly the same text hits.
        var low: UInt64 = 0
        var high: UInt64 = 0
        /// Seconds since the epoch of that minute (before any zone offset).
        var seconds: Int64 = 0
        var filled = false

        /// An empty cache: the first time read through it is read whole.
        public init() {}

        init(low: UInt64, high: UInt64, seconds: Int64) {
            self.low = low
            self.high = high
            self.seconds = seconds
            filled = true
        }
    }

    /// Seconds since the epoch of the `YYYY-MM-DD?HH:MM` in the first 16 bytes at `base` (`?` is `T`, `t` or a
    /// space), or nil if a digit or separator is not one or a field is out of range.
    ///
    /// Two words, each checked for all its digits and separators at once, then the fields' ranges.
    @inline(__always)
    static func minuteSeconds(_ date: UInt64, _ middle: UInt64) -> Int64? {
        // Bytes 0-7 `YYYY-MM-`, 8-15 `DD?HH:MM`; the low byte of a word is its first.
        guard
            wordMatches(
                date, digits: 0x00FF_FF00_FFFF_FFFF, marks: 0xFF00_00FF_0000_0000, values: 0x2D00_002D_0000_0000),
            wordMatches(
                middle, digits: 0xFFFF_00FF_FF00_FFFF, marks: 0x0000_FF00_0000_0000, values: 0x0000_3A00_0000_0000)
        else { return nil }
        let separator = UInt8(truncatingIfNeeded: middle >> 16)
        guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: " ") || separator == UInt8(ascii: "t") else {
            return nil
        }
        // Every digit byte is `0`-`9` now, so its low nibble is its value.
        @inline(__always) func at(_ word: UInt64, _ index: UInt64) -> Int {
            Int(truncatingIfNeeded: word >> (index * 8) & 0x0f)
        }
        let year = at(date, 0) * 1000 + at(date, 1) * 100 + at(date, 2) * 10 + at(date, 3)
        let month = at(date, 5) * 10 + at(date, 6)
        let day = at(middle, 0) * 10 + at(middle, 1)
        let hour = at(middle, 3) * 10 + at(middle, 4)
        let minute = at(middle, 6) * 10 + at(middle, 7)
        guard (1...12).contains(month), (1...31).contains(day), hour <= 24, minute <= 59 else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Int64(days) * 86400 + Int64(hour * 3600 + minute * 60)
    }

    /// Whether the bytes of `word` under `digits` (0xFF each) are ASCII digits and those under `marks` equal
    /// `values`' bytes.
    @inline(__always)
    static func wordMatches(_ word: UInt64, digits: UInt64, marks: UInt64, values: UInt64) -> Bool {
        let highNibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        let zeros: UInt64 = 0x3030_3030_3030_3030
        // A digit is `0x30`-`0x39`: high nibble 3, and adding 6 leaves it 3 (`0x3A`-`0x3F` become `0x40`-`0x45`).
        // The sum cannot carry between bytes once every digit byte is `0x3?`, and if one is not, the first test
        // already failed.
        let shape = word & (digits & highNibbles | marks) == zeros & digits | values
        let belowTen = (word &+ (0x0606_0606_0606_0606 & digits)) & (digits & highNibbles) == zeros & digits
        return shape && belowTen
    }

    /// Reads RFC 3339 / ISO 8601: `2025-03-10T12:00:00.123Z`, `+02:00`, `+0200`, a space for `T`,
    /// any fraction length; with no zone the time is read as UTC and flagged.
    public static func parseISO8601(_ bytes: UnsafeRawBufferPointer) -> Parsed? {
        var cache = MinuteCache()
        return parseISO8601(bytes, cache: &cache)
    }

    /// `parseISO8601(_:)`, with the minute read from `cache` when the text begins as the last one through it did.
    public static func parseISO8601(_ bytes: UnsafeRawBufferPointer, cache: inout MinuteCache) -> Parsed? {
        // YYYY-MM-DD?HH:MM:SS minimum 19 bytes.
        guard bytes.count >= 19, let base = bytes.baseAddress else { return nil }
        let low = UInt64(littleEndian: base.loadUnaligned(as: UInt64.self))
        let high = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        let minute: Int64
        if cache.filled && cache.low == low && cache.high == high {
            minute = cache.seconds
        } else {
            guard let seconds = minuteSeconds(low, high) else { return nil }
            minute = seconds
            cache = MinuteCache(low: low, high: high, seconds: seconds)
        }
        guard bytes[16] == UInt8(ascii: ":"), let second = number(bytes, 17, 2), second <= 60 else { return nil }
        var index = 19
        var millis = 0
        if index < bytes.count && (bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",")) {
            index += 1
            let fractionStart = index
            // Milliseconds, as most logs write them: three digits and no fourth, read without the loop's divisions.
            if index + 3 <= bytes.count, let hundreds = digit(bytes[index]), let tens = digit(bytes[index + 1]),
                let ones = digit(bytes[index + 2]), index + 3 == bytes.count || digit(bytes[index + 3]) == nil
            {
                millis = hundreds * 100 + tens * 10 + ones
                index += 3
            } else {
                var scale = 100
                while index < bytes.count, let d = digit(bytes[index]) {
                    millis += d * scale
                    scale /= 10
                    index += 1
                }
            }
            if index == fractionStart { return nil }
        }
        var offsetSeconds = 0
        var assumedUTC = false
        if index == bytes.count {
            assumedUTC = true
        } else {
            let sign = bytes[index]
            if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") {
                index += 1
            } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                guard let offsetHours = number(bytes, index + 1, 2) else { return nil }
                var cursor = index + 3
                if cursor < bytes.count && bytes[cursor] == UInt8(ascii: ":") { cursor += 1 }
                var offsetMinutes = 0
                if cursor < bytes.count {
                    guard let value = number(bytes, cursor, 2) else { return nil }
                    offsetMinutes = value
                    cursor += 2
                }
                offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
                index = cursor
            } else if sign == UInt8(ascii: " ") && bytes.count - index == 4 && bytes[index + 1] == UInt8(ascii: "U") {
                index += 4  // " UTC"
            } else {
                return nil
            }
            guard index == bytes.count else { return nil }
        }
        let seconds = minute + Int64(second) - Int64(offsetSeconds)
        return Parsed(millis: seconds * 1000 + Int64(millis), assumedUTC: assumedUTC)
    }

    /// Reads an epoch number in seconds, milliseconds, microseconds or nanoseconds, told apart by
    /// magnitude, with an optional fraction (`1741608000.123`).
    public static func parseEpoch(_ bytes: UnsafeRawBufferPointer) -> Parsed? {
        guard !bytes.isEmpty else { return nil }
        var index = 0
        var integer: Int64 = 0
        var digits = 0
        while index < bytes.count, let d = digit(bytes[index]) {
            // 19 digits hold nanoseconds until 2262; more, or a 19-digit number past Int64, is no time.
            guard digits < 19, integer <= (Int64.max - Int64(d)) / 10 else { return nil }
            integer = integer * 10 + Int64(d)
            digits += 1
            index += 1
        }
        guard digits > 0 else { return nil }
        var fractionMillis: Int64 = 0
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale: Int64 = 100
            while index < bytes.count, let d = digit(bytes[index]) {
                fractionMillis += Int64(d) * scale
                scale /= 10
                index += 1
            }
        }
        // Exponent forms (1.7416e9) come from some exporters.
        if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            guard let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite, value > 0,
                value < 1e19
            else { return nil }
            return parseEpochValue(value)
        }
        guard index == bytes.count else { return nil }
        // 1e11 seconds is year 5138; 1e14 ms year 5138; so the ranges do not overlap for real logs.
        let millis: Int64
        switch integer {
        case ..<100_000_000_000: millis = integer * 1000 + fractionMillis
        case ..<100_000_000_000_000: millis = integer
        case ..<100_000_000_000_000_000: millis = integer / 1000
        default: millis = integer / 1_000_000
        }
        return Parsed(millis: millis, assumedUTC: false)
    }

    private static func parseEpochValue(_ value: Double) -> Parsed? {
        let millis: Double
        switch value {
        case ..<1e11: millis = value * 1000
        case ..<1e14: millis = value
        case ..<1e17: millis = value / 1000
        default: millis = value / 1_000_000
        }
        return Parsed(millis: Int64(millis), assumedUTC: false)
    }

    /// Reads any form a JSON log uses: ISO 8601 text or an epoch number (also as a string).
    public static func parseAny(_ bytes: UnsafeRawBufferPointer) -> Parsed? {
        var cache = MinuteCache()
        return parseAny(bytes, cache: &cache)
    }

    /// `parseAny(_:)`, with an ISO 8601 time's minute read from `cache` when it can be.
    public static func parseAny(_ bytes: UnsafeRawBufferPointer, cache: inout MinuteCache) -> Parsed? {
        guard let first = bytes.first else { return nil }
        if bytes.count >= 19, bytes[4] == UInt8(ascii: "-") { return parseISO8601(bytes, cache: &cache) }
        if digit(first) != nil { return parseEpoch(bytes) }
        return nil
    }

    /// Formats milliseconds since the epoch as RFC 3339 UTC with milliseconds: `2025-03-10T00:00:00.040Z`.
    public static func format(_ millis: Int64, fractional: Bool = true, offsetSeconds: Int = 0) -> String {
        let shifted = millis + Int64(offsetSeconds) * 1000
        let totalSeconds = shifted >= 0 ? shifted / 1000 : (shifted - 999) / 1000
        let ms = Int(shifted - totalSeconds * 1000)
        let days = totalSeconds >= 0 ? totalSeconds / 86400 : (totalSeconds - 86399) / 86400
        let secondOfDay = Int(totalSeconds - days * 86400)
        let (year, month, day) = civilFromDays(Int(days))
        var text = ""
        text.reserveCapacity(24)
        func pad(_ value: Int, _ width: Int) {
            let digits = String(value)
            if digits.count < width { text += String(repeating: "0", count: width - digits.count) }
            text += digits
        }
        pad(year, 4)
        text += "-"
        pad(month, 2)
        text += "-"
        pad(day, 2)
        text += "T"
        pad(secondOfDay / 3600, 2)
        text += ":"
        pad(secondOfDay / 60 % 60, 2)
        text += ":"
        pad(secondOfDay % 60, 2)
        if fractional {
            text += "."
            pad(ms, 3)
        }
        if offsetSeconds == 0 {
            text += "Z"
        } else {
            let sign = offsetSeconds < 0 ? "-" : "+"
            let magnitude = abs(offsetSeconds)
            text += sign
            pad(magnitude / 3600, 2)
            text += ":"
            pad(magnitude / 60 % 60, 2)
        }
        return text
    }
}
