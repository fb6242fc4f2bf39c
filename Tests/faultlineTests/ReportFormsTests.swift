import Foundation
import Testing

@Suite("Report forms, events and secrets, end to end")
struct ReportFormsTests {
    static let forms = ["text", "markdown", "json", "html"]

    /// Golden files made from Samples/: `FAULTLINE_UPDATE_GOLDEN=1 swift test --filter golden` rewrites them.
    @Test("each report form matches its golden file", arguments: forms)
    func golden(form: String) throws {
        let result = try Faultline.run(["analyze", "Samples/gateway.jsonl.gz", "--report", form, "--tz", "+01:00"])
        #expect(result.status == 0)
        let ext = ["text": "txt", "markdown": "md", "json": "json", "html": "html"][form]!
        let path = repositoryRoot + "/Tests/faultlineTests/Golden/gateway.\(ext)"
        if ProcessInfo.processInfo.environment["FAULTLINE_UPDATE_GOLDEN"] == "1" {
            try Data(result.stdoutBytes).write(to: URL(fileURLWithPath: path))
        }
        let golden = try String(contentsOfFile: path, encoding: .utf8)
        #expect(result.stdout == golden, "run with FAULTLINE_UPDATE_GOLDEN=1 after an intended change")
    }

    @Test("the JSON report follows faultline.report/v1")
    func jsonSchema() throws {
        let (_, report) = try Faultline.report(["Samples/gateway.jsonl.gz", "Samples/ingress-access.log.gz"])
        #expect(report["schema"] as? String == "faultline.report/v1")
        let tool = report["tool"] as! [String: Any]
        #expect(tool["name"] as? String == "faultline")
        for key in [
            "window_seconds", "range", "inputs", "totals", "by_status", "by_cause", "timeline", "keys", "orgs",
            "incidents", "retries", "redactions",
        ] {
            #expect(report[key] != nil, "missing \(key)")
        }
        let totals = report["totals"] as! [String: Any]
        let requests = totals["requests"] as! Int
        let byCategory = totals["by_category"] as! [String: Int]
        #expect(Set(byCategory.keys) == ["success", "auth", "rate_limit", "billing", "upstream", "client"])
        #expect(byCategory.values.reduce(0, +) == requests)
        #expect((report["by_status"] as! [String: Int]).values.reduce(0, +) == requests)
        #expect(totals["failed"] as? Int == requests - byCategory["success"]!)
        let window = report["window_seconds"] as! Int
        for row in report["timeline"] as! [[String: Any]] {
            let start = try #require(millis(row["start"] as! String))
            #expect(start % Int64(window * 1000) == 0)
        }
        for input in report["inputs"] as! [[String: Any]] {
            for key in [
                "name", "format", "compression", "bytes", "lines", "records", "skipped", "skipped_by_reason",
                "skipped_examples", "complete", "error",
            ] {
                #expect(input.keys.contains(key), "input lacks \(key)")
            }
        }
        for incident in report["incidents"] as! [[String: Any]] {
            for key in [
                "id", "category", "cause", "start", "end", "ongoing", "failures", "by_status", "error_codes",
                "keys", "orgs", "models", "endpoints", "sample_request_ids", "message", "summary", "next_steps",
            ] {
                #expect(incident.keys.contains(key), "incident lacks \(key)")
            }
        }
        for key in report["keys"] as! [[String: Any]] {
            let id = key["key_id"] as! String
            #expect(id == "none" || id == "(other)" || id.hasPrefix("sha256:"))
            #expect(id == "none" || id == "(other)" || id.count == "sha256:".count + 12)
        }
    }

    @Test("events: one faultline.event/v1 line per failed request, in input order")
    func events() throws {
        let scratch = try Scratch()
        let out = scratch.file("events.jsonl")
        let result = try Faultline.run(["events", "Samples/gateway.jsonl.gz", "-o", out])
        #expect(result.status == 0)
        let (_, report) = try Faultline.report(["Samples/gateway.jsonl.gz"])
        let failed = (report["totals"] as! [String: Any])["failed"] as! Int
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == failed)
        var previous = 0
        let fields: Set<String> = [
            "ts", "status", "category", "cause", "key_id", "key_hint", "org", "project", "request_id", "model",
            "endpoint", "error_type", "error_code", "input", "line",
        ]
        for line in lines {
            let event = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            #expect(Set(event.keys) == fields)
            #expect(event["category"] as? String != "success")
            let number = event["line"] as! Int
            #expect(number > previous)
            previous = number
        }
    }

    @Test(
        "events load as they are into DuckDB",
        .enabled(if: (try? runPython("import duckdb"))?.status == 0, "python3 -m pip install duckdb"))
    func duckdb() throws {
        let scratch = try Scratch()
        let out = scratch.file("events.jsonl")
        try Faultline.run(["events", "Samples/gateway.jsonl.gz", "-o", out])
        let query = """
            import duckdb
            rows = duckdb.sql("SELECT category, count(*) FROM read_json_auto('\(out)') GROUP BY category ORDER BY 1").fetchall()
            print(";".join(f"{c}={n}" for c, n in rows))
            """
        let result = try runPython(query)
        #expect(result.status == 0, "\(result.stderr)")
        let (_, report) = try Faultline.report(["Samples/gateway.jsonl.gz"])
        let byCategory = (report["totals"] as! [String: Any])["by_category"] as! [String: Int]
        let expected = byCategory.filter { $0.key != "success" && $0.value > 0 }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value)" }.joined(separator: ";")
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == expected)
    }

    /// Secrets planted in every field of every input kind; none may reach any output, stderr included.
    @Test("no secret reaches any report form, events, summaries or stderr")
    func secrets() throws {
        let scratch = try Scratch()
        let openai = "sk-proj-FAKEsecretOPENAIabcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWX"
        let anthropic = "sk-ant-api03-FAKEsecretANTHROPICabcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmn"
        let google = "AIzaSyFAKEsecretGOOGLEabcdefghijklmn12"
        let azure = "0123456789abcdef0123456789abcdef"
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJGQUtFc2VjcmV0SldUIn0.FAKEsecretJWTsignature"
        let bearer = "FAKEsecretBEARERtoken0123456789"
        let secrets = [openai, anthropic, google, azure, jwt, bearer]
        var lines: [String] = []
        for index in 0..<40 {
            let secret = secrets[index % secrets.count]
            let time = String(format: "2025-03-10T12:%02d:00.000Z", index)
            let line: [String: Any] = [
                "ts": time, "status": index % 3 == 0 ? 200 : 401, "request_id": "req_\(index)_\(secret)",
                "model": "gpt-4o \(secret)", "endpoint": "/v1/chat/completions?key=\(google)",
                "org": "org-\(secret)", "host": "gw \(secret)", "user_agent": "curl/8 Bearer \(bearer)",
                "headers": ["authorization": "Bearer \(secret)", "x-api-key": anthropic, "api-key": azure],
                "error": [
                    "message": "Incorrect API key provided: \(secret). api_key=\(openai) token: \(jwt)",
                    "type": "invalid_request_error", "code": "invalid_api_key \(secret)",
                ],
            ]
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: line), as: UTF8.self))
        }
        let access = (0..<20).map { index in
            "10.0.0.1 - - [10/Mar/2025:12:\(String(format: "%02d", index)):00 +0000] \"GET /v1beta/models?key=\(google) HTTP/1.1\" 401 12 \"-\" \"agent Bearer \(bearer)\""
        }
        let jsonPath = try scratch.write("secrets.jsonl", Array(lines.joined(separator: "\n").utf8))
        let accessPath = try scratch.write("secrets.log", Array(access.joined(separator: "\n").utf8))
        var outputs: [(String, String)] = []
        for form in Self.forms {
            let result = try Faultline.run(["analyze", jsonPath, accessPath, "--report", form])
            outputs.append(("analyze \(form)", result.stdout + result.stderr))
        }
        let summary = scratch.file("summary.json")
        let merged = try Faultline.run(["analyze", jsonPath, accessPath, "--summary-out", summary, "--report", "json"])
        outputs.append(("analyze json", merged.stdout + merged.stderr))
        outputs.append(("summary file", try String(contentsOfFile: summary, encoding: .utf8)))
        let mergeResult = try Faultline.run(["merge", summary, "--report", "markdown"])
        outputs.append(("merge", mergeResult.stdout + mergeResult.stderr))
        let events = try Faultline.run(["events", jsonPath, accessPath])
        outputs.append(("events", events.stdout + events.stderr))
        let bad = try Faultline.run(["analyze", jsonPath, "--field", "key=\(openai)", "--report", "json"])
        outputs.append(("option error", bad.stdout + bad.stderr))
        for (name, text) in outputs {
            #expect(!text.isEmpty, "\(name) wrote nothing")
            for secret in secrets {
                // Any 12 characters of a secret's random part would be a leak (its public prefix may show).
                let core = secret.components(separatedBy: "FAKEsecret").last!
                for start in stride(from: 0, to: max(1, core.count - 12), by: 6) {
                    let piece = String(core.dropFirst(start).prefix(12))
                    guard piece.count == 12, piece != "0123456789ab", piece != "abcdefghijkl" else { continue }
                    #expect(!text.contains(piece), "\(name) leaks part of a secret: \(piece)")
                }
                #expect(!text.contains(secret), "\(name) leaks a secret")
            }
        }
        let (_, report) = try Faultline.report([jsonPath, accessPath])
        #expect((report["redactions"] as! Int) > 0)
    }

    @Test("formats lists every preset and the aliases")
    func formats() throws {
        let result = try Faultline.run(["formats"])
        #expect(result.status == 0)
        for name in [
            "jsonl", "combined", "common", "ingress-nginx", "envoy", "alb", "nginx:", "request_id",
            "headers.authorization", "metadata.user_api_key_hash",
        ] {
            #expect(result.stdout.contains(name), "formats does not mention \(name)")
        }
    }

    @Test("sample: the same seed gives the same bytes, and a truth file")
    func sample() throws {
        let scratch = try Scratch()
        let one = scratch.file("one.jsonl.gz")
        let two = scratch.file("two.jsonl.gz")
        let truth = scratch.file("truth.json")
        #expect(
            try Faultline.run(["sample", "--lines", "3000", "--seed", "5", "--gzip", "-o", one, "--truth", truth])
                .status == 0)
        #expect(try Faultline.run(["sample", "--lines", "3000", "--seed", "5", "--gzip", "-o", two]).status == 0)
        #expect(try readBytes(one) == readBytes(two))
        let parsed = try JSONSerialization.jsonObject(with: Data(readBytes(truth))) as! [String: Any]
        #expect(((parsed["totals"] as! [String: Any])["requests"] as? Int) == 3000)
        let (_, report) = try Faultline.report([one])
        #expect((report["totals"] as! [String: Any])["requests"] as? Int == 3000)
    }
}

/// Runs python3 with a script.
func runPython(_ script: String) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script]
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errors = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
        process.terminationStatus, String(decoding: data, as: UTF8.self), String(decoding: errors, as: UTF8.self)
    )
}
