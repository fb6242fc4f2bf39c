import Foundation
import Testing

@Suite("faultline analyze --summary-out and faultline merge, end to end")
struct MergeTests {
    /// Samples/gateway.jsonl in three contiguous files.
    static func thirds(_ scratch: Scratch) throws -> [String] {
        let bytes = try readBytes(repositoryRoot + "/Samples/gateway.jsonl")
        let lines = bytes.split(separator: 0x0a, omittingEmptySubsequences: true)
        let size = (lines.count + 2) / 3
        return try (0..<3).map { part in
            let chunk = lines[min(part * size, lines.count)..<min((part + 1) * size, lines.count)]
            return try scratch.write("part-\(part).jsonl", Array(chunk.map { Array($0) + [0x0a] }.joined()))
        }
    }

    static func withoutInputs(_ report: [String: Any]) -> NSDictionary {
        var copy = report
        copy["inputs"] = nil
        return NSDictionary(dictionary: copy)
    }

    @Test("merging the summaries of three shards gives the report of one run over the whole file")
    func mergeEqualsWhole() throws {
        let scratch = try Scratch()
        let parts = try Self.thirds(scratch)
        var summaries: [String] = []
        for (index, part) in parts.enumerated() {
            let summary = scratch.file("part-\(index).summary.json")
            let result = try Faultline.run(["analyze", part, "--summary-out", summary, "--report", "json", "--quiet"])
            #expect(result.status == 0, "\(result.stderr)")
            summaries.append(summary)
        }
        let merged = try Faultline.run(["merge"] + summaries + ["--report", "json"])
        #expect(merged.status == 0, "\(merged.stderr)")
        let mergedReport = try JSONSerialization.jsonObject(with: Data(merged.stdoutBytes)) as! [String: Any]
        let (whole, wholeReport) = try Faultline.report(["Samples/gateway.jsonl"])
        #expect(whole.status == 0)
        var left = mergedReport
        var right = wholeReport
        // Retry chains cut by a shard boundary count once per shard (a summary keeps no request IDs).
        let mergedRetries = left.removeValue(forKey: "retries") as! [String: Int]
        let wholeRetries = right.removeValue(forKey: "retries") as! [String: Int]
        #expect(mergedRetries["request_ids"]! >= wholeRetries["request_ids"]!)
        #expect(mergedRetries["request_ids"]! - wholeRetries["request_ids"]! <= 2 * 256)
        // A summary is redacted as it is written, so the merge's report masks fewer strings itself.
        let leftMasks = left.removeValue(forKey: "redactions") as? Int ?? 0
        let rightMasks = right.removeValue(forKey: "redactions") as? Int ?? 0
        #expect(leftMasks <= rightMasks)
        #expect(Self.withoutInputs(left) == Self.withoutInputs(right))
        #expect((mergedReport["inputs"] as! [Any]).count == 3)

        // Merging in another order, or merging a merged summary, changes nothing.
        let again = try Faultline.run(["merge"] + summaries.reversed() + ["--report", "json"])
        let againReport = try JSONSerialization.jsonObject(with: Data(again.stdoutBytes)) as! [String: Any]
        let pair = scratch.file("pair.summary.json")
        let first = try Faultline.run(["merge", summaries[1], summaries[2], "--summary-out", pair, "--report", "json"])
        #expect(first.status == 0, "\(first.stderr)")
        let nested = try Faultline.run(["merge", summaries[0], pair, "--report", "json"])
        let nestedReport = try JSONSerialization.jsonObject(with: Data(nested.stdoutBytes)) as! [String: Any]
        #expect(Self.withoutInputs(againReport) == Self.withoutInputs(mergedReport))
        #expect(Self.withoutInputs(nestedReport) == Self.withoutInputs(mergedReport))
    }

    @Test("a summary file is the same bytes from one process to the next, and merges back to the same report")
    func summaryIsDeterministic() throws {
        let scratch = try Scratch()
        var files: [[UInt8]] = []
        // Each process hashes with its own seed, so a table written in `Dictionary` order differs between runs;
        // the access log adds per-org success windows to the groups' windows and the timeline.
        for run in 0..<3 {
            let summary = scratch.file("run-\(run).summary.json")
            let result = try Faultline.run([
                "analyze", "Samples/gateway.jsonl", "Samples/ingress-access.log.gz", "--summary-out", summary,
                "--quiet",
                "--jobs", "\(run + 1)",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            files.append(try readBytes(summary))
        }
        #expect(files[0].count > 100_000)
        #expect(files[1] == files[0])
        #expect(files[2] == files[0])
        let again = scratch.file("again.summary.json")
        let merged = try Faultline.run(["merge", scratch.file("run-0.summary.json"), "--summary-out", again])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(try readBytes(again) == files[0])
        // Read back entry by entry, as written; a file reformatted by another tool reads the same.
        let object = try JSONSerialization.jsonObject(with: Data(files[0]))
        let pretty = try scratch.write(
            "pretty.summary.json", Array(try JSONSerialization.data(withJSONObject: object, options: .prettyPrinted)))
        let fromPretty = try Faultline.run(["merge", pretty, "--report", "json"])
        let fromWritten = try Faultline.run(["merge", scratch.file("run-0.summary.json"), "--report", "json"])
        #expect(fromPretty.status == 0 && fromWritten.status == 0, "\(fromPretty.stderr)")
        #expect(fromPretty.stdoutBytes == fromWritten.stdoutBytes)
    }

    @Test("a summary file holds no secret")
    func summaryHoldsNoSecret() throws {
        let scratch = try Scratch()
        let summary = scratch.file("whole.summary.json")
        let result = try Faultline.run(["analyze", "Samples/gateway.jsonl", "--summary-out", summary, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let text = String(decoding: try readBytes(summary), as: UTF8.self)
        #expect(text.contains("faultline.summary"))
        // The sample is full of such keys, so their absence here is the redaction at work.
        let source = String(decoding: try readBytes(repositoryRoot + "/Samples/gateway.jsonl"), as: UTF8.self)
        for secret in ["sk-proj-FAKE", "sk-ant-api03-FAKE"] {
            #expect(source.contains(secret))
            #expect(!text.contains(secret), "summary holds \(secret)")
        }
        // Provider messages say "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)": the words may stay,
        // a token after them may not.
        #expect(source.contains("Bearer sk-"))
        for match in text.split(separator: "Bearer ", omittingEmptySubsequences: false).dropFirst() {
            #expect(
                match.hasPrefix("auth") || match.hasPrefix("[redacted]"), "summary holds Bearer \(match.prefix(12))")
        }
    }

    @Test("merging a file that is not a summary fails with a clear error", arguments: ["report", "log", "missing"])
    func notASummary(_ kind: String) throws {
        let scratch = try Scratch()
        let path: String
        switch kind {
        case "report":
            path = scratch.file("report.json")
            let result = try Faultline.run(["analyze", "Samples/gateway.jsonl", "--report", "json", "-o", path])
            #expect(result.status == 0)
        case "log":
            path = repositoryRoot + "/Samples/gateway.jsonl"
        default:
            path = scratch.file("no-such.summary.json")
        }
        let result = try Faultline.run(["merge", path, "--report", "json"])
        #expect(result.status == 1 || result.status == 2, "status \(result.status)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(path) || result.stderr.contains((path as NSString).lastPathComponent))
        if kind != "missing" { #expect(result.stderr.contains("summary"), "\(result.stderr)") }
        #expect(!result.stderr.contains("Fatal error"))
    }
}
