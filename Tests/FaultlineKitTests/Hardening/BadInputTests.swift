import Foundation
import Testing

@testable import FaultlineKit

/// Bad inputs made by the tests, each run through the real `Analyzer`: nothing crashes, hangs or vanishes.
@Suite("Bad input through the analyzer", .timeLimit(.minutes(1)))
struct BadInputTests {
    /// A JSON line with a time a second apart per `index`.
    static func jsonLine(_ index: Int, status: Int = 200, extra: String = "") -> String {
        #"{"ts":\#(1_741_608_000 + index),"status":\#(status),"request_id":"r\#(index)","model":"gpt-4o"\#(extra)}"#
    }

    static func jsonLines(_ count: Int) -> String {
        (0..<count).map { jsonLine($0) + "\n" }.joined()
    }

    /// A combined access-log line.
    static func combinedLine(_ index: Int, status: Int = 200, agent: String = "curl/8.0") -> String {
        let second = String(format: "%02d", index % 60)
        return #"10.0.0.1 - - [10/Mar/2025:12:00:\#(second) +0000] "POST /v1/chat/completions HTTP/1.1" "#
            + #"\#(status) 12 "-" "\#(agent)""#
    }

    /// Analyses files written with `contents`; returns the summary and each input's statistics.
    static func analyze(
        _ files: [(name: String, bytes: [UInt8])], balanced: Bool = true,
        configure: (inout Analyzer.Configuration) -> Void = { _ in }
    ) throws -> (summary: Summary, stats: [InputStats]) {
        let directory = try TemporaryDirectory()
        let sources = try files.map { InputSource(path: try directory.write($0.name, $0.bytes), name: $0.name) }
        var configuration = Analyzer.Configuration()
        configure(&configuration)
        let summary = try Analyzer(configuration).run(sources)
        if balanced { for stats in summary.inputs { expectBalanced(stats) } }
        return (summary, summary.inputs)
    }

    static func analyze(_ name: String, _ bytes: [UInt8]) throws -> InputStats {
        try analyze([(name, bytes)]).stats[0]
    }

    /// Every line is a record or a counted skip; examples are in line order and name real lines.
    static func expectBalanced(_ stats: InputStats, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(
            stats.lines == stats.records + stats.skipped + stats.joinedLines, "\(stats.name)",
            sourceLocation: sourceLocation)
        #expect(stats.skippedByReason.values.reduce(0, +) == stats.skipped, sourceLocation: sourceLocation)
        let numbers = stats.skippedExamples.map(\.line)
        #expect(numbers == numbers.sorted(), sourceLocation: sourceLocation)
        #expect(numbers.allSatisfy { $0 >= 1 && $0 <= stats.lines }, sourceLocation: sourceLocation)
        #expect(
            stats.skippedExamples.count == min(stats.skipped, InputStats.exampleCap), sourceLocation: sourceLocation)
    }

    /// The JSON report of a summary, parsed; it must be valid JSON.
    static func jsonReport(_ summary: Summary) throws -> [String: Any] {
        let text = JSONReport.render(Findings(summary))
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(object as? [String: Any])
    }

    static func examples(_ stats: InputStats) -> [String] {
        stats.skippedExamples.map { "\($0.line):\($0.reason)" }
    }

    @Test("a gzip file cut short keeps what came before and says it is incomplete", arguments: [0.1, 0.5, 0.9, 0.999])
    func truncatedGzip(fraction: Double) throws {
        let compressed = try gzip(Array(Self.jsonLines(5000).utf8))
        let cut = Array(compressed[..<Int(Double(compressed.count) * fraction)])
        let stats = try Self.analyze("cut.jsonl.gz", cut)
        #expect(!stats.complete)
        #expect(stats.error != nil)
        #expect(stats.compression == "gzip")
        #expect(stats.records <= 5000)
        if fraction >= 0.5 { #expect(stats.records > 0) }
        // At most the partial last line is lost to a skip.
        #expect(stats.skipped <= 1, "\(stats.skippedByReason)")
    }

    @Test("a gzip file with corrupt bytes mid-stream stops there and says so", arguments: [0.3, 0.5, 0.8])
    func corruptGzip(fraction: Double) throws {
        var compressed = try gzip(Array(Self.jsonLines(5000).utf8))
        let middle = Int(Double(compressed.count) * fraction)
        for offset in 0..<64 { compressed[middle + offset] ^= 0xA5 }
        let stats = try Self.analyze("corrupt.jsonl.gz", compressed)
        #expect(!stats.complete)
        #expect(stats.error != nil)
        #expect(stats.records < 5000)
    }

    @Test("a 20 MB line is counted line_too_long and the rest is analysed")
    func twentyMegabyteLine() throws {
        let long = Self.jsonLine(1, extra: #","junk":""# + String(repeating: "x", count: 20 << 20) + "\"")
        let text = Self.jsonLine(0) + "\n" + long + "\n" + Self.jsonLine(2) + "\n" + Self.jsonLine(3) + "\n"
        let stats = try Self.analyze("long.jsonl", Array(text.utf8))
        #expect(stats.lines == 4)
        #expect(stats.records == 3)
        #expect(stats.skippedByReason == ["line_too_long": 1])
        #expect(Self.examples(stats) == ["2:line_too_long"])
        #expect(stats.complete)
    }

    @Test("a 20 MB first line before any sniffing still lets the rest be analysed")
    func twentyMegabyteFirstLine() throws {
        let text = String(repeating: "y", count: 20 << 20) + "\n" + Self.jsonLines(3)
        let stats = try Self.analyze("long-first.jsonl", Array(text.utf8))
        #expect(stats.records == 3)
        #expect(Self.examples(stats) == ["1:line_too_long"])
    }

    @Test("NUL bytes and binary junk are skipped as binary")
    func binaryJunk() throws {
        var bytes = Array((Self.jsonLine(0) + "\n").utf8)
        bytes += [0x00, 0x01, 0x02, 0xff, 0xfe, 0x00, 0x0a]  // line 2
        bytes += Array(Self.jsonLine(1).utf8).map { $0 == UInt8(ascii: "g") ? 0 : $0 } + [0x0a]  // line 3: NUL inside
        var generator = SeededRandom(state: 7)
        bytes += (0..<4096).map { _ in UInt8(truncatingIfNeeded: generator.next()) }.map { $0 == 0x0a ? 0 : $0 }
        bytes += [0x00, 0x0a]  // line 4: 4 KB of random bytes ending in NUL
        bytes += Array((Self.jsonLine(2) + "\n").utf8)
        let stats = try Self.analyze("junk.jsonl", bytes)
        #expect(stats.lines == 5)
        #expect(stats.records == 2)
        #expect(stats.skippedByReason == ["binary": 3])
        #expect(Self.examples(stats) == ["2:binary", "3:binary", "4:binary"])
    }

    @Test("binary junk without NUL bytes is still counted, not dropped")
    func junkWithoutNUL() throws {
        let junk: [UInt8] = [0xff, 0xfe, 0x80, 0x81, 0x7b, 0xc3, 0x28, 0x0d]
        let bytes = Array((Self.jsonLine(0) + "\n").utf8) + junk + [0x0a] + Array((Self.jsonLine(1) + "\n").utf8)
        let stats = try Self.analyze("junk2.jsonl", bytes)
        #expect(stats.records == 2)
        #expect(stats.skipped == 1)
        #expect(stats.skippedExamples.first?.line == 2)
    }

    @Test("invalid UTF-8 in JSON strings and access-log fields: records kept, the JSON report is valid")
    func invalidUTF8() throws {
        let bad: [UInt8] = [0xff, 0xc3, 0x28, 0xe2, 0x82, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80]
        var json: [UInt8] = []
        for index in 0..<20 {
            let head = #"{"ts":\#(1_741_608_000 + index),"status":401,"model":"gpt-"#
            let tail = #"","org":"org-"#
            let end = #"","error":{"code":"invalid_api_key","message":"bad "#
            json += Array(head.utf8) + bad + Array(tail.utf8) + bad + Array(end.utf8) + bad
            json += Array(#""},"headers":{"authorization":"Bearer sk-"#.utf8) + bad + Array("\"}}\n".utf8)
        }
        var access: [UInt8] = []
        for index in 0..<20 {
            let line = Self.combinedLine(index, status: 429, agent: "agent-\u{1}")
            access += Array(line.utf8).map { $0 == 1 ? 0xff : $0 } + [0x0a]
        }
        let (summary, stats) = try Self.analyze([("bad-utf8.jsonl", json), ("bad-utf8.log", access)])
        #expect(stats[0].records == 20, "\(stats[0].skippedByReason)")
        #expect(stats[1].records == 20, "\(stats[1].skippedByReason)")
        #expect(stats[1].format != "jsonl")
        let report = try Self.jsonReport(summary)
        let totals = try #require(report["totals"] as? [String: Any])
        #expect(totals["requests"] as? Int == 40)
    }

    @Test("an empty file: no lines, complete, nothing skipped")
    func emptyFile() throws {
        let stats = try Self.analyze("empty.jsonl", [])
        #expect(stats.lines == 0)
        #expect(stats.records == 0)
        #expect(stats.complete)
        #expect(stats.error == nil)
    }

    @Test("a file of only newlines: each counted blank_line", arguments: ["\n", "\r\n", " \t\n"])
    func onlyNewlines(separator: String) throws {
        let stats = try Self.analyze("blank.log", Array(String(repeating: separator, count: 7).utf8))
        #expect(stats.lines == 7)
        #expect(stats.skippedByReason == ["blank_line": 7])
        #expect(stats.skippedExamples.map(\.line) == [1, 2, 3, 4, 5])
    }

    @Test("a missing path is reported with its error; other inputs are analysed")
    func missingPath() throws {
        let directory = try TemporaryDirectory()
        let good = try directory.write("good.jsonl", Self.jsonLines(3))
        let summary = try Analyzer(Analyzer.Configuration()).run([
            InputSource(path: directory.path + "/absent.jsonl"), InputSource(path: good),
        ])
        let missing = summary.inputs[0]
        #expect(!missing.complete)
        #expect(missing.error?.contains("absent.jsonl") == true || missing.error?.isEmpty == false)
        #expect(missing.lines == 0)
        #expect(summary.inputs[1].records == 3)
        _ = try Self.jsonReport(summary)
    }

    @Test("a directory given as a file is an error, not a crash")
    func directoryAsFile() throws {
        let directory = try TemporaryDirectory()
        let summary = try Analyzer(Analyzer.Configuration()).run([InputSource(path: directory.path)])
        #expect(!summary.inputs[0].complete)
        #expect(summary.inputs[0].error != nil)
        Self.expectBalanced(summary.inputs[0])
    }

    @Test("a JSON array file: bracket lines are not_an_object, objects parsed")
    func jsonArrayFile() throws {
        let text = "[\n" + (0..<4).map { Self.jsonLine($0) }.joined(separator: ",\n") + "\n]\n"
        let stats = try Self.analyze("array.json", Array(text.utf8))
        #expect(stats.lines == 6)
        #expect(stats.records == 4)
        #expect(stats.skippedByReason == ["not_an_object": 2])
        #expect(Self.examples(stats) == ["1:not_an_object", "6:not_an_object"])
        #expect(stats.format == "jsonl")
    }

    @Test("pretty-printed JSON objects spread over lines are joined and read as records")
    func prettyPrinted() throws {
        let object = "{\n  \"ts\": 1741608000,\n  \"status\": 500,\n  \"error\": {\n    \"code\": \"x\"\n  }\n}\n"
        let stats = try Self.analyze("pretty.json", Array(String(repeating: object, count: 3).utf8))
        #expect(stats.lines == 21)
        #expect(stats.records == 3)
        #expect(stats.skipped == 0)
        #expect(stats.joinedLines == 18)
    }

    @Test("a pretty-printed JSON array: each element a record, braces inside strings ignored")
    func prettyArray() throws {
        let elements = (0..<4).map { index in
            "  {\n    \"ts\": \(1_741_608_000 + index),\n    \"status\": 429,\n"
                + "    \"note\": \"a } and a { and a \\\" quote\"\n  }"
        }
        let text = "[\n" + elements.joined(separator: ",\n") + "\n]\n"
        let (summary, stats) = try Self.analyze([("array.json", Array(text.utf8))])
        #expect(stats[0].records == 4)
        #expect(stats[0].joinedLines == 16)
        #expect(stats[0].skippedByReason == ["not_an_object": 2])
        #expect(summary.byStatus == [429: 4])
    }

    @Test("a JSON array on one line: every object is read")
    func oneLineArray() throws {
        let text = "[" + (0..<5).map { Self.jsonLine($0, status: 503) }.joined(separator: ", ") + "]\n"
        let (summary, stats) = try Self.analyze([("array.json", Array(text.utf8))], balanced: false)
        #expect(stats[0].lines == 1)
        #expect(stats[0].records == 5)
        #expect(stats[0].skipped == 0)
        #expect(summary.byStatus == [503: 5])
    }

    @Test("an object cut off at the end of the input is one malformed_json skip at its first line")
    func cutOffObject() throws {
        let text = Self.jsonLines(2) + "{\n  \"ts\": 1741608000,\n  \"status\": 5"
        let stats = try Self.analyze("cut.json", Array(text.utf8))
        #expect(stats.records == 2)
        #expect(stats.skippedByReason == ["malformed_json": 1])
        #expect(Self.examples(stats) == ["3:malformed_json"])
        #expect(stats.joinedLines == 2)
    }

    @Test("an object spread over lines past the line bound is skipped as line_too_long, then reading goes on")
    func overlongJoinedObject() throws {
        let body = (0..<50).map { "  \"field\($0)\": \"\(String(repeating: "x", count: 40))\"," }.joined(
            separator: "\n")
        let text = "{\n" + body + "\n  \"status\": 500\n}\n" + Self.jsonLines(3)
        let (_, stats) = try Self.analyze([("big.json", Array(text.utf8))]) { $0.maxLineLength = 1024 }
        #expect(stats[0].records == 3)
        #expect(stats[0].skippedByReason == ["line_too_long": 1])
        #expect(Self.examples(stats[0]) == ["1:line_too_long"])
    }

    @Test("CRLF line ends in JSON lines and access logs")
    func crlf() throws {
        let json = (0..<10).map { Self.jsonLine($0) + "\r\n" }.joined()
        let access = (0..<10).map { Self.combinedLine($0) + "\r\n" }.joined()
        let (_, stats) = try Self.analyze([("crlf.jsonl", Array(json.utf8)), ("crlf.log", Array(access.utf8))])
        #expect(stats[0].records == 10)
        #expect(stats[1].records == 10)
        #expect(stats[1].format == "combined")
    }

    @Test("mixed formats in one file: the majority format is read, the rest counted")
    func mixedInOneFile() throws {
        var lines: [String] = []
        for index in 0..<30 { lines.append(index % 3 == 2 ? Self.combinedLine(index) : Self.jsonLine(index)) }
        let stats = try Self.analyze("mixed.log", Array((lines.joined(separator: "\n") + "\n").utf8))
        #expect(stats.format == "jsonl")
        #expect(stats.records == 20)
        #expect(stats.skippedByReason == ["malformed_json": 10])
        #expect(stats.skippedExamples.first?.line == 3)
    }

    @Test("mixed formats across inputs: each input sniffed on its own")
    func mixedAcrossInputs() throws {
        let access = (0..<5).map { Self.combinedLine($0, status: 503) + "\n" }.joined()
        let (summary, stats) = try Self.analyze([
            ("a.jsonl", Array(Self.jsonLines(5).utf8)), ("b.log", Array(access.utf8)),
        ])
        #expect(stats.map(\.format) == ["jsonl", "combined"])
        #expect(stats.map(\.records) == [5, 5])
        let report = try Self.jsonReport(summary)
        #expect((report["by_status"] as? [String: Int]) == ["200": 5, "503": 5])
    }

    @Test("absurd values: huge status, year 9999, negative latency, deep nesting")
    func absurdValues() throws {
        let lines = [
            #"{"ts":1741608000,"status":99999}"#,
            #"{"ts":"9999-12-31T23:59:59Z","status":200}"#,
            #"{"ts":1741608000,"status":200,"latency_ms":-5}"#,
            #"{"ts":1741608000,"status":200,"x":"# + String(repeating: "[", count: 10_000)
                + String(repeating: "]", count: 10_000) + "}",
            String(repeating: "{", count: 10_000),
            #"{"ts":1741608000,"status":-200}"#,
            #"{"ts":"0000-01-01T00:00:00Z","status":200}"#,
        ]
        let (summary, stats) = try Self.analyze([("absurd.jsonl", Array(lines.joined(separator: "\n").utf8))])
        #expect(stats[0].records == 4)
        #expect(stats[0].skippedByReason == ["bad_status": 1, "malformed_json": 1, "no_status": 1])
        #expect(Self.examples(stats[0]) == ["1:bad_status", "5:malformed_json", "6:no_status"])
        _ = try Self.jsonReport(summary)
    }

    @Test("odd chunk sizes give the same counts", arguments: [1, 7, 4096])
    func chunkSizes(chunkSize: Int) throws {
        var text = "[\n" + Self.jsonLines(20) + "\u{0}\n\n{not json\n" + Self.combinedLine(1) + "\r\n]"
        text += "\n" + Self.jsonLine(99, status: 99999)
        let expected = try Self.analyze("chunks.jsonl", Array(text.utf8))
        let (_, stats) = try Self.analyze([("chunks.jsonl", Array(text.utf8))]) { $0.chunkSize = chunkSize }
        #expect(stats[0].lines == expected.lines)
        #expect(stats[0].records == 20)
        #expect(stats[0].skippedByReason == expected.skippedByReason)
        #expect(stats[0].skippedByReason.count == 5, "\(stats[0].skippedByReason)")
    }
}
