import Foundation
import Testing

@testable import FaultlineKit

@Suite("Retries by request ID (REPORT.md `retries`)")
struct RetryTests {
    typealias H = AnalysisHarness

    static func attempt(
        _ id: String, _ offset: Int64, _ status: Int, body: ((inout LogLine) -> Void)? = nil
    )
        -> LogLine
    {
        var line = LogLine(time: H.t0 + H.minute + offset, status: status, key: fakeKey(1), org: "org-a", requestID: id)
        body?(&line)
        return line
    }

    @Test("attempts sharing a request ID are chains: retried, non-transient, without backoff, outcome")
    func chains() throws {
        var lines: [LogLine] = []
        // A: 429 with retry-after 2 s, retried after 2.5 s, succeeds.
        lines.append(Self.attempt("A", 0, 429, body: Errors.rateLimit))
        lines.append(Self.attempt("A", 2_500, 200))
        // B: a revoked key retried twice with growing gaps: non-transient, gave up.
        lines.append(Self.attempt("B", 10_000, 401, body: Errors.invalidKey))
        lines.append(Self.attempt("B", 11_000, 401, body: Errors.invalidKey))
        lines.append(Self.attempt("B", 13_000, 401, body: Errors.invalidKey))
        // C: insufficient_quota retried: non-transient (billing), gave up.
        lines.append(Self.attempt("C", 20_000, 429, body: Errors.quota))
        lines.append(Self.attempt("C", 21_000, 429, body: Errors.quota))
        // D: told to wait 5 s, came back after 1 s (without backoff), then succeeded.
        lines.append(
            Self.attempt("D", 30_000, 429) {
                Errors.rateLimit(&$0)
                $0.retryAfterSeconds = 5
            })
        lines.append(Self.attempt("D", 31_000, 200))
        // E: 500s retried at a constant 1 s: the gap does not grow (without backoff), gave up.
        lines.append(Self.attempt("E", 40_000, 500) { $0.type = "server_error" })
        lines.append(Self.attempt("E", 41_000, 500) { $0.type = "server_error" })
        lines.append(Self.attempt("E", 42_000, 500) { $0.type = "server_error" })
        // Twenty requests tried once.
        for index in 0..<20 { lines.append(Self.attempt("single-\(index)", 50_000 + Int64(index) * 100, 200)) }
        let report = try H.report(lines: lines.map(\.text))
        let retries = try #require(report["retries"] as? [String: Int])
        #expect(retries["request_ids"] == 25)
        #expect(retries["retried"] == 5)
        #expect(retries["max_attempts"] == 3)
        #expect(retries["retried_non_transient"] == 2)
        #expect(retries["retried_without_backoff"] == 2)
        #expect(retries["succeeded_after_retry"] == 2)
        #expect(retries["gave_up"] == 3)
        #expect(retries["evicted"] == 0)
        #expect((report["dropped"] as? [String: Int])?["request_ids"] == nil)
    }

    @Test("a retry that honours retry-after and backs off is not flagged")
    func politeRetries() throws {
        let lines = [
            Self.attempt("P", 0, 429, body: Errors.rateLimit),
            Self.attempt("P", 2_000, 429, body: Errors.rateLimit),
            Self.attempt("P", 6_000, 500) { $0.type = "server_error" },
            Self.attempt("P", 14_000, 200),
        ]
        let report = try H.report(lines: lines.map(\.text))
        let retries = try #require(report["retries"] as? [String: Int])
        #expect(retries["retried"] == 1)
        #expect(retries["max_attempts"] == 4)
        #expect(retries["retried_without_backoff"] == 0)
        #expect(retries["retried_non_transient"] == 0)
        #expect(retries["succeeded_after_retry"] == 1)
    }

    @Test("with a small capacity, forgotten request IDs are counted in dropped.request_ids", arguments: [16, 40])
    func boundedMemory(capacity: Int) throws {
        var lines: [LogLine] = []
        for index in 0..<100 { lines.append(Self.attempt("id-\(index)", Int64(index) * 1_000, 500)) }
        // id-0 comes back after it was forgotten: it counts as a new ID, not as a retry.
        lines.append(Self.attempt("id-0", 200_000, 200))
        // id-99 is still remembered: a real retry.
        lines.append(Self.attempt("id-99", 201_000, 200))
        var options = AnalysisOptions()
        options.retryCapacity = capacity
        let report = try H.report(lines: lines.map(\.text), options: options)
        let retries = try #require(report["retries"] as? [String: Int])
        let evicted = 101 - capacity
        #expect(retries["request_ids"] == 101)
        #expect(retries["retried"] == 1)
        #expect(retries["succeeded_after_retry"] == 1)
        #expect(retries["evicted"] == evicted)
        #expect((report["dropped"] as? [String: Int])?["request_ids"] == evicted)
    }
}

@Suite("Bounded maps: what is cut is counted, and totals still add up")
struct CapTests {
    typealias H = AnalysisHarness

    @Test("50 distinct keys with room for 10: dropped counts the rest, totals add up")
    func distinctCap() throws {
        var lines: [LogLine] = []
        for index in 0..<50 {
            for attempt in 0..<4 {
                var line = LogLine(
                    time: H.t0 + Int64(index * 4 + attempt) * 1_000, status: 200, key: fakeKey(index),
                    org: "org-\(index % 20)", requestID: "r-\(index)-\(attempt)")
                if attempt == 3 { Errors.invalidKey(&line) }
                lines.append(line)
            }
        }
        // Requests with no key at all stay `none`, apart from the keys that were not tracked.
        for index in 0..<5 {
            lines.append(LogLine(time: H.t0 + 300_000 + Int64(index) * 1_000, status: 200, org: "org-0"))
        }
        var options = AnalysisOptions()
        options.distinctCap = 10
        let report = try H.report(lines: lines.map(\.text), options: options)
        let totals = try #require(report["totals"] as? [String: Any])
        let requests = try #require(totals["requests"] as? Int)
        #expect(requests == 205)
        let byCategory = try #require(totals["by_category"] as? [String: Int])
        #expect(byCategory.values.reduce(0, +) == requests)
        let byStatus = try #require(report["by_status"] as? [String: Int])
        #expect(byStatus.values.reduce(0, +) == requests)
        let dropped = try #require(report["dropped"] as? [String: Int])
        // 40 keys (4 requests each) and 10 orgs (8 requests each, org-0 and org-10... are over the cap) untracked.
        #expect(dropped["keys"] == 40 * 4, "\(dropped)")
        #expect(dropped["orgs"] != nil, "\(dropped)")
        let keys = try #require(report["keys"] as? [[String: Any]])
        let keySum = keys.reduce(0) { $0 + ($1["requests"] as! Int) }
        #expect(keySum == requests, "every request counts under some key entry")
        // Keys absent from the log and keys the cap left untracked are not the same thing.
        let none = keys.first { $0["key_id"] as? String == "none" }
        #expect(none?["requests"] as? Int == 5)
        let tracked = keys.filter { ($0["key_id"] as! String).hasPrefix("sha256:") }
        #expect(tracked.count == 10)
        // The untracked keys are many keys, not one: no diagnosis can be made of them together.
        for key in keys where !(key["key_id"] as! String).hasPrefix("sha256:") {
            #expect(key["diagnosis"] is NSNull, "\(key)")
        }
    }
}

@Suite("Windows, time range and order of input")
struct WindowRangeOrderTests {
    typealias H = AnalysisHarness

    static func traffic(span: Int64, count: Int = 600) -> [String] {
        (0..<count).map { index in
            LogLine(
                time: H.t0 + span * Int64(index) / Int64(count - 1), status: index % 7 == 0 ? 500 : 200,
                key: fakeKey(index % 3), requestID: "w-\(index)"
            ).text
        }
    }

    @Test(
        "auto picks a window giving 60 to 200 rows",
        arguments: [1, 2, 6, 12, 24, 72, 168] as [Int64])
    func autoWindow(hours: Int64) throws {
        let report = try H.report(lines: Self.traffic(span: hours * H.hour))
        let timeline = try #require(report["timeline"] as? [[String: Any]])
        #expect((60...200).contains(timeline.count), "\(timeline.count) rows at \(report["window_seconds"]!) s")
        let window = try #require(report["window_seconds"] as? Int)
        for row in timeline {
            let start = try #require(millis(row["start"] as? String))
            #expect(start % (Int64(window) * 1000) == 0)
        }
        #expect(timeline.reduce(0) { $0 + ($1["requests"] as! Int) } == 600)
    }

    @Test(
        "--window fixes the bucket; windows start at multiples of it", arguments: [30_000, 60_000, 300_000, 3_600_000])
    func fixedWindow(window: Int64) throws {
        var options = AnalysisOptions()
        options.windowMillis = window
        let report = try H.report(lines: Self.traffic(span: 6 * H.hour), options: options, windowMillis: window)
        #expect(report["window_seconds"] as? Int == Int(window / 1000))
        let timeline = try #require(report["timeline"] as? [[String: Any]])
        let expectedRows = Int(6 * H.hour / window) + 1
        #expect(timeline.count == expectedRows)
        #expect(timeline.reduce(0) { $0 + ($1["requests"] as! Int) } == 600)
    }

    @Test("--since is inclusive, --until exclusive, and what they cut is counted as outside_range")
    func sinceUntil() throws {
        let lines = (0..<100).map { LogLine(time: H.t0 + Int64($0) * H.minute, status: $0 % 5 == 0 ? 429 : 200).text }
        var options = AnalysisOptions()
        options.since = H.t0 + 10 * H.minute
        options.until = H.t0 + 30 * H.minute
        let summary = try H.summary(Array(lines.joined().utf8), options: options)
        #expect(summary.requests == 20)
        #expect(summary.first == H.t0 + 10 * H.minute)
        #expect(summary.last == H.t0 + 29 * H.minute)
        #expect(summary.byStatus[429] == 4)
        #expect(summary.inputs[0].skippedByReason["outside_range"] == 80)
    }

    /// The counts a report must give whatever the order of its lines.
    static func counts(_ report: [String: Any]) -> NSDictionary {
        var view: [String: Any] = [:]
        for name in ["totals", "by_status", "by_cause", "timeline", "window_seconds", "range", "dropped"] {
            view[name] = report[name]
        }
        view["keys"] = MergeEquivalenceTests.scopeCounts(report, "keys", "key_id")
        view["orgs"] = MergeEquivalenceTests.scopeCounts(report, "orgs", "org")
        view["incidents"] = report.incidents.map { incident in
            let scope = incident["scope"] as! [String: String]
            return "\(incident["category"]!)/\(incident["cause"]!) \(scope["kind"]!):\(scope["value"]!)"
        }.sorted()
        return NSDictionary(dictionary: view)
    }

    @Test("out-of-order lines, within a file and across files, give the counts of sorted input", arguments: [3, 11])
    func outOfOrder(seed: UInt64) throws {
        let bytes = try SampleGenerator(options: SampleOptions(format: .jsonl, lines: 20_000, seed: seed)).generate()
            .bytes
        let sorted = try H.report(H.summary(bytes))
        var random = SeededRandom(state: seed)
        var lines = H.lines(bytes)
        // Within one file: blocks of lines swapped around, and a few lines moved far.
        lines.shuffle(using: &random)
        let shuffled = try H.report(H.summary(Array(lines.joined())))
        #expect(Self.counts(shuffled) == Self.counts(sorted))
        // Across files: the later half of the log in the first file.
        let ordered = H.lines(bytes)
        let half = ordered.count / 2
        let directory = try TemporaryDirectory()
        let late = try directory.write("late.jsonl", Array(ordered[half...].joined()))
        let early = try directory.write("early.jsonl", Array(ordered[..<half].joined()))
        let analyzer = try Analyzer(H.configuration())
        let swapped = try H.report(analyzer.run([InputSource(path: late), InputSource(path: early)]))
        #expect(Self.counts(swapped) == Self.counts(sorted))
    }
}
