import Testing

@testable import FaultlineKit

/// The walker as it was before each step carried what it needs of the next: one byte at a time, every test
/// read from the neighbouring steps at each candidate. The fast walk must agree with it on every line.
extension AccessLogWalker {
    mutating func referenceWalk(
        leading: UnsafeBufferPointer<UInt8>, record: inout RequestRecord, cache: inout Timestamp.CLFCache
    ) -> ParseResult {
        guard matches(leading, at: 0) else { return .skipped(.formatMismatch) }
        var cursor = leading.count
        var index = 0
        while index < steps.count {
            let step = steps[index]
            let fieldEnd: Int
            if case .empty = step.kind {
                guard matches(literal(of: step), at: cursor) else { return .skipped(.formatMismatch) }
                fieldEnd = cursor
            } else if step.literalCount == 0 {
                fieldEnd =
                    allowsTrailingFields
                    ? ((cursor..<end).first { base[$0] == UInt8(ascii: " ") } ?? end) : end
            } else {
                guard let found = referenceEnd(of: index, from: cursor) else { return .skipped(.formatMismatch) }
                fieldEnd = found
            }
            apply(step.kind, start: cursor, end: fieldEnd, record: &record, cache: &cache)
            cursor = fieldEnd + step.literalCount
            if step.mayEndAfter && cursor == end { break }
            index += 1
        }
        if cursor != end && !(allowsTrailingFields && base[cursor] == UInt8(ascii: " ")) {
            return .skipped(.formatMismatch)
        }
        if let typedFailure { return .skipped(typedFailure) }
        return .record
    }

    private func referenceEnd(of index: Int, from start: Int) -> Int? {
        let step = steps[index]
        let literal = literal(of: step)
        if index == steps.count - 1 && !allowsTrailingFields {
            let candidate = end - literal.count
            guard candidate >= start, matches(literal, at: candidate) else { return nil }
            return candidate
        }
        var candidate = start
        while candidate + literal.count <= end {
            defer { candidate += 1 }
            guard matches(literal, at: candidate) else { continue }
            switch step.shape {
            case .plain:
                break
            case .quoted:
                var backslashes = 0
                while candidate - backslashes > start && base[candidate - backslashes - 1] == UInt8(ascii: "\\") {
                    backslashes += 1
                }
                if backslashes % 2 == 1 { continue }
            case .list:
                if literal[0] == UInt8(ascii: " ") && candidate > start && base[candidate - 1] == UInt8(ascii: ",") {
                    continue
                }
            }
            if referenceNextLooksRight(after: index, at: candidate + literal.count) { return candidate }
        }
        return nil
    }

    private func referenceNextLooksRight(after index: Int, at position: Int) -> Bool {
        let step = steps[index]
        if step.mayEndAfter && position == end { return true }
        guard index + 1 < steps.count else { return position == end || base[position] == UInt8(ascii: " ") }
        let next = steps[index + 1]
        guard position < end else { return next.literalCount == 0 && index + 2 == steps.count }
        if case .empty = next.kind { return base[position] == literals[next.literalStart] }
        return next.lookahead.accepts(base[position])
    }
}

@Suite("Access logs: the fast walk agrees with a byte-at-a-time reference")
struct AccessLogWalkerReferenceTests {
    /// Formats with every kind of step: quoted fields, comma lists, an optional end, trailing fields, and a
    /// multi-byte literal whose first byte also appears inside fields.
    static let formats: [AccessLogFormat] = {
        var formats = AccessLogFormat.presets
        let layouts = [
            #"$remote_addr [$time_local] "$request" $status $upstream_status "$http_user_agent" $request_time"#,
            #"$time_iso8601 ::$status:: "$request_uri" $upstream_response_time, $request_id"#,
            #"$status|"$http_authorization"|$msec|"$http_x_api_key"|$host"#,
            #"[$time_local] $request_method $uri?$args "$http_x_request_id" $status $upstream_status"#,
        ]
        for layout in layouts {
            if let format = try? AccessLogFormat(nginxLogFormat: layout) { formats.append(format) }
        }
        return formats
    }()

    /// Bytes that end, escape or split fields, next to ordinary ones and bytes that are not UTF-8.
    static let alphabet: [UInt8] = Array(#" ""\\,[]-:|.0123456789abcdefABCDEF/?&=xyz"#.utf8) + [0x80, 0xC3, 0xFF, 0x09]

    /// Values that read, for the fields a line cannot go without; the others take any bytes.
    static let typical: [AccessLogFieldKind: [String]] = [
        .status: ["200", "502", "429"],
        .timeLocal: ["10/Mar/2025:00:00:00 +0000", "07/Feb/2020:11:48:51 -0700"],
        .timeISO8601: ["2025-03-10T00:00:00.123Z", "2025-03-10T00:00:00+01:00"],
        .timeMsec: ["1741564800.123", "1741564800"],
        .latencySeconds: ["0.123", "-", "1.5"],
        .latencyMillis: ["12", "-"],
        .upstreamStatus: ["502, 200", "-", "200"],
        .request: ["GET /v1/x?key=a HTTP/1.1", "POST https://h:443/v1/y HTTP/2.0", "-"],
    ]

    /// A line in the format's shape (values drawn from `alphabet`, literals kept), sometimes broken afterwards.
    static func line(for format: AccessLogFormat, random: inout SeededRandom) -> [UInt8] {
        var bytes = format.leading
        // Half the lines are mostly well formed, so the walk gets past their typed fields.
        let noise = random.below(2) == 0 ? 64 : 4
        for step in format.steps {
            if step.kind != .empty {
                if random.below(noise) != 0 {
                    if let typical = typical[step.kind] {
                        bytes += typical[random.below(typical.count)].utf8
                    } else {
                        // Digits pass every field's first-byte test.
                        for _ in 0...random.below(6) { bytes.append(UInt8(ascii: "0") + UInt8(random.below(10))) }
                    }
                } else {
                    let length = random.below(4) == 0 ? random.below(40) : random.below(6)
                    for _ in 0..<length { bytes.append(alphabet[random.below(alphabet.count)]) }
                }
            }
            bytes += format.literals[step.literalStart..<step.literalStart + step.literalCount]
        }
        switch random.below(6) {
        case 0 where !bytes.isEmpty: bytes.removeLast(random.below(bytes.count) + 1)
        case 1 where !bytes.isEmpty: bytes[random.below(bytes.count)] = alphabet[random.below(alphabet.count)]
        case 2: bytes += Array(" trailing \"x\" 12".utf8)
        default: break
        }
        return bytes
    }

    /// Everything a walk leaves in the record, as text to compare.
    static func describe(_ result: ParseResult, _ record: RequestRecord) -> String {
        var text = "\(result) status=\(String(describing: record.status)) time=\(String(describing: record.time))"
        text += " utc=\(record.timeAssumedUTC) latency=\(String(describing: record.latencyMillis))"
        text += " key=\(record.keyFieldPresent) unanswered=\(record.upstreamUnanswered)"
        for field in RecordField.allCases where record[field].isPresent {
            text += " \(field)=\(record[field].start)+\(record[field].count)"
        }
        return text
    }

    static func walks(_ format: AccessLogFormat, _ line: [UInt8]) -> (fast: String, reference: String) {
        var bytes = line
        return bytes.withUnsafeMutableBufferPointer { buffer in
            // An empty line has no base address; the format's parse turns it away before the walk.
            guard let base = buffer.baseAddress, !buffer.isEmpty else { return ("", "") }
            return format.steps.withUnsafeBufferPointer { steps in
                format.literals.withUnsafeBufferPointer { literals in
                    format.leading.withUnsafeBufferPointer { leading in
                        format.follows.withUnsafeBufferPointer { follows in
                            func run(reference: Bool) -> String {
                                var walker = AccessLogWalker(
                                    base: base, end: buffer.count, steps: steps, follows: follows, literals: literals,
                                    allowsTrailingFields: format.allowsTrailingFields)
                                var record = RequestRecord()
                                var cache = Timestamp.CLFCache()
                                let result =
                                    reference
                                    ? walker.referenceWalk(leading: leading, record: &record, cache: &cache)
                                    : walker.walk(leading: leading, record: &record, cache: &cache)
                                return describe(result, record)
                            }
                            return (run(reference: false), run(reference: true))
                        }
                    }
                }
            }
        }
    }

    @Test("generated and broken lines of every preset and of custom layouts", arguments: 0..<9)
    func generatedLines(formatIndex: Int) {
        guard formatIndex < Self.formats.count else { return }
        let format = Self.formats[formatIndex]
        var random = SeededRandom(state: UInt64(formatIndex) &* 7919 &+ 1)
        var matched = 0
        for _ in 0..<20_000 {
            let line = Self.line(for: format, random: &random)
            let (fast, reference) = Self.walks(format, line)
            if fast.hasPrefix("record") { matched += 1 }
            if fast != reference {
                Issue.record("\(format.name) \(String(decoding: line, as: UTF8.self)): \(fast) != \(reference)")
                return
            }
        }
        // The generator must reach both outcomes, or the comparison proves little.
        #expect(matched > 100)
        #expect(matched < 20_000)
    }

    @Test("real lines of the samples, cut at every length")
    func truncatedSampleLines() {
        let lines = [
            #"10.45.1.107 - - [10/Mar/2025:00:00:00 +0000] "POST /v1/chat/completions HTTP/1.1" 200 2644 "-" "#
                + #""openai-node/4.67.3" 3466 2.667 [llm-gateway-openai-443] [] 10.0.6.92:443, 10.0.6.93:443 "#
                + "2644, 0 2.665, 0.001 502, 200 a8d4733e91affb063c298eb4823bb2fd",
            #"203.0.113.9 - - [10/Mar/2025:12:00:00 +0000] "GET /a\"b HTTP/1.1" 400 117 "-" "ua \\\" x""#,
        ]
        for format in Self.formats {
            for line in lines {
                let bytes = Array(line.utf8)
                for length in 1...bytes.count {
                    let (fast, reference) = Self.walks(format, Array(bytes[..<length]))
                    #expect(fast == reference, "\(format.name) at \(length)")
                }
            }
        }
    }
}

@Suite("Access logs: decimals read without overflow checks agree with a plain reading")
struct AccessLogDecimalTests {
    /// The reading as it was: checked arithmetic and the scale grown at each digit after the point.
    static func reference(_ bytes: [UInt8]) -> Double? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var integer: Int64 = 0
        var scale: Double = 1
        var digits = 0
        var seenPoint = false
        for byte in bytes {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                integer = integer * 10 + Int64(byte - UInt8(ascii: "0"))
                digits += 1
                if seenPoint { scale *= 10 }
            } else if byte == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else {
                return nil
            }
        }
        return digits > 0 ? Double(integer) / scale : nil
    }

    static func decimal(_ bytes: [UInt8]) -> Double? {
        // Padding around the value, so a read outside it would show as a wrong answer.
        var line = Array("9.9".utf8) + bytes + Array("9.9".utf8)
        return line.withUnsafeMutableBufferPointer { buffer in
            let walker = AccessLogWalker(
                base: buffer.baseAddress!, end: buffer.count, steps: UnsafeBufferPointer(start: nil, count: 0),
                follows: UnsafeBufferPointer(start: nil, count: 0), literals: UnsafeBufferPointer(start: nil, count: 0),
                allowsTrailingFields: false)
            return walker.decimal(3, 3 + bytes.count)
        }
    }

    @Test("every length up to 20 over digits, points and other bytes")
    func generated() {
        let alphabet = Array("0123456789..-e /".utf8) + [0x80, 0xFF]
        var random = SeededRandom(state: 99)
        for _ in 0..<50_000 {
            let length = random.below(21)
            let bytes = (0..<length).map { _ in
                random.below(4) == 0
                    ? alphabet[random.below(alphabet.count)] : UInt8(ascii: "0") + UInt8(random.below(10))
            }
            let expected = Self.reference(bytes)
            let found = Self.decimal(bytes)
            #expect(found?.bitPattern == expected?.bitPattern, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    @Test(arguments: [
        "", ".", "0", "0.", ".5", "0.001", "60.000", "999999999999999999", "99999999999999999.9",
        "0.000000000000000001",
        "1..2", "1.2.3", "-1", "1e3", "12345678901234567890",
    ])
    func edges(text: String) {
        let bytes = Array(text.utf8)
        #expect(Self.decimal(bytes)?.bitPattern == Self.reference(bytes)?.bitPattern)
    }
}
