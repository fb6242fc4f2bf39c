#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A compiled access-log layout: literal separators and typed fields, read in one pass per line.
///
/// Built once (from a preset or an nginx `log_format` string); parsing a line fills a
/// `RequestRecord` with byte ranges into the line and allocates nothing.
public struct AccessLogFormat: Sendable {
    /// The preset's name (`combined`, `ingress-nginx`, ...), or `nginx` for a custom `log_format`.
    public let name: String
    /// One line saying what writes this format.
    public let summary: String
    /// The layout as its producer writes it (an nginx `log_format` string, Envoy's `%...%` form).
    public let layout: String

    /// Text before the first field.
    let leading: [UInt8]
    /// Every step's following literal, back to back.
    let literals: [UInt8]
    let steps: [AccessLogStep]
    /// For each step, four words: the 256-bit set of bytes that may follow its literal where its field ends (the
    /// next field's lookahead, the next zero-width literal's first byte, or a space after the last step). Kept
    /// beside the steps rather than in them, so a test is one load.
    let follows: [UInt64]
    /// The variable each step reads, for error messages and listings (kept apart from the hot data).
    let variables: [String]
    /// Whether the line may carry more fields after the last one (ALB and Envoy add fields over time).
    let allowsTrailingFields: Bool
    /// Whether the format logs an upstream status, so its absence on a 5xx means nobody answered.
    let hasUpstreamStatus: Bool

    /// Per-worker memory of the last time read; keep one per thread and pass it to every call.
    public struct Cache: Sendable {
        var clf = Timestamp.CLFCache()

        /// An empty cache.
        public init() {}
    }

    /// Parses one line (without its newline) into `record`, which is reset first.
    public func parse(_ line: UnsafeMutableRawBufferPointer, into record: inout RequestRecord) -> ParseResult {
        var cache = Cache()
        return parse(line, into: &record, cache: &cache)
    }

    /// Parses one line (without its newline) into `record`, reusing `cache` across lines.
    public func parse(
        _ line: UnsafeMutableRawBufferPointer, into record: inout RequestRecord, cache: inout Cache
    ) -> ParseResult {
        record = RequestRecord()
        guard let raw = line.baseAddress, line.count > 0 else { return .skipped(.blankLine) }
        let base = raw.assumingMemoryBound(to: UInt8.self)
        let result = steps.withUnsafeBufferPointer { steps in
            literals.withUnsafeBufferPointer { literals in
                leading.withUnsafeBufferPointer { leading in
                    follows.withUnsafeBufferPointer { follows in
                        var walker = AccessLogWalker(
                            base: base, end: line.count, steps: steps, follows: follows, literals: literals,
                            allowsTrailingFields: allowsTrailingFields)
                        return walker.walk(leading: leading, record: &record, cache: &cache.clf)
                    }
                }
            }
        }
        switch result {
        case .record:
            guard let status = record.status else { return .skipped(.noStatus) }
            if hasUpstreamStatus && status >= 500 && !record[.upstreamStatus].isPresent {
                record.upstreamUnanswered = true
            }
            return .record
        case .skipped(.formatMismatch):
            return .skipped(Self.mismatchReason(base: base, count: line.count))
        case .skipped:
            return result
        }
    }

    /// Tells blank and binary lines apart from lines of another layout; only runs on failures.
    static func mismatchReason(base: UnsafeMutablePointer<UInt8>, count: Int) -> SkipReason {
        if memchr(base, 0, count) != nil { return .binary }
        for index in 0..<count {
            let byte = base[index]
            if byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") && byte != UInt8(ascii: "\r") {
                return .formatMismatch
            }
        }
        return .blankLine
    }
}

/// The state of one line's walk through the steps; lives on the stack for one call.
struct AccessLogWalker {
    let base: UnsafeMutablePointer<UInt8>
    let end: Int
    let steps: UnsafeBufferPointer<AccessLogStep>
    /// The format's `follows` sets, four words a step.
    let follows: UnsafeBufferPointer<UInt64>
    let literals: UnsafeBufferPointer<UInt8>
    let allowsTrailingFields: Bool
    /// The first typed failure; reported only when the layout itself matched.
    var typedFailure: SkipReason?

    init(
        base: UnsafeMutablePointer<UInt8>, end: Int, steps: UnsafeBufferPointer<AccessLogStep>,
        follows: UnsafeBufferPointer<UInt64>, literals: UnsafeBufferPointer<UInt8>, allowsTrailingFields: Bool
    ) {
        self.base = base
        self.end = end
        self.steps = steps
        self.follows = follows
        self.literals = literals
        self.allowsTrailingFields = allowsTrailingFields
    }

    @inline(__always)
    func matches(_ literal: UnsafeBufferPointer<UInt8>, at position: Int) -> Bool {
        guard position >= 0, position + literal.count <= end else { return false }
        var index = 0
        while index < literal.count {
            if base[position + index] != literal[index] { return false }
            index += 1
        }
        return true
    }

    @inline(__always)
    func literal(of step: AccessLogStep) -> UnsafeBufferPointer<UInt8> {
        // Steps are made with their literals (`AccessLogFormat+Compile`), so the range is always inside the pool;
        // the walk asks only for steps that have a literal, so the pool is not empty and has an address.
        UnsafeBufferPointer(start: literals.baseAddress.unsafelyUnwrapped + step.literalStart, count: step.literalCount)
    }

    mutating func walk(
        leading: UnsafeBufferPointer<UInt8>, record: inout RequestRecord, cache: inout Timestamp.CLFCache
    ) -> ParseResult {
        guard matches(leading, at: 0) else { return .skipped(.formatMismatch) }
        var cursor = leading.count
        var index = 0
        while index < steps.count {
            let step = steps[index]
            let fieldEnd: Int
            // Nearly every step is searched for: one compare for it rather than a jump through a table.
            if step.ending == .search {
                guard let found = findEnd(of: step, at: index, from: cursor) else { return .skipped(.formatMismatch) }
                fieldEnd = found
            } else {
                guard let found = fixedEnd(of: step, from: cursor) else { return .skipped(.formatMismatch) }
                fieldEnd = found
            }
            // Most fields of the common layouts are read past: no call for them.
            if step.isRead { apply(step.kind, start: cursor, end: fieldEnd, record: &record, cache: &cache) }
            cursor = fieldEnd &+ step.literalCount
            if step.mayEndAfter && cursor == end { break }
            index &+= 1
        }
        if cursor != end && !(allowsTrailingFields && base[cursor] == UInt8(ascii: " ")) {
            return .skipped(.formatMismatch)
        }
        if let typedFailure { return .skipped(typedFailure) }
        return .record
    }

    /// The first `byte` in `[start, stop)`, sixteen bytes a step inline: most fields are a few bytes long, and a
    /// `memchr` call costs more than the scan for them.
    @inline(__always)
    func find(_ byte: UInt8, from start: Int, to stop: Int? = nil) -> Int? {
        let hit = ByteScanning.findByte(byte, in: base, from: start, to: stop ?? end)
        return hit < 0 ? nil : hit
    }

    /// Where the field of a step that is not searched for ends, or nil when the line does not fit.
    func fixedEnd(of step: AccessLogStep, from cursor: Int) -> Int? {
        switch step.ending {
        case .search:
            return nil
        case .empty:
            return matches(literal(of: step), at: cursor) ? cursor : nil
        case .lineEnd:
            return allowsTrailingFields ? (find(UInt8(ascii: " "), from: cursor) ?? end) : end
        case .closesLine:
            // The last literal closes the line, so a stray quote inside the last field cannot fool us.
            let candidate = end - step.literalCount
            return candidate >= cursor && matches(literal(of: step), at: candidate) ? candidate : nil
        }
    }

    /// Finds where `step`'s field ends: the first place its literal follows and the next field looks right,
    /// skipping escaped quotes and the `, ` inside comma lists.
    @inline(__always)
    func findEnd(of step: AccessLogStep, at index: Int, from start: Int) -> Int? {
        let count = step.literalCount
        // The last place the literal can start, plus one.
        let limit = end &- count &+ 1
        var position = start
        while position < limit {
            let candidate = ByteScanning.findByte(repeated: step.firstRepeated, in: base, from: position, to: limit)
            guard candidate >= 0 else { return nil }
            position = candidate &+ 1
            // The scan matched the first byte, and stopped where the whole literal still fits: most literals are
            // one space, and need no more.
            if count > 1 && (base[candidate &+ 1] != step.second || !matchesRest(of: step, at: candidate)) {
                continue
            }
            switch step.shape {
            case .plain:
                break
            case .quoted:
                if candidate > start && base[candidate &- 1] == UInt8(ascii: "\\") && isEscaped(candidate, after: start)
                {
                    continue
                }
            case .list:
                if step.first == UInt8(ascii: " ") && candidate > start && base[candidate &- 1] == UInt8(ascii: ",") {
                    continue
                }
            }
            let after = candidate &+ count
            if after == end ? step.endsLine : accepts(base[after], after: index) { return candidate }
        }
        return nil
    }

    /// Whether `byte` may follow step `index`'s literal where its field ends.
    @inline(__always)
    func accepts(_ byte: UInt8, after index: Int) -> Bool {
        follows[index &* 4 &+ Int(byte &>> 6)] &>> UInt64(byte & 63) & 1 != 0
    }

    /// Whether the literal's bytes after its first two follow at `candidate`, which has room for them all.
    @inline(__always)
    func matchesRest(of step: AccessLogStep, at candidate: Int) -> Bool {
        let literal = literal(of: step)
        var index = 2
        while index < literal.count && base[candidate &+ index] == literal[index] { index &+= 1 }
        return index == literal.count
    }

    /// Whether the quote at `position` sits behind an odd number of backslashes (none before `start`).
    func isEscaped(_ position: Int, after start: Int) -> Bool {
        var backslashes = 0
        while position - backslashes > start && base[position - backslashes - 1] == UInt8(ascii: "\\") {
            backslashes += 1
        }
        return backslashes & 1 == 1
    }

    @inline(__always)
    func span(_ start: Int, _ end: Int) -> ByteSpan { ByteSpan(start: start, count: end - start) }

    @inline(__always)
    func isAbsent(_ start: Int, _ end: Int) -> Bool {
        end == start || (end - start == 1 && base[start] == UInt8(ascii: "-"))
    }

    @inline(__always)
    func buffer(_ start: Int, _ end: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + start, count: end - start)
    }

    @inline(__always)
    mutating func fail(_ reason: SkipReason) {
        if typedFailure == nil { typedFailure = reason }
    }

    mutating func apply(
        _ kind: AccessLogFieldKind, start: Int, end: Int, record: inout RequestRecord,
        cache: inout Timestamp.CLFCache
    ) {
        switch kind {
        case .skip, .empty:
            return
        case .status:
            guard !isAbsent(start, end) else { return fail(.noStatus) }
            guard end - start <= 3, let value = decimalInteger(start, end) else { return fail(.badStatus) }
            record.status = value
            record[.status] = span(start, end)
        case .timeLocal, .timeISO8601, .timeMsec:
            guard !isAbsent(start, end) else { return fail(.noTime) }
            let text = buffer(start, end)
            let parsed: Timestamp.Parsed?
            switch kind {
            case .timeLocal: parsed = Timestamp.parseCLF(text, cache: &cache)
            case .timeISO8601: parsed = Timestamp.parseISO8601(text)
            default: parsed = Timestamp.parseEpoch(text)
            }
            guard let parsed else { return fail(.badTime) }
            record.time = parsed.millis
            record.timeAssumedUTC = parsed.assumedUTC
            record[.time] = span(start, end)
        case .request:
            applyRequest(start, end, record: &record)
        case .requestURI:
            applyTarget(start, end, record: &record)
        case .uri:
            guard !isAbsent(start, end) else { return }
            record[.endpoint] = span(start, find(UInt8(ascii: "?"), from: start, to: end) ?? end)
        case .query:
            applyQuery(start, end, record: &record)
        case .method: setText(.method, start, end, record: &record)
        case .requestID: setText(.requestID, start, end, record: &record)
        case .userAgent: setText(.userAgent, start, end, record: &record)
        case .host: setText(.host, start, end, record: &record)
        case .org: setText(.org, start, end, record: &record)
        case .project: setText(.project, start, end, record: &record)
        case .errorCode: setText(.errorCode, start, end, record: &record)
        case .upstreamStatus: setText(.upstreamStatus, start, end, record: &record)
        case .authorization:
            guard !isAbsent(start, end) else { return }
            var keyStart = start
            if end - start >= 7 && base[start] | 0x20 == UInt8(ascii: "b")
                && base[start + 1] | 0x20 == UInt8(ascii: "e")
                && base[start + 2] | 0x20 == UInt8(ascii: "a") && base[start + 3] | 0x20 == UInt8(ascii: "r")
                && base[start + 4] | 0x20 == UInt8(ascii: "e") && base[start + 5] | 0x20 == UInt8(ascii: "r")
                && base[start + 6] == UInt8(ascii: " ")
            {
                keyStart += 7
            }
            record.keyFieldPresent = true
            record[.key] = span(keyStart, end)
        case .apiKey:
            guard !isAbsent(start, end) else { return }
            record.keyFieldPresent = true
            record[.key] = span(start, end)
        case .latencySeconds, .latencyMillis:
            guard !isAbsent(start, end), let value = decimal(start, end) else { return }
            if case .latencySeconds = kind {
                record.latencyMillis = value * 1000
            } else {
                record.latencyMillis = value
            }
            record[.latency] = span(start, end)
        case .albProcessingTime:
            if end - start == 2 && base[start] == UInt8(ascii: "-") && base[start + 1] == UInt8(ascii: "1") {
                record.upstreamUnanswered = true
            } else if let value = decimal(start, end) {
                record.latencyMillis = (record.latencyMillis ?? 0) + value * 1000
            }
        case .responseFlags:
            guard !isAbsent(start, end) else { return }
            record[.responseFlags] = span(start, end)
            // Flags that start with U (UH, UF, UO, UT, URX, UC, ...) say the upstream did not answer.
            var index = start
            while index < end {
                if base[index] == UInt8(ascii: "U") && (index == start || base[index - 1] == UInt8(ascii: ",")) {
                    record.upstreamUnanswered = true
                    break
                }
                index += 1
            }
        }
    }

    @inline(__always)
    func setText(_ field: RecordField, _ start: Int, _ end: Int, record: inout RequestRecord) {
        guard !isAbsent(start, end) else { return }
        record[field] = span(start, end)
    }

    /// Splits `METHOD target PROTOCOL`; a request that is not one (TLS bytes, garbage) sets nothing.
    func applyRequest(_ start: Int, _ end: Int, record: inout RequestRecord) {
        guard !isAbsent(start, end), let space = find(UInt8(ascii: " "), from: start, to: end), space > start else {
            return
        }
        record[.method] = span(start, space)
        // The protocol is the text after the last space; a word at a time from the end finds it in one step.
        let targetEnd = ByteScanning.findLast(UInt8(ascii: " "), in: base, from: space + 1, to: end) ?? end
        if targetEnd > space + 1 { applyTarget(space + 1, targetEnd, record: &record) }
    }

    /// A request target, origin form (`/v1/x?key=`) or absolute (`https://host:443/v1/x`).
    func applyTarget(_ start: Int, _ end: Int, record: inout RequestRecord) {
        guard !isAbsent(start, end) else { return }
        record[.url] = span(start, end)
        var pathStart = start
        if base[start] != UInt8(ascii: "/"), let colon = find(UInt8(ascii: ":"), from: start, to: end),
            colon + 2 < end, base[colon + 1] == UInt8(ascii: "/"), base[colon + 2] == UInt8(ascii: "/")
        {
            pathStart = find(UInt8(ascii: "/"), from: colon + 3, to: end) ?? end
        }
        let question = find(UInt8(ascii: "?"), from: pathStart, to: end)
        let pathEnd = question ?? end
        if pathEnd > pathStart { record[.endpoint] = span(pathStart, pathEnd) }
        if let question { applyQuery(question + 1, end, record: &record) }
    }

    /// Finds `key=` among the query parameters; a key from a header (read later) replaces it.
    func applyQuery(_ start: Int, _ end: Int, record: inout RequestRecord) {
        var parameter = start
        while parameter < end {
            let parameterEnd = find(UInt8(ascii: "&"), from: parameter, to: end) ?? end
            if parameterEnd - parameter >= 4 && base[parameter] == UInt8(ascii: "k")
                && base[parameter + 1] == UInt8(ascii: "e") && base[parameter + 2] == UInt8(ascii: "y")
                && base[parameter + 3] == UInt8(ascii: "=")
            {
                if !record[.key].isPresent { record[.key] = span(parameter + 4, parameterEnd) }
                record.keyFieldPresent = true
                return
            }
            parameter = parameterEnd + 1
        }
    }

    @inline(__always)
    func decimalInteger(_ start: Int, _ end: Int) -> Int? {
        guard end > start else { return nil }
        var value = 0
        for index in start..<end {
            let digit = base[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int(digit)
        }
        return value
    }

    /// A non-negative decimal such as `0.001` or `60.000`, without going through a String.
    ///
    /// At most 18 bytes, so the digits fit an `Int64` and need no overflow checks. The digits before and after
    /// the point are read by two plain loops, and the scale is an exact power of ten (every one up to 10^22 is a
    /// `Double`), so the quotient is the correctly rounded value.
    func decimal(_ start: Int, _ end: Int) -> Double? {
        guard end > start, end &- start <= 18 else { return nil }
        var integer: Int64 = 0
        var index = start
        while index < end {
            let digit = base[index] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            integer = integer &* 10 &+ Int64(digit)
            index &+= 1
        }
        guard index < end else { return Double(integer) }
        // Anything but a point here, or a point alone, is not a number.
        guard base[index] == UInt8(ascii: "."), end &- start > 1 else { return nil }
        index &+= 1
        let fractionStart = index
        while index < end {
            let digit = base[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            integer = integer &* 10 &+ Int64(digit)
            index &+= 1
        }
        return Double(integer) / Self.powerOfTen(end &- fractionStart)
    }

    /// 10^`exponent` for 0...17, exactly.
    @inline(__always)
    static func powerOfTen(_ exponent: Int) -> Double {
        switch exponent {
        case 0: return 1
        case 1: return 1e1
        case 2: return 1e2
        case 3: return 1e3
        case 4: return 1e4
        case 5: return 1e5
        case 6: return 1e6
        case 7: return 1e7
        case 8: return 1e8
        case 9: return 1e9
        case 10: return 1e10
        case 11: return 1e11
        case 12: return 1e12
        case 13: return 1e13
        case 14: return 1e14
        case 15: return 1e15
        case 16: return 1e16
        default: return 1e17
        }
    }
}
