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
}
