import Foundation
import Testing

/// Bad inputs through the real binary: exit status per REPORT.md and a JSON report that parses.
@Suite("faultline analyze on bad input", .timeLimit(.minutes(1)))
struct BadInputCLITests {
    static func jsonLines(_ count: Int) -> [UInt8] {
        Array(
            (0..<count).map {
                #"{"ts":\#(1_741_608_000 + $0),"status":\#($0 % 5 == 0 ? 429 : 200),"model":"m"}"# + "\n"
            }
            .joined().utf8)
    }

    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c", "-n"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let writer = Thread {
            input.fileHandleForWriting.write(Data(bytes))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }

    static func input(_ report: [String: Any], _ name: String) -> [String: Any]? {
        (report["inputs"] as? [[String: Any]])?.first { ($0["name"] as? String)?.hasSuffix(name) == true }
    }

    @Test("a truncated gzip exits 1 with a report covering what was read")
    func truncatedGzip() throws {
        let scratch = try Scratch()
        let compressed = try Self.gzip(Self.jsonLines(3000))
        let path = try scratch.write("cut.jsonl.gz", Array(compressed[..<(compressed.count * 2 / 3)]))
        let (result, report) = try Faultline.report([path])
        #expect(result.status == 1, "\(result.stderr)")
        let stats = try #require(Self.input(report, "cut.jsonl.gz"))
        #expect(stats["complete"] as? Bool == false)
        #expect(stats["error"] is String)
        let records = try #require(stats["records"] as? Int)
        #expect(records > 0)
        #expect(stats["lines"] as? Int == records + (stats["skipped"] as? Int ?? -1))
    }

    @Test("a missing path exits 1; the other input is still reported")
    func missingPath() throws {
        let scratch = try Scratch()
        let good = try scratch.write("good.jsonl", Self.jsonLines(10))
        let (result, report) = try Faultline.report([scratch.file("absent.jsonl"), good])
        #expect(result.status == 1)
        #expect((report["totals"] as? [String: Any])?["requests"] as? Int == 10)
        #expect(Self.input(report, "absent.jsonl")?["complete"] as? Bool == false)
    }

    @Test("junk, blank lines, arrays, invalid UTF-8 and a 2 MB line exit 0 with every skip counted")
    func junkExitsZero() throws {
        let scratch = try Scratch()
        var bytes: [UInt8] = Array("[\n".utf8) + Self.jsonLines(20)
        bytes += [0x00, 0xff, 0x0a, 0x0a, 0x0d, 0x0a]
        bytes += Array(#"{"ts":1741608100,"status":401,"model":"bad-"#.utf8) + [0xff, 0xc3, 0x28]
        bytes += Array(#"","error":{"message":"x"#.utf8) + [0xed, 0xa0, 0x80] + Array("\"}}\n".utf8)
        bytes += Array(#"{"ts":1741608000,"status":99999}"#.utf8) + [0x0a]
        bytes += Array(#"{"ts":"yesterday","status":200}"#.utf8) + [0x0a]
        bytes += Array(#"{"status":200}"#.utf8) + [0x0a]
        bytes +=
            Array(#"{"ts":1741608000,"pad":""#.utf8) + Array(repeating: 0x78, count: 2 << 20) + Array("\"}\n]\n".utf8)
        let path = try scratch.write("junk.jsonl", bytes)
        let (result, report) = try Faultline.report([path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(String(validating: result.stdoutBytes, as: UTF8.self) != nil)
        let stats = try #require(Self.input(report, "junk.jsonl"))
        #expect(stats["records"] as? Int == 21)
        let reasons = try #require(stats["skipped_by_reason"] as? [String: Int])
        #expect(
            reasons == [
                "not_an_object": 2, "binary": 1, "blank_line": 2, "bad_status": 1, "bad_time": 1, "no_time": 1,
                "line_too_long": 1,
            ])
        #expect(stats["lines"] as? Int == 30)
        let examples = try #require(stats["skipped_examples"] as? [[String: Any]])
        #expect(examples.first?["line"] as? Int == 1)
        #expect(examples.first?["reason"] as? String == "not_an_object")
    }

    @Test("an empty file, a file of newlines and a directory of them exit 0")
    func emptyInputs() throws {
        let scratch = try Scratch()
        try scratch.write("empty.jsonl", [])
        try scratch.write("newlines.log", Array(repeating: 0x0a, count: 9))
        let (result, report) = try Faultline.report([scratch.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.input(report, "empty.jsonl")?["lines"] as? Int == 0)
        #expect(Self.input(report, "newlines.log")?["skipped_by_reason"] as? [String: Int] == ["blank_line": 9])
    }

    @Test("events on invalid UTF-8 write valid UTF-8 JSON lines")
    func eventsInvalidUTF8() throws {
        let scratch = try Scratch()
        var bytes = Array(#"{"ts":1741608000,"status":401,"model":"m"#.utf8) + [0xff, 0xfe]
        bytes += Array(#"","error":{"code":"invalid_api_key","message":"no "#.utf8) + [0xc3] + Array("\"}}\n".utf8)
        let path = try scratch.write("bad.jsonl", bytes)
        let result = try Faultline.run(["events", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(String(validating: result.stdoutBytes, as: UTF8.self) != nil)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["status"] as? Int == 401)
        }
    }
}
