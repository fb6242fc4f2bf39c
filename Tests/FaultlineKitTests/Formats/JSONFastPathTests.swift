import Testing

@testable import FaultlineKit

@Suite("JSON key loop shortcuts: numbers, `\":` and `,\"` give what the general path gives")
struct JSONFastPathTests {
    /// Parses one line through a fresh parser; the latency's raw bytes, the status, and the result.
    private static func parse(_ line: String) -> (result: ParseResult, status: Int?, latency: String?) {
        var parser = JSONLineParser()
        var bytes = Array(line.utf8)
        var record = RequestRecord()
        let result = bytes.withUnsafeMutableBytes { parser.parse($0, into: &record) }
        return bytes.withUnsafeBytes {
            let parsed = ParsedLine(bytes: $0, record: record, number: 1)
            return (result, record.status, parsed.string(.latency))
        }
    }

    /// The reference end of a scalar: every byte up to the first delimiter.
    private static func scalar(_ text: String) -> String {
        String(text.prefix { !",}] \t\n\r".contains($0) })
    }

    @Test(
        "numbers with signs, exponents, leading zeros, overflow and junk end where a scalar ends",
        arguments: [
            "0", "7", "429", "007", "2322", "12.5", "1e3", "1E+3", "2.5e-2", "99999999999999999999999999", "12abc",
            "12-3", "-5", "-0.5", "5]", "5 ", "5\t", "429.0", "1x", "1.2.3",
        ])
    func numbers(text: String) {
        let line = #"{"ts":"2025-03-10T00:00:00Z","latency_ms":\#(text),"status":200}"#
        let parsed = Self.parse(line)
        let expected = Self.scalar(text)
        let rest = text.dropFirst(expected.count).drop { " \t".contains($0) }
        if rest.isEmpty {
            #expect(parsed.result == .record)
            #expect(parsed.latency == expected)
        } else {
            #expect(parsed.result != .record)
        }
        // The same number as the status: kept only when it reads as one.
        let status = Self.parse(#"{"ts":"2025-03-10T00:00:00Z","status":\#(text)}"#)
        let value = expected.utf8.withContiguousStorageIfAvailable { ValueParsing.status(UnsafeRawBufferPointer($0)) }
        if rest.isEmpty, let value = value ?? nil {
            #expect(status.result == .record && status.status == value)
        } else {
            #expect(status.result != .record)
        }
    }

    @Test("whitespace around every token parses as the compact line does")
    func whitespace() {
        let compact = #"{"ts":"2025-03-10T00:00:00Z","status":429,"latency_ms":12,"model":"m"}"#
        let spaced = [
            #"{ "ts" : "2025-03-10T00:00:00Z" , "status" : 429 , "latency_ms" : 12 , "model" : "m" }"#,
            "{\t\"ts\"\t:\"2025-03-10T00:00:00Z\",\n\"status\":\r429,\"latency_ms\" :12\t,\"model\":\"m\" }",
            #"{"ts":"2025-03-10T00:00:00Z",  "status":429,"latency_ms":12 ,"model":"m"}"#,
        ]
        let reference = Self.parse(compact)
        #expect(reference.result == .record && reference.status == 429 && reference.latency == "12")
        for line in spaced {
            let parsed = Self.parse(line)
            #expect(parsed.result == reference.result && parsed.status == 429 && parsed.latency == "12")
        }
    }

    @Test("truncated and broken lines are malformed, never read past their end")
    func truncated() {
        let line = #"{"ts":"2025-03-10T00:00:00Z","status":429,"latency_ms":12}"#
        let bytes = Array(line.utf8)
        for count in 1..<bytes.count {
            let prefix = String(decoding: bytes[..<count], as: UTF8.self)
            #expect(Self.parse(prefix).result != .record)
        }
        for broken in [
            #"{"ts":"2025-03-10T00:00:00Z","status":429,}"#, #"{"ts":"2025-03-10T00:00:00Z","status":429,"}"#,
            #"{"ts":"2025-03-10T00:00:00Z","status"429}"#, #"{"ts":"2025-03-10T00:00:00Z","status":429"x":1}"#,
            #"{"ts":"2025-03-10T00:00:00Z","status":,"x":1}"#,
        ] {
            #expect(Self.parse(broken).result != .record)
        }
    }

    /// The result, key and error message of one line through a fresh parser.
    private static func fields(_ line: String) -> (result: ParseResult, key: String?, message: String?) {
        var parser = JSONLineParser()
        var bytes = Array(line.utf8)
        var record = RequestRecord()
        let result = bytes.withUnsafeMutableBytes { parser.parse($0, into: &record) }
        return bytes.withUnsafeBytes {
            let parsed = ParsedLine(bytes: $0, record: record, number: 1)
            return (result, parsed.string(.key), parsed.string(.errorMessage))
        }
    }

    @Test(
        "an object the aliases lead into is read in place: empty, spaced, nested, truncated or not an object",
        arguments: [
            (#""headers":{"authorization":"Bearer sk-1"}"#, ParseResult.record, "sk-1", nil),
            (#""headers":{}"#, .record, nil, nil),
            (#""headers" : { "authorization" : "Bearer sk-2" , "x" : [1, {"a": "}"}] }"#, .record, "sk-2", nil),
            (#""headers":{"x-api-key":"k-3","authorization":"Bearer sk-3"}"#, .record, "sk-3", nil),
            (#""headers":"{\"authorization\":\"Bearer sk-4\"}""#, .record, "sk-4", nil),
            (#""headers":[{"authorization":"Bearer sk-5"}]"#, .record, "sk-5", nil),
            (#""headers":{"authorization":"Bearer sk-6""#, .skipped(.malformedJSON), nil, nil),
            (#""headers":{"authorization":"Bearer sk-7",}"#, .skipped(.malformedJSON), nil, nil),
            (#""error":{"message":"outer","error":{"message":"inner"}}"#, .record, nil, "inner"),
            (#""error":{"error":{"error":{"message":"deep"}},"message":"outer"}"#, .record, nil, "deep"),
            (#""error":{ }"#, .record, nil, nil),
        ] as [(String, ParseResult, String?, String?)])
    func nestedObjects(member: String, result: ParseResult, key: String?, message: String?) {
        for line in [
            #"{"ts":"2025-03-10T00:00:00Z","status":429,\#(member)}"#,
            #"{"ts":"2025-03-10T00:00:00Z",\#(member),"status":429}"#,
        ] {
            let parsed = Self.fields(line)
            #expect(parsed.result == result, "\(line)")
            if result == .record {
                #expect(parsed.key == key && parsed.message == message, "\(line)")
            }
        }
    }
}
