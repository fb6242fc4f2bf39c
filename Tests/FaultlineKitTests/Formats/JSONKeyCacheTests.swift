import Testing

@testable import FaultlineKit

@Suite("JSON lines through one parser: the key cache never changes what a line gives")
struct JSONKeyCacheTests {
    /// Parses every line with one parser, as a piece is read, and returns each line's status and message.
    private static func parse(_ lines: [String]) -> [(status: Int?, message: String?, model: String?)] {
        var parser = LineParser(json: [])
        return lines.map { line in
            var bytes = Array(line.utf8)
            var record = RequestRecord()
            let result = bytes.withUnsafeMutableBytes { parser.parse($0, into: &record) }
            guard result == .record else { return (nil, nil, nil) }  // every line has a time: none is skipped
            return bytes.withUnsafeBytes {
                let parsed = ParsedLine(bytes: $0, record: record, number: 1)
                return (record.status, parsed.string(.errorMessage), parsed.string(.model))
            }
        }
    }

    @Test("keys in another order, the same key under two parents, and thousands of unknown keys")
    func sameAnswers() {
        var lines = [
            #"{"ts":"2025-03-10T00:00:00Z","status":429,"model":"a","error":{"message":"slow down","status":"RESOURCE_EXHAUSTED"}}"#,
            #"{"ts":"2025-03-10T00:00:01Z","error":{"status":"x","message":"quota"},"model":"b","status":401}"#,
            // `message` at the top level is a message too, but the error body's wins.
            #"{"ts":"2025-03-10T00:00:02Z","message":"top","status":500,"error":{"message":"inner"}}"#,
        ]
        // Unknown keys, enough to fill every slot of the cache many times over, between known ones.
        for index in 0..<3_000 {
            lines.append(#"{"k\#(index)":1,"ts":"2025-03-10T00:01:00Z","status":200,"model":"m\#(index % 3)"}"#)
        }
        lines.append(#"{"model":"last","status":503,"ts":"2025-03-10T00:02:00Z"}"#)
        let results = Self.parse(lines)
        #expect(results[0].status == 429 && results[0].message == "slow down" && results[0].model == "a")
        #expect(results[1].status == 401 && results[1].message == "quota" && results[1].model == "b")
        #expect(results[2].status == 500 && results[2].message == "inner")
        for index in 0..<3_000 {
            #expect(results[3 + index].status == 200 && results[3 + index].model == "m\(index % 3)")
        }
        #expect(results.last!.status == 503 && results.last!.model == "last")
        // Each line alone, through a fresh parser, gives the same.
        for (line, result) in zip(lines.prefix(3), results) {
            let alone = Self.parse([line])[0]
            #expect(alone.status == result.status && alone.message == result.message && alone.model == result.model)
        }
    }

    @Test("a key of any length, at any distance from the line's end, is found as the alias table finds it")
    func everyLengthAndDistance() {
        // Aliases, their case variants, and near misses one byte shorter or longer, from 1 to 24 bytes.
        let keys = [
            "a", "ts", "msg", "code", "model", "Model", "MODEL", "modelx", "statu", "status", "Status", "statuss",
            "message", "Message", "status_cod", "status_code", "Status_Code", "status_codes", "response_status",
            "response_statu", "errorMessage", "error_message", "x-request-id-1234", "a_key_of_twenty_four_by",
            "\\u0073tatus",
        ]
        var lines: [String] = []
        for key in keys {
            for padding in 0..<20 {
                let spaces = String(repeating: " ", count: padding)
                lines.append(#"{"ts":"2025-03-10T00:00:00Z","\#(key)":"429"\#(spaces)}"#)
                lines.append(#"{"ts":"2025-03-10T00:00:00Z","\#(key)":4\#(spaces)}"#)
                lines.append(#"{"\#(key)":"503","ts":"2025-03-10T00:00:00Z"\#(spaces)}"#)
            }
        }
        // Through one parser twice (the second pass all from the cache), and each line through a fresh one.
        let cached = Self.parse(lines + lines.reversed())
        for (index, line) in lines.enumerated() {
            let alone = Self.parse([line])[0]
            for result in [cached[index], cached[cached.count - 1 - index]] {
                #expect(result.status == alone.status && result.message == alone.message && result.model == alone.model)
            }
        }
        // The reference itself is right where the answer is plain.
        #expect(Self.parse([#"{"ts":"2025-03-10T00:00:00Z","Status":"429" }"#])[0].status == 429)
        #expect(Self.parse([#"{"ts":"2025-03-10T00:00:00Z","statuss":"429","status":4}"#])[0].status == 4)
    }
}
