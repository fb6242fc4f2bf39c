import Foundation
import Testing

@testable import FaultlineKit

@Suite("Window budget: per-window detail is bounded whatever the input, by coarsening before dropping")
struct WindowBudgetTests {
    typealias H = AnalysisHarness

    /// Failures every 30 s for `count` windows, all from one org, model, endpoint and host: each window is an
    /// entry in five groups (the whole log's, the org's, the model's, the endpoint's and the host's).
    static func failures(count: Int) -> [UInt8] {
        var text = ""
        for index in 0..<count {
            var line = LogLine(
                time: H.t0 + Int64(index) * 30_000 + 1_000, status: 503, key: fakeKey(1), org: "org-a",
                requestID: "f-\(index)")
            Errors.overloaded(&line)
            text += line.text
        }
        return Array(text.utf8)
    }

    static let recoveringOrgs = (0..<5).map { "org-\($0)" }

    /// Five orgs whose quota runs out at once, each then succeeding once in every one of the next 12,000 windows:
    /// 60,000 success windows at 30 s, kept to date each org's recovery.
    static func recoveries() -> [UInt8] {
        var text = ""
        for org in recoveringOrgs {
            var line = LogLine(time: H.t0, status: 429, key: fakeKey(1), org: org)
            Errors.quota(&line)
            text += line.text
        }
        for index in 0..<12_000 {
            for org in recoveringOrgs {
                text += LogLine(time: H.t0 + Int64(index + 1) * 30_000, status: 200, key: fakeKey(1), org: org).text
            }
        }
        return Array(text.utf8)
    }

    static func entries(_ summary: Summary) -> Int {
        summary.groups.values.reduce(0) { $0 + $1.windows.count }
            + summary.orgs.values.reduce(0) { $0 + $1.successWindows.count }
    }

    /// Every group's windows add up to its count (coarsening merged windows, it lost no failure), or, for scoped
    /// groups that lost windows to the cap, to less.
    static func checkWindowsAddUp(_ summary: Summary, capped: Bool = false) {
        for group in summary.groups.values where !group.windows.isEmpty {
            let total = group.windows.reduce(0) { $0 + $1.value.count }
            if capped && group.dimension != "all" {
                #expect(total <= group.count, "\(group.dimension)")
            } else {
                #expect(total == group.count, "\(group.dimension)")
            }
            for (start, stat) in group.windows {
                #expect(start % summary.windowMillis == 0)
                #expect(stat.first >= start && stat.last < start + summary.windowMillis)
            }
        }
    }

    @Test("the whole log's windows count: 12,000 windows of five groups coarsen the window, and nothing is dropped")
    func coarsensBeforeDropping() throws {
        let summary = try H.summary(Self.failures(count: 12_000))
        // At 30 s the five groups held 60,000 entries; at 60 s, 30,000.
        #expect(summary.windowMillis == 60_000)
        #expect(Self.entries(summary) == 30_000)
        #expect(Self.entries(summary) <= Summary.groupWindowBudget)
        #expect(summary.dropped["group_windows"] == nil, "\(summary.dropped)")
        let whole = try #require(summary.groups.values.first { $0.dimension == "all" })
        #expect(whole.count == 12_000 && whole.windows.count == 6_000)
        Self.checkWindowsAddUp(summary)
    }

    @Test("pieces that each fit the budget merge to the single pass's windows", arguments: [2, 3])
    func piecesMergeAlike(pieces: Int) throws {
        let bytes = Self.failures(count: 12_000)
        let single = try H.summary(bytes)
        let lines = H.lines(bytes)
        let size = (lines.count + pieces - 1) / pieces
        let shards = stride(from: 0, to: lines.count, by: size).map {
            Array(lines[$0..<min($0 + size, lines.count)].joined())
        }
        let directory = try TemporaryDirectory()
        let parts = try H.summaries(shards, in: directory)
        // Each piece alone fits at 30 s; only their union needs 60 s.
        #expect(parts.allSatisfy { $0.windowMillis == 30_000 })
        var merged = parts[0]
        for part in parts.dropFirst() { merged.merge(part) }
        #expect(merged.windowMillis == single.windowMillis)
        #expect(merged.groups == single.groups)
        #expect(merged.timeline == single.timeline)
    }

    @Test("with a window the user chose, the whole log keeps every window; scoped windows past the budget are counted")
    func fixedWindowCaps() throws {
        var options = AnalysisOptions()
        options.windowMillis = 30_000
        let summary = try H.summary(Self.failures(count: 12_000), options: options)
        #expect(summary.windowMillis == 30_000)
        let whole = try #require(summary.groups.values.first { $0.dimension == "all" })
        #expect(whole.windows.count == 12_000)
        let scoped = summary.groups.values.filter { $0.dimension != "all" }.reduce(0) { $0 + $1.windows.count }
        let dropped = try #require(summary.dropped["group_windows"])
        #expect(Self.entries(summary) <= Summary.groupWindowBudget)
        // Every scoped window was either kept or counted as dropped (four groups, 12,000 windows each)...
        #expect(scoped + dropped >= 4 * 12_000)
        // ...and the report says so.
        let report = try H.report(summary, windowMillis: 30_000)
        #expect((report["dropped"] as? [String: Int])?["group_windows"] == dropped)
        Self.checkWindowsAddUp(summary, capped: true)
    }

    @Test("with a window the user chose, success windows past the budget are dropped and counted, never all")
    func fixedWindowCapsSuccesses() throws {
        let orgs = Self.recoveringOrgs
        var options = AnalysisOptions()
        options.windowMillis = 30_000
        let summary = try H.summary(Self.recoveries(), options: options)
        #expect(summary.windowMillis == 30_000)
        let kept = orgs.reduce(0) { $0 + (summary.orgs[$1]?.successWindows.count ?? 0) }
        let dropped = try #require(summary.dropped["success_windows"])
        #expect(kept + dropped == 5 * 12_000)
        #expect(Self.entries(summary) <= Summary.groupWindowBudget)
        // The first windows after each org's quota ran out are the ones kept: its recovery is still dated.
        for org in orgs {
            let stats = try #require(summary.orgs[org])
            #expect(stats.successWindows[H.t0 + 30_000] == 1)
        }
        let report = try H.report(summary, windowMillis: 30_000)
        #expect((report["dropped"] as? [String: Int])?["success_windows"] == dropped)
    }

    @Test("orgs' success windows count: five orgs recovering over 12,000 windows coarsen the window")
    func successWindowsCount() throws {
        let orgs = Self.recoveringOrgs
        let summary = try H.summary(Self.recoveries())
        // 60,000 success windows at 30 s, 30,000 at 60 s; the timeline alone (12,000 windows) fits.
        #expect(summary.windowMillis == 60_000)
        #expect(Self.entries(summary) <= Summary.groupWindowBudget)
        for org in orgs {
            let stats = try #require(summary.orgs[org])
            #expect(stats.successWindows.values.reduce(0, +) == 12_000)
            #expect(stats.successWindows.keys.allSatisfy { $0 % 60_000 == 0 })
        }
    }
}
