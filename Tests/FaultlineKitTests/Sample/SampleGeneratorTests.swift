import FaultlineKit
import Foundation
import Testing

/// Generated logs, checked against their truth by independent recounting.
@Suite struct SampleGeneratorTests {
    static func generate(_ options: SampleOptions) throws -> (bytes: [UInt8], truth: SampleTruth) {
        try SampleGenerator(options: options).generate()
    }

    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast().map { $0 }
    }

    static func parse(_ line: ArraySlice<UInt8>) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
    }

    @Test(arguments: SampleFormat.allCases)
    func sameSeedSameBytesOtherSeedOtherBytes(format: SampleFormat) throws {
        let first = try Self.generate(SampleOptions(format: format, lines: 5000, seed: 42))
        let again = try Self.generate(SampleOptions(format: format, lines: 5000, seed: 42))
        let other = try Self.generate(SampleOptions(format: format, lines: 5000, seed: 43))
        #expect(first.bytes == again.bytes)
        #expect(first.truth == again.truth)
        #expect(first.bytes != other.bytes)
    }

    @Test(arguments: [0, 1, 7, 1000, 25_000])
    func lineCountMatchesOption(lines: Int) throws {
        let sample = try Self.generate(SampleOptions(lines: lines, seed: 5))
        #expect(Self.lines(sample.bytes).count == lines)
        #expect(sample.truth.totals.requests == lines)
        #expect(sample.bytes.last == (lines == 0 ? nil : UInt8(ascii: "\n")))
    }

    @Test(arguments: [(SampleFormat.jsonl, Int64(200_000)), (.jsonl, 3_000_000), (.access, 1_000_000)])
    func byteTargetLandsClose(format: SampleFormat, bytes: Int64) throws {
        let sample = try Self.generate(SampleOptions(format: format, bytes: bytes, seed: 9))
        let ratio = Double(sample.bytes.count) / Double(bytes)
        #expect(ratio >= 1.0 && ratio < 1.02)
        #expect(sample.truth.totals.requests == Self.lines(sample.bytes).count)
    }

    @Test(arguments: [1, 2_000_000])
    func byteTargetSpansTheRange(bytes: Int64) throws {
        let options = SampleOptions(bytes: bytes, seed: 2)
        let sample = try Self.generate(options)
        let all = Self.lines(sample.bytes)
        let last = try Self.parse(try #require(all.last))
        let time = (last["ts"] ?? last["timestamp"]) as? String
        let millis = try #require(
            time.flatMap { text in
                var copy = text
                return copy.withUTF8 { Timestamp.parseISO8601(UnsafeRawBufferPointer($0))?.millis }
            })
        if bytes > 1 { #expect(millis > options.start + options.duration * 98 / 100) }
        #expect(millis < options.start + options.duration)
    }

    @Test(arguments: [false, true])
    func gzipInflatesToThePlainBytes(fast: Bool) throws {
        let plain = try Self.generate(SampleOptions(lines: 30_000, seed: 11))
        let packed = try Self.generate(SampleOptions(lines: 30_000, seed: 11, gzip: true, gzipLevel: fast ? 1 : 6))
        #expect(packed.bytes.count < plain.bytes.count / 3)
        #expect(packed.truth == plain.truth)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-sample-\(fast).gz")
        try Data(packed.bytes).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", path.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let inflated = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect([UInt8](inflated) == plain.bytes)
    }

    @Test(arguments: [UInt64(1), 77, 2026])
    func everyJSONLineParsesAndTotalsMatchTheTruth(seed: UInt64) throws {
        let sample = try Self.generate(SampleOptions(lines: 40_000, seed: seed))
        var byStatus: [String: Int] = [:]
        var byCategory: [String: Int] = [:]
        for line in Self.lines(sample.bytes) {
            let object = try Self.parse(line)
            let status = try #require((object["status"] ?? object["status_code"]) as? Int)
            byStatus[String(status), default: 0] += 1
            byCategory[Self.category(status: status, object: object), default: 0] += 1
        }
        #expect(byStatus == sample.truth.totals.byStatus)
        #expect(byCategory == sample.truth.totals.byCategory.filter { $0.value > 0 })
        #expect(sample.truth.totals.requests == sample.truth.totals.byStatus.values.reduce(0, +))
        #expect(sample.truth.totals.requests == sample.truth.totals.byCategory.values.reduce(0, +))
    }

    /// An independent, deliberately simple classifier: billing is told from rate limits by the body only.
    static func category(status: Int, object: [String: Any]) -> String {
        switch status {
        case ..<400: return "success"
        case 401: return "auth"
        case 429:
            let body = object["error"].map { "\($0)" } ?? (object["response_body"] as? String ?? "")
            return body.contains("insufficient_quota") ? "billing" : "rate_limit"
        case 500...: return "upstream"
        default: return "client"
        }
    }

    @Test func everyIncidentIsInjectedAndItsKeyAppearsInTheLines() throws {
        let sample = try Self.generate(SampleOptions(lines: 60_000, seed: 4))
        let kinds = Set(sample.truth.incidents.map { "\($0.category)/\($0.cause)/\($0.scope.keys.sorted())" })
        #expect(
            kinds == [
                "auth/revoked_key/[\"key_id\"]", "auth/placeholder_key/[\"key_id\"]", "auth/malformed_key/[\"key_id\"]",
                "auth/missing_key/[\"host\"]", "auth/org_mismatch/[\"key_id\"]", "billing/quota_exhausted/[\"org\"]",
                "rate_limit/tokens_limit/[\"org\"]", "upstream/server_error/[]", "upstream/overloaded/[\"model\"]",
            ])
        #expect(sample.truth.notGenerated.isEmpty)
        var keyIDs = Set<String>()
        var hosts = Set<String>()
        var orgs = Set<String>()
        var models = Set<String>()
        let fingerprinter = KeyFingerprinter()
        for line in Self.lines(sample.bytes) {
            let object = try Self.parse(line)
            let headers = try #require(object["headers"] as? [String: Any])
            if let value = (headers["authorization"] ?? headers["x-api-key"] ?? headers["api-key"]) as? String {
                let key = value.hasPrefix("Bearer ") ? String(value.dropFirst(7)) : value
                keyIDs.insert(fingerprinter.keyID(key))
            }
            hosts.insert(object["host"] as? String ?? "")
            orgs.insert(object["org"] as? String ?? "")
            models.insert(object["model"] as? String ?? "")
        }
        for incident in sample.truth.incidents {
            #expect(incident.start <= incident.end)
            #expect(incident.failures > 0)
            if let keyID = incident.scope["key_id"] { #expect(keyIDs.contains(keyID)) }
            if let host = incident.scope["host"] { #expect(hosts.contains(host)) }
            if let org = incident.scope["org"] { #expect(orgs.contains(org)) }
            if let model = incident.scope["model"] { #expect(models.contains(model)) }
        }
    }

    @Test func retriesShareRequestIDs() throws {
        let sample = try Self.generate(SampleOptions(lines: 40_000, seed: 8, incidents: [.rateLimitStorm, .outage]))
        var attempts: [String: Int] = [:]
        for line in Self.lines(sample.bytes) {
            let object = try Self.parse(line)
            attempts[object["request_id"] as? String ?? "", default: 0] += 1
        }
        #expect(attempts.values.contains(2))
        #expect((attempts.values.max() ?? 0) <= 3)
    }

    @Test(arguments: SampleFormat.allCases)
    func noRealKeyShapes(format: SampleFormat) throws {
        let sample = try Self.generate(SampleOptions(format: format, lines: 30_000, seed: 13, distinctKeys: 60))
        let text = String(decoding: sample.bytes, as: UTF8.self)
        #expect(!text.contains("T3BlbkFJ"))
        let keyCharacters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
        var index = text.startIndex
        while let range = text.range(of: "sk-ant-api03-", range: index..<text.endIndex) {
            let body = text[range.upperBound...].prefix { keyCharacters.contains($0) }
            #expect(!(body.count == 95 && body.hasSuffix("AA")))
            #expect(body.hasPrefix("FAKE"))
            index = range.upperBound
        }
        if format == .access {
            #expect(!text.contains("sk-"))
            #expect(!text.contains("FAKE"))
        }
    }

    @Test func accessLinesHaveTheUpstreamInfoShape() throws {
        let sample = try Self.generate(SampleOptions(format: .access, lines: 20_000, seed: 21))
        var byStatus: [String: Int] = [:]
        for line in Self.lines(sample.bytes) {
            let text = String(decoding: line, as: UTF8.self)
            let quoted = text.split(separator: "\"", omittingEmptySubsequences: false)
            #expect(quoted.count == 7)
            #expect(quoted[1].hasPrefix("POST /") && quoted[1].hasSuffix(" HTTP/1.1"))
            #expect(text.contains(" +0000] \"POST "))
            let afterRequest = quoted[2].split(separator: " ")
            byStatus[String(afterRequest[0]), default: 0] += 1
            let tail = quoted[6].split(separator: " ")
            #expect(tail.last?.count == 32)
            #expect(tail.contains { $0.hasPrefix("[llm-gateway-") })
        }
        #expect(byStatus == sample.truth.totals.byStatus)
        #expect(sample.truth.totals.byCategory["auth"] == 0)
        #expect(sample.truth.notApplicable.contains("revoked_key"))
        #expect(Set(sample.truth.incidents.map(\.category)) == ["rate_limit", "upstream"])
    }

    @Test func chosenIncidentsOnly() throws {
        let sample = try Self.generate(SampleOptions(lines: 20_000, seed: 3, incidents: [.outage]))
        #expect(sample.truth.incidents.count == 1)
        #expect(sample.truth.incidents.first?.category == "upstream")
        #expect(sample.truth.incidents.first?.scope == [:])
        #expect(sample.truth.totals.byCategory["auth"] == 0)
        #expect(sample.truth.totals.byCategory["client"] == 0)
    }

    @Test func truthJSONIsSortedAndDecodes() throws {
        let truth = try Self.generate(SampleOptions(lines: 10_000, seed: 1)).truth
        let text = truth.json()
        let decoded = try JSONDecoder().decode(SampleTruth.self, from: Data(text.utf8))
        #expect(decoded == truth)
        let object = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(Set(object.keys).isSuperset(of: ["totals", "incidents"]))
        #expect(text.range(of: "\"format\"")!.lowerBound < text.range(of: "\"totals\"")!.lowerBound)
    }

    @Test func runWritesTheLogAndTheTruthFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-sample-run")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("gw.jsonl").path
        let truthPath = directory.appendingPathComponent("truth.json").path
        let options = SampleOptions(lines: 2000, seed: 6)
        let truth = try SampleGenerator.run(options: options, outputPath: log, truthPath: truthPath)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: log))) == Self.generate(options).bytes)
        #expect(try String(contentsOfFile: truthPath, encoding: .utf8) == truth.json())
        #expect(throws: FaultlineError.self) {
            try SampleGenerator.run(options: options, outputPath: "/nonexistent-dir/x", truthPath: nil)
        }
    }
}
