/// Reads JSON-lines logs of any shape into records, through the alias graph and typed conversions.
public struct JSONLineParser: Sendable {
    private var scanner: JSONFieldScanner
    /// Parses access-log lines wrapped in a JSON envelope (`{"log": "..."}`), once one was found.
    var wrappedParser: (@Sendable (UnsafeMutableRawBufferPointer, inout RequestRecord) -> ParseResult)?
    /// The minute of the last line's time: most lines share it.
    private var minuteCache = Timestamp.MinuteCache()

    /// A parser using the built-in aliases after `overrides` (`--field`).
    public init(overrides: [FieldAliases.Alias] = []) {
        scanner = JSONFieldScanner(trie: PathTrie.build(overrides: overrides))
    }

    /// Parses one line into `record` (which is reset first).
    public mutating func parse(_ line: UnsafeMutableRawBufferPointer, into record: inout RequestRecord) -> ParseResult {
        record.reset()
        let result = scanner.scan(line, into: &record)
        guard result == .record else { return result }
        if !record[.status].isPresent, scanner.wrapped.isPresent, let wrappedParser {
            let span = scanner.wrapped
            // Docker's `log` keeps the line's own newline; the access-log parsers want the line without it.
            var innerEnd = Int(span.start + span.count)
            while innerEnd > Int(span.start), line[innerEnd - 1] == 0x0a || line[innerEnd - 1] == 0x0d { innerEnd -= 1 }
            let inner = UnsafeMutableRawBufferPointer(rebasing: line[Int(span.start)..<innerEnd])
            var innerRecord = RequestRecord()
            if case .record = wrappedParser(inner, &innerRecord) {
                let time = record[.time]
                record = Self.rebase(innerRecord, by: Int(span.start))
                if record.time == nil && time.isPresent { record[.time] = time }
                return finish(line, &record)
            }
        }
        return finish(line, &record)
    }

    /// Moves an inner record's byte ranges to line offsets.
    private static func rebase(_ inner: RequestRecord, by offset: Int) -> RequestRecord {
        var record = inner
        for field in RecordField.allCases where inner[field].isPresent {
            record[field] = ByteSpan(start: Int(inner[field].start) + offset, count: Int(inner[field].count))
        }
        return record
    }

    private mutating func finish(_ line: UnsafeMutableRawBufferPointer, _ record: inout RequestRecord) -> ParseResult {
        let bytes = UnsafeRawBufferPointer(line)
        // Inlined: as a call, each of a line's five slices cost twenty instructions.
        @inline(__always)
        func slice(_ field: RecordField) -> UnsafeRawBufferPointer? {
            let span = record[field]
            guard span.isPresent else { return nil }
            return UnsafeRawBufferPointer(rebasing: bytes[Int(span.start)..<Int(span.start + span.count)])
        }
        // Status.
        if record.status == nil {
            guard let text = slice(.status) else { return .skipped(.noStatus) }
            guard let status = ValueParsing.status(text) else { return .skipped(.badStatus) }
            record.status = status
        }
        // Time.
        if record.time == nil {
            guard let text = slice(.time) else { return .skipped(.noTime) }
            guard let parsed = Timestamp.parseAny(text, cache: &minuteCache) else { return .skipped(.badTime) }
            record.time = parsed.millis
            record.timeAssumedUTC = parsed.assumedUTC
        }
        // Key: remove the scheme word of an Authorization header; note hashed keys.
        if record[.key].isPresent {
            record.keyFieldPresent = true
            switch scanner.transform(of: .key) {
            case .authorization:
                record[.key] = ValueParsing.removingScheme(record[.key], in: bytes)
            case .hashedKey:
                record.keyIsHashed = true
            default:
                break
            }
            if !record.keyIsHashed, let key = slice(.key), ValueParsing.isHexDigest(key) { record.keyIsHashed = true }
        } else if let url = slice(.url), let key = ValueParsing.queryKey(url) {
            record[.key] = ByteSpan(start: Int(record[.url].start) + key.start, count: key.count)
            record.keyFieldPresent = true
        }
        if !record[.endpoint].isPresent, let url = slice(.url), let path = ValueParsing.path(ofURL: url) {
            record[.endpoint] = ByteSpan(start: Int(record[.url].start) + path.start, count: path.count)
        }
        if record.retryAfterMillis == nil, let text = slice(.retryAfter) {
            let scale: Double = scanner.transform(of: .retryAfter) == .milliseconds ? 1 : 1000
            // A value past Int64 milliseconds is dropped rather than trapping the conversion.
            if let value = ValueParsing.decimal(text) {
                record.retryAfterMillis = Int64(exactly: (value * scale).rounded(.towardZero))
            }
        }
        if record.latencyMillis == nil, let text = slice(.latency), let value = ValueParsing.decimal(text) {
            switch scanner.transform(of: .latency) {
            case .seconds: record.latencyMillis = value * 1000
            case .nanoseconds: record.latencyMillis = value / 1_000_000
            default: record.latencyMillis = value
            }
        }
        return .record
    }
}

/// Small byte-level conversions shared by the format parsers.
public enum ValueParsing {
    /// An HTTP status from `429`, `"429"`, `429.0`, or `success`/`ok` (200); nil when it is none.
    public static func status(_ text: UnsafeRawBufferPointer) -> Int? {
        guard let first = text.first else { return nil }
        // Three digits, as nearly every status is: the loop below would give the same value.
        if text.count == 3 {
            let hundreds = first &- UInt8(ascii: "0")
            let tens = text[1] &- UInt8(ascii: "0")
            let units = text[2] &- UInt8(ascii: "0")
            if hundreds < 10 && tens < 10 && units < 10 {
                return Int(hundreds) * 100 + Int(tens) * 10 + Int(units)
            }
        }
        if first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") {
            var value = 0
            var index = 0
            while index < text.count, let d = Timestamp.digit(text[index]) {
                value = value * 10 + d
                index += 1
                if value > 999 { return nil }
            }
            if index < text.count {
                // Allow "429.0"; nothing else may follow.
                guard text[index] == UInt8(ascii: "."),
                    text[(index + 1)...].allSatisfy({ $0 == UInt8(ascii: "0") })
                else { return nil }
            }
            return value
        }
        let lowered = text.map(PathTrie.lower)
        if lowered.elementsEqual("success".utf8) || lowered.elementsEqual("ok".utf8) { return 200 }
        return nil
    }

    /// A decimal number (`1.25`, `30`, `-1`); nil for `-` or text.
    public static func decimal(_ text: UnsafeRawBufferPointer) -> Double? {
        guard !text.isEmpty, text.count < 40 else { return nil }
        // Digits only, at most 15 (below 2^53), as most latencies are: summed as an integer, which the loop
        // below, summing in `Double`, would give exactly, every partial sum being a whole number below 2^53.
        if text.count <= 15 {
            var whole = 0
            var index = 0
            while index < text.count {
                let digit = text[index] &- UInt8(ascii: "0")
                if digit >= 10 { break }
                whole = whole &* 10 &+ Int(digit)
                index += 1
            }
            if index == text.count { return Double(whole) }
        }
        var integer: Double = 0
        var index = 0
        var negative = false
        if text[0] == UInt8(ascii: "-") {
            negative = true
            index = 1
        }
        let digitsStart = index
        while index < text.count, let d = Timestamp.digit(text[index]) {
            integer = integer * 10 + Double(d)
            index += 1
        }
        if index < text.count && text[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            while index < text.count, let d = Timestamp.digit(text[index]) {
                integer += Double(d) * scale
                scale /= 10
                index += 1
            }
        }
        guard index > digitsStart else { return nil }
        // A unit suffix (`19s`, `500ms`) as Gemini's retryDelay and Go durations write it.
        if index < text.count {
            let rest = text[index...]
            if rest.elementsEqual("s".utf8) { return negative ? -integer : integer }
            if rest.elementsEqual("ms".utf8) { return (negative ? -integer : integer) / 1000 }
            return nil
        }
        return negative ? -integer : integer
    }

    /// The key after an `Authorization` scheme word (`Bearer `, any case); `Bearer` alone gives an empty key.
    static func removingScheme(_ span: ByteSpan, in bytes: UnsafeRawBufferPointer) -> ByteSpan {
        let start = Int(span.start)
        let count = Int(span.count)
        // `Bearer ` and more, in any case, as one word: setting bit 5 of the six letters lowercases exactly the
        // upper-case ones (each pair differs only there), and the space is compared as it is.
        if count >= 8 {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: start, as: UInt64.self))
            let bearer: UInt64 = 0x0020_7265_7261_6562  // "bearer " read as a little-endian word
            let matches = (word | 0x2020_2020_2020) & 0x00ff_ffff_ffff_ffff == bearer
            return matches ? ByteSpan(start: start + 7, count: count - 7) : span
        }
        guard count >= 6,
            PathTrie.lower(bytes[start]) == UInt8(ascii: "b"), PathTrie.lower(bytes[start + 1]) == UInt8(ascii: "e"),
            PathTrie.lower(bytes[start + 2]) == UInt8(ascii: "a"),
            PathTrie.lower(bytes[start + 3]) == UInt8(ascii: "r"),
            PathTrie.lower(bytes[start + 4]) == UInt8(ascii: "e"), PathTrie.lower(bytes[start + 5]) == UInt8(ascii: "r")
        else { return span }
        if count == 6 { return ByteSpan(start: start + 6, count: 0) }
        guard bytes[start + 6] == UInt8(ascii: " ") else { return span }
        return ByteSpan(start: start + 7, count: count - 7)
    }

    /// Whether the bytes are a 64-digit hex digest (a key the log already hashed).
    static func isHexDigest(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count == 64
            && bytes.allSatisfy {
                ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                    || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f"))
            }
    }

    /// The value of a `key=` query parameter (Gemini puts keys in URLs), as an offset range.
    public static func queryKey(_ url: UnsafeRawBufferPointer) -> (start: Int, count: Int)? {
        guard let question = url.firstIndex(of: UInt8(ascii: "?")) else { return nil }
        var index = question + 1
        while index < url.count {
            var end = index
            while end < url.count && url[end] != UInt8(ascii: "&") && url[end] != UInt8(ascii: " ")
                && url[end] != UInt8(ascii: "#")
            {
                end += 1
            }
            if end - index >= 4 && url[index] == UInt8(ascii: "k") && url[index + 1] == UInt8(ascii: "e")
                && url[index + 2] == UInt8(ascii: "y") && url[index + 3] == UInt8(ascii: "=")
            {
                return (index + 4, end - index - 4)
            }
            if end < url.count && url[end] != UInt8(ascii: "&") { break }
            index = end + 1
        }
        return nil
    }

    /// The path of a URL or request line (`POST /v1/x?y HTTP/1.1`, `https://h/v1/x`), as an offset range.
    public static func path(ofURL url: UnsafeRawBufferPointer) -> (start: Int, count: Int)? {
        var start = 0
        // A request line: skip the method.
        if let space = url.firstIndex(of: UInt8(ascii: " ")), space < 10 { start = space + 1 }
        // An absolute URL: skip scheme and authority.
        if url.count - start > 8, url[start] != UInt8(ascii: "/") {
            var index = start
            while index + 2 < url.count
                && !(url[index] == UInt8(ascii: ":") && url[index + 1] == UInt8(ascii: "/")
                    && url[index + 2] == UInt8(ascii: "/"))
            {
                index += 1
                if index - start > 10 { return nil }
            }
            index += 3
            while index < url.count && url[index] != UInt8(ascii: "/") { index += 1 }
            start = index
        }
        guard start < url.count, url[start] == UInt8(ascii: "/") else { return nil }
        var end = start
        while end < url.count && url[end] != UInt8(ascii: "?") && url[end] != UInt8(ascii: " ")
            && url[end] != UInt8(ascii: "#")
        {
            end += 1
        }
        return (start, end - start)
    }
}
