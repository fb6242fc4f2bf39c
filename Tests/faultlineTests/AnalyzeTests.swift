import Foundation
import Testing

@Suite("faultline analyze, end to end on Samples/")
struct AnalyzeTests {
    struct Case: Sendable, CustomStringConvertible {
        var sample: String
        var truth: String
        var description: String { sample }
    }

    static let cases = [
        Case(sample: "Samples/gateway.jsonl", truth: "Samples/gateway.truth.json"),
        Case(sample: "Samples/gateway.jsonl.gz", truth: "Samples/gateway.truth.json"),
        Case(sample: "Samples/ingress-access.log.gz", truth: "Samples/ingress-access.truth.json"),
    ]

    @Test("totals and incidents match the generator's ground truth", arguments: cases)
    func matchesTruth(_ sample: Case) throws {
        let (result, report) = try Faultline.report([sample.sample])
        #expect(result.status == 0, "\(result.stderr)")
        let truth =
            try JSONSerialization.jsonObject(with: Data(readBytes(repositoryRoot + "/" + sample.truth)))
            as! [String: Any]
        let truthTotals = truth["totals"] as! [String: Any]
        let totals = report["totals"] as! [String: Any]
        #expect(totals["requests"] as? Int == truthTotals["requests"] as? Int)
        let byCategory = totals["by_category"] as! [String: Int]
        for (category, count) in truthTotals["by_category"] as! [String: Int] {
            #expect(byCategory[category] == count, "category \(category)")
        }
        #expect(report["by_status"] as? [String: Int] == truthTotals["by_status"] as? [String: Int])
        let window = Int64(report["window_seconds"] as! Int) * 1000
        let incidents = report["incidents"] as! [[String: Any]]
        let expected = truth["incidents"] as! [[String: Any]]
        #expect(incidents.count == expected.count, "found \(incidents.map { "\($0["cause"]!)" })")
        for want in expected {
            let scope = want["scope"] as! [String: String]
            let match = incidents.first { found in
                guard found["category"] as? String == want["category"] as? String,
                    found["cause"] as? String == want["cause"] as? String
                else { return false }
                let foundScope = found["scope"] as! [String: String]
                if scope.isEmpty { return foundScope["kind"] == "global" }
                let kind = scope.keys.first!
                return foundScope["kind"] == (kind == "key_id" ? "key" : kind) && foundScope["value"] == scope[kind]
            }
            let found = try #require(match, "no incident for \(want)")
            let start = try #require(millis(found["start"] as! String))
            let end = try #require(millis(found["end"] as! String))
            #expect(abs(start - millis(want["start"] as! String)!) <= window, "start of \(want)")
            #expect(abs(end - millis(want["end"] as! String)!) <= window, "end of \(want)")
        }
    }

    @Test("standard input gives the same report as the file")
    func standardInput() throws {
        let bytes = try readBytes(repositoryRoot + "/Samples/gateway.jsonl.gz")
        let (fromStdin, stdinReport) = try Faultline.report(["-"], input: bytes)
        let (_, fileReport) = try Faultline.report(["Samples/gateway.jsonl.gz"])
        #expect(fromStdin.status == 0)
        #expect(
            NSDictionary(dictionary: stdinReport["totals"] as! [String: Any])
                == NSDictionary(dictionary: fileReport["totals"] as! [String: Any]))
        #expect((stdinReport["incidents"] as! [Any]).count == (fileReport["incidents"] as! [Any]).count)
    }

    @Test("a multi-member gzip is read whole")
    func multiMember() throws {
        let (result, report) = try Faultline.report(["Samples/multi-member.jsonl.gz"])
        #expect(result.status == 0)
        #expect((report["totals"] as! [String: Any])["requests"] as? Int == 3000)
    }

    @Test("the same input and options give byte-identical reports, whatever the number of jobs")
    func deterministic() throws {
        let inputs = ["Samples/gateway.jsonl.gz", "Samples/ingress-access.log.gz", "Samples/multi-member.jsonl.gz"]
        let one = try Faultline.run(["analyze"] + inputs + ["--report", "json", "--jobs", "1"])
        let two = try Faultline.run(["analyze"] + inputs + ["--report", "json", "--jobs", "2"])
        let again = try Faultline.run(["analyze"] + inputs + ["--report", "json", "--jobs", "3"])
        #expect(one.stdout == two.stdout)
        #expect(one.stdout == again.stdout)
        let text1 = try Faultline.run(["analyze"] + inputs)
        let text2 = try Faultline.run(["analyze"] + inputs + ["--jobs", "2"])
        #expect(text1.stdout == text2.stdout)
    }

    @Test("a truncated gzip: the report covers what was read, names the input and offset, exit 1")
    func truncatedInput() throws {
        let scratch = try Scratch()
        let whole = try readBytes(repositoryRoot + "/Samples/gateway.jsonl.gz")
        let cut = try scratch.write("cut.jsonl.gz", Array(whole[0..<whole.count / 2]))
        let out = scratch.file("report.json")
        let result = try Faultline.run(["analyze", cut, "Samples/ingress-access.log.gz", "--report", "json", "-o", out])
        #expect(result.status == 1)
        #expect(result.stderr.contains(cut))
        #expect(result.stderr.contains("at byte \(whole.count / 2)"))
        let report = try JSONSerialization.jsonObject(with: Data(readBytes(out))) as! [String: Any]
        let inputs = report["inputs"] as! [[String: Any]]
        let first = inputs.first { $0["name"] as? String == cut }!
        #expect(first["complete"] as? Bool == false)
        #expect(first["error_code"] as? String == "truncated_gzip")
        #expect((first["records"] as! Int) > 2000)
        let second = inputs.first { $0["name"] as? String == "Samples/ingress-access.log.gz" }!
        #expect(second["records"] as? Int == 6000)
    }

    @Test("a missing path is named, the other inputs are still analysed, exit 1")
    func missingPath() throws {
        let (result, report) = try Faultline.report(["Samples/nope.jsonl", "Samples/gateway.jsonl.gz"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("Samples/nope.jsonl"))
        #expect((report["totals"] as! [String: Any])["requests"] as? Int == 8000)
        let inputs = report["inputs"] as! [[String: Any]]
        #expect(inputs.contains { $0["name"] as? String == "Samples/nope.jsonl" && $0["complete"] as? Bool == false })
    }

    @Test("a directory input reads every file in it")
    func directory() throws {
        let scratch = try Scratch()
        let bytes = try readBytes(repositoryRoot + "/Samples/gateway.jsonl.gz")
        try scratch.write("a.gz", bytes)
        try scratch.write("b.log", Array(try readBytes(repositoryRoot + "/Samples/gateway.jsonl").prefix(0)))
        let (result, report) = try Faultline.report([scratch.path])
        #expect(result.status == 0)
        #expect((report["inputs"] as! [Any]).count == 2)
        #expect((report["totals"] as! [String: Any])["requests"] as? Int == 8000)
    }

    @Test("--fail-on exits 3 when the category is present and 0 when it is not")
    func failOn() throws {
        #expect(try Faultline.run(["analyze", "Samples/gateway.jsonl.gz", "--fail-on", "billing,auth"]).status == 3)
        #expect(try Faultline.run(["analyze", "Samples/ingress-access.log.gz", "--fail-on", "billing"]).status == 0)
        #expect(try Faultline.run(["analyze", "Samples/gateway.jsonl.gz", "--fail-on", "nonsense"]).status == 2)
    }

    @Test(
        "usage errors exit 2 with a message",
        arguments: [
            ["analyze", "Samples/gateway.jsonl.gz", "--window", "soon"],
            ["analyze", "Samples/gateway.jsonl.gz", "--report", "pdf"],
            ["analyze", "Samples/gateway.jsonl.gz", "--format", "xml"],
            ["analyze", "Samples/gateway.jsonl.gz", "--field", "nofield=a.b"],
            ["analyze", "Samples/gateway.jsonl.gz", "--tz", "Mars/Olympus"],
            ["analyze", "Samples/gateway.jsonl.gz", "--since", "yesterday"],
        ])
    func usageErrors(arguments: [String]) throws {
        let result = try Faultline.run(arguments)
        #expect(result.status == 2)
        #expect(!result.stderr.isEmpty)
    }

    @Test("--since and --until keep only the records in range and count the rest")
    func timeRange() throws {
        let (_, report) = try Faultline.report([
            "Samples/gateway.jsonl.gz", "--since", "2025-03-10T02:00:00Z", "--until", "2025-03-10T03:00:00Z",
        ])
        let requests = (report["totals"] as! [String: Any])["requests"] as! Int
        let input = (report["inputs"] as! [[String: Any]])[0]
        let skipped = input["skipped_by_reason"] as! [String: Int]
        #expect(requests > 1000 && requests < 2000)
        #expect(requests + skipped["outside_range"]! == 8000)
        let range = report["range"] as! [String: String]
        #expect(range["first"]! >= "2025-03-10T02:00:00")
        #expect(range["last"]! < "2025-03-10T03:00:00")
    }
}
