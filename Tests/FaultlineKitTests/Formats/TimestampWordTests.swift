import Testing

@testable import FaultlineKit

/// The word-at-a-time ISO 8601 reader, with and without its minute cache, against a byte-at-a-time reference.
@Suite("ISO 8601 times: word checks and the minute cache agree with a byte-at-a-time reader")
struct TimestampWordTests {
    /// The reader as it was before word checks: one byte at a time, no cache.
    private static func reference(_ bytes: [UInt8]) -> Timestamp.Parsed? {
        func digit(_ index: Int) -> Int? {
            guard index < bytes.count else { return nil }
            let value = Int(bytes[index]) - 48
            return value >= 0 && value <= 9 ? value : nil
        }
        func number(_ start: Int, _ count: Int) -> Int? {
            var value = 0
            for index in start..<start + count {
                guard let d = digit(index) else { return nil }
                value = value * 10 + d
            }
            return value
        }
        guard bytes.count >= 19,
            let year = number(0, 4), bytes[4] == UInt8(ascii: "-"),
            let month = number(5, 2), bytes[7] == UInt8(ascii: "-"),
            let day = number(8, 2),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " ") || bytes[10] == UInt8(ascii: "t"),
            let hour = number(11, 2), bytes[13] == UInt8(ascii: ":"),
            let minute = number(14, 2), bytes[16] == UInt8(ascii: ":"),
            let second = number(17, 2),
            (1...12).contains(month), (1...31).contains(day), hour <= 24, minute <= 59, second <= 60
        else { return nil }
        var index = 19
        var millis = 0
        if index < bytes.count && (bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",")) {
            index += 1
            var scale = 100
            let fractionStart = index
            while let d = digit(index) {
                millis += d * scale
                scale /= 10
                index += 1
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
                guard index + 3 <= bytes.count, let offsetHours = number(index + 1, 2) else { return nil }
                var cursor = index + 3
                if cursor < bytes.count && bytes[cursor] == UInt8(ascii: ":") { cursor += 1 }
                var offsetMinutes = 0
                if cursor < bytes.count {
                    guard cursor + 2 <= bytes.count, let value = number(cursor, 2) else { return nil }
                    offsetMinutes = value
                    cursor += 2
                }
                offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
                index = cursor
            } else if sign == UInt8(ascii: " ") && bytes.count - index == 4 && bytes[index + 1] == UInt8(ascii: "U") {
                index += 4
            } else {
                return nil
            }
            guard index == bytes.count else { return nil }
        }
        let days = Timestamp.daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        return Parsed(millis: seconds * 1000 + Int64(millis), assumedUTC: assumedUTC)
    }

    private typealias Parsed = Timestamp.Parsed

    /// Every text through a fresh reader, through one cache in order, and the reference, all equal.
    private static func check(_ texts: [[UInt8]]) {
        var cache = Timestamp.MinuteCache()
        for text in texts {
            let expected = reference(text)
            let alone = text.withUnsafeBytes { Timestamp.parseISO8601($0) }
            let cached = text.withUnsafeBytes { Timestamp.parseISO8601($0, cache: &cache) }
            let any = text.withUnsafeBytes { Timestamp.parseAny($0, cache: &cache) }
            if alone != expected || cached != expected
                || (text.count >= 19 && text[4] == UInt8(ascii: "-") && any != expected)
            {
                Issue.record("\(String(decoding: text, as: UTF8.self)): \(String(describing: expected))")
                return
            }
        }
    }

    @Test("every byte of valid times set to every value, each after its unchanged time")
    func everyByteEveryValue() {
        let valid = [
            "2025-03-10T00:00:00.041Z", "2025-03-10 23:59:60,5+02:00", "1999-12-31t24:00:00-0530",
            "2025-03-10T12:34:56",
            "2024-02-29T01:02:03.123456789Z", "0000-01-01T00:00:00 UTC", "9999-12-31T23:59:59.999z",
        ]
        var texts: [[UInt8]] = []
        for time in valid {
            let bytes = Array(time.utf8)
            for index in bytes.indices {
                for value in 0...255 {
                    var changed = bytes
                    changed[index] = UInt8(value)
                    // The unchanged time fills the cache first, so the changed one is read against it.
                    texts.append(bytes)
                    texts.append(changed)
                }
            }
        }
        Self.check(texts)
    }

    @Test("random digit-heavy texts of every length from 0 to 40, with caches warmed by their neighbours")
    func randomTexts() {
        var random = SeededRandom(state: 7)
        let alphabet = Array("0123456789-:T t.,Zz+U".utf8) + [0x2F, 0x3A, 0x3B, 0x40, 0xFF, 0x00]
        var texts: [[UInt8]] = []
        for _ in 0..<20_000 {
            // Mostly a real time with a few bytes changed, so many get past the first checks.
            var bytes = Array("2025-03-10T00:0\(random.below(10)):00.04\(random.below(10))Z".utf8)
            for _ in 0..<random.below(4) { bytes[random.below(bytes.count)] = alphabet[random.below(alphabet.count)] }
            let length = random.below(41)
            while bytes.count < length { bytes.append(alphabet[random.below(alphabet.count)]) }
            texts.append(Array(bytes.prefix(length)))
        }
        Self.check(texts)
    }

    @Test("a time read through the cache after another minute, day or zone is read as itself")
    func cacheNeverLeaksAMinute() {
        let times = [
            "2025-03-10T00:00:59.999Z", "2025-03-10T00:01:00.000Z", "2025-03-10T00:01:00.000+01:00",
            "2025-03-11T00:01:00Z", "2025-03-10 00:01:00", "2025-03-10T00:01:61Z", "2025-13-10T00:01:00Z",
            "2025-03-10T00:01:00Z",
        ]
        Self.check(times.map { Array($0.utf8) } + times.reversed().map { Array($0.utf8) })
        var cache = Timestamp.MinuteCache()
        let first = Array("2025-03-10T00:00:59.999Z".utf8).withUnsafeBytes { Timestamp.parseAny($0, cache: &cache) }
        let second = Array("2025-03-10T00:01:00.000Z".utf8).withUnsafeBytes { Timestamp.parseAny($0, cache: &cache) }
        #expect(second!.millis - first!.millis == 1)
    }
}
