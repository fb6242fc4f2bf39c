import Foundation
import Testing

@testable import FaultlineKit

/// A group's windows kept as a sorted list read, merge, floor and code exactly as the table they replace.
@Suite("Group windows: a sorted list that behaves as the window table did")
struct GroupWindowsTests {
    static let codes = ["invalid_api_key", "insufficient_quota", "rate_limit_exceeded", "server_error", "overloaded"]

    /// Random windows on a 30 s grid, each with a few failures of random statuses and codes.
    static func windows(_ random: inout SeededRandom, count: Int, span: Int) -> [Int64: WindowStat] {
        var map: [Int64: WindowStat] = [:]
        for _ in 0..<count {
            let start = Int64(random.below(span) - span / 2) * 30_000
            let time = start + Int64(random.below(30_000))
            let code = random.below(4) == 0 ? nil : codes[random.below(codes.count)]
            map[start, default: WindowStat()].add(time, status: [401, 429, 500, 503][random.below(4)], code: code)
        }
        return map
    }

    static func sorted(_ map: [Int64: WindowStat]) -> [Int64] { map.keys.sorted() }

    static func expectEqual(_ windows: GroupWindows, _ map: [Int64: WindowStat], _ context: String) {
        #expect(windows.count == map.count, "\(context)")
        #expect(windows.map(\.key) == sorted(map), "\(context): windows out of order or missing")
        for (start, stat) in windows { #expect(stat == map[start], "\(context): window \(start)") }
        for (start, stat) in map { #expect(windows[start] == stat, "\(context): lookup of \(start)") }
    }

    @Test("merging equals merging into the table, window by window", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func merge(seed: UInt64) {
        var random = SeededRandom(state: seed)
        for round in 0..<50 {
            let left = Self.windows(&random, count: random.below(40), span: 1 + random.below(60))
            let right = Self.windows(&random, count: random.below(40), span: 1 + random.below(60))
            var expected = left
            for (start, stat) in right { expected[start, default: WindowStat()].merge(stat) }
            var merged = GroupWindows(left)
            merged.merge(GroupWindows(right))
            Self.expectEqual(merged, expected, "seed \(seed) round \(round)")
        }
    }

    @Test(
        "failures and their span over a range read from packed entries as from the windows",
        arguments: [3, 7] as [UInt64])
    func rangeQueries(seed: UInt64) {
        var random = SeededRandom(state: seed)
        for _ in 0..<100 {
            // Mixed statuses and codes make many windows spill, so both kinds of entry are read.
            let map = Self.windows(&random, count: random.below(60), span: 1 + random.below(80))
            let windows = GroupWindows(map)
            let low = Int64(random.below(100) - 50) * 30_000 - Int64(random.below(2)) * 7
            let high = low + Int64(random.below(60)) * 30_000
            let inside = map.filter { $0.key >= low && $0.key <= high }
            #expect(windows.failures(from: low, through: high) == inside.values.reduce(0) { $0 + $1.count })
            let span = windows.span(from: low, through: high)
            #expect(span?.first == inside.values.map(\.first).min())
            #expect(span?.last == inside.values.map(\.last).max())
        }
    }

    @Test(
        "flooring to a coarser window merges the windows that land together, in order", arguments: [1, 9] as [UInt64])
    func refloor(seed: UInt64) {
        var random = SeededRandom(state: seed)
        for window in Summary.windowLadder.dropFirst(5).prefix(6) {
            let map = Self.windows(&random, count: 200, span: 400)
            func floor(_ start: Int64) -> Int64 {
                start >= 0 ? start / window * window : (start - window + 1) / window * window
            }
            var expected: [Int64: WindowStat] = [:]
            for start in Self.sorted(map) { expected[floor(start), default: WindowStat()].merge(map[start]!) }
            var windows = GroupWindows(map)
            windows.refloor(floor)
            Self.expectEqual(windows, expected, "window \(window)")
            // Flooring again moves nothing: the same windows with the same totals.
            let once = windows.map { [$0.key, Int64($0.value.count), $0.value.first, $0.value.last] }
            windows.refloor(floor)
            #expect(windows.map { [$0.key, Int64($0.value.count), $0.value.first, $0.value.last] } == once)
        }
    }

    @Test("coded as the table was: alternating starts and counts, read back either way")
    func coding() throws {
        var random = SeededRandom(state: 3)
        let map = Self.windows(&random, count: 100, span: 200)
        let windows = GroupWindows(map)
        let written = try JSONEncoder().encode(windows)
        #expect(try JSONDecoder().decode([Int64: WindowStat].self, from: written) == map)
        #expect(try JSONDecoder().decode(GroupWindows.self, from: try JSONEncoder().encode(map)) == windows)
        // Written in order of start, so the same windows always give the same bytes.
        let starts = try #require(try JSONSerialization.jsonObject(with: written) as? [Any])
        let keys = stride(from: 0, to: starts.count, by: 2).map { (starts[$0] as! NSNumber).int64Value }
        #expect(keys == Self.sorted(map))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(GroupWindows.self, from: Data("[1]".utf8)) }
    }

    /// Windows a packed entry cannot hold, beside ones it can: several statuses or codes, a status past 16 bits
    /// or equal to the packing's own marker, a count past 32 bits, times outside the window, no failures at all,
    /// and more distinct codes than a group's code table keeps.
    static func outliers(_ random: inout SeededRandom) -> [Int64: WindowStat] {
        var map: [Int64: WindowStat] = [:]
        for index in 0..<200 {
            let start = Int64(index - 100) * 30_000
            var stat = WindowStat()
            switch random.below(9) {
            case 0: stat.add(start + 5, status: [70_000, -32_768, -5][random.below(3)], code: nil)
            case 1: stat.add(start - 1, status: 401, code: "before")
            case 2: stat.add(start + (1 << 33), status: 401, code: nil)
            case 3:
                stat.add(start + 7, status: 429, code: "rate_limit_exceeded")
                stat.count = Int(UInt32.max) + 1
            case 4: break
            case 5: stat.add(start + 1, status: 500, code: "code-\(index)")
            case 6:
                stat.add(start + 1, status: 401, code: "a")
                stat.add(start + 2, status: 403, code: "b")
            default: stat.add(start + Int64(random.below(30_000)), status: 401, code: random.below(2) == 0 ? nil : "a")
            }
            map[start] = stat
        }
        return map
    }

    @Test("windows that do not pack read, merge, floor and code exactly too", arguments: [1, 2, 3] as [UInt64])
    func outliers(seed: UInt64) throws {
        var random = SeededRandom(state: seed)
        let map = Self.outliers(&random)
        let windows = GroupWindows(map)
        Self.expectEqual(windows, map, "seed \(seed)")
        let other = Self.outliers(&random).merging(Self.windows(&random, count: 100, span: 400)) { first, _ in first }
        var expected = map
        for (start, stat) in other { expected[start, default: WindowStat()].merge(stat) }
        var merged = windows
        merged.merge(GroupWindows(other))
        Self.expectEqual(merged, expected, "seed \(seed), merged")
        for window in [Int64(30_000), 300_000, 86_400_000] {
            func floor(_ start: Int64) -> Int64 {
                start >= 0 ? start / window * window : (start - window + 1) / window * window
            }
            var floored: [Int64: WindowStat] = [:]
            for start in Self.sorted(expected) { floored[floor(start), default: WindowStat()].merge(expected[start]!) }
            var refloored = merged
            refloored.refloor(floor)
            Self.expectEqual(refloored, floored, "seed \(seed), window \(window)")
        }
        let decoded = try JSONDecoder().decode(GroupWindows.self, from: try JSONEncoder().encode(merged))
        #expect(decoded == merged)
    }

    @Test("an empty list merges, floors and codes as empty")
    func empty() throws {
        var windows = GroupWindows()
        windows.refloor { $0 }
        windows.merge(GroupWindows())
        #expect(windows.isEmpty && windows[0] == nil)
        #expect(try JSONDecoder().decode(GroupWindows.self, from: try JSONEncoder().encode(windows)) == windows)
    }
}

/// Groups merge capped as they go, and keep exactly what merging everything and then capping kept.
@Suite("Group cap: new groups that would be cut never go in")
struct GroupCapTests {
    static func group(_ dimension: String, _ value: String, count: Int) -> GroupStats {
        var group = GroupStats(category: .auth, cause: .invalidKey, dimension: dimension, value: value)
        group.count = count
        group.first = Int64(count)
        group.last = Int64(count)
        return group
    }

    static func groups(_ random: inout SeededRandom, count: Int, values: Int) -> [String: GroupStats] {
        var result: [String: GroupStats] = [:]
        for _ in 0..<count {
            let dimension = ["key", "org", "all"][random.below(3)]
            let value = dimension == "all" ? "" : "\(dimension)-\(random.below(values))"
            let group = group(dimension, value, count: 1 + random.below(6))
            result[GroupStats.key(group.category, group.cause, dimension, value)] = group
        }
        return result
    }

    @Test(
        "merging over the cap keeps the groups the reference keeps, and counts the same drops",
        arguments: [1, 2, 3] as [UInt64])
    func capped(seed: UInt64) {
        var random = SeededRandom(state: seed)
        var summary = Summary(windowMillis: 30_000, windowFixed: false)
        summary.groups = Self.groups(&random, count: 6_000, values: 5_000)
        let incoming = Self.groups(&random, count: 6_000, values: 5_000)
        let removed: [String: Set<String>] = ["key": Set((0..<300).map { "key-\($0 * 7)" })]

        // The reference: everything in, then the cut values' groups out, then the smallest over the cap.
        var reference = summary.groups
        for (name, group) in incoming {
            reference[name] =
                reference[name].map {
                    var g = $0; g.merge(group); return g
                } ?? group
        }
        let doomed = reference.filter { removed[$0.value.dimension]?.contains($0.value.value) == true }
        for name in doomed.keys { reference[name] = nil }
        let ranked = reference.filter { $0.value.dimension != "all" }.map { ($0.key, $0.value.count) }
            .sorted { ($0.1, $1.0) > ($1.1, $0.0) }
        for (name, _) in ranked.dropFirst(Summary.maxGroups) { reference[name] = nil }
        let drops = doomed.count + max(0, ranked.count - Summary.maxGroups)

        summary.mergeGroups(Array(incoming.values), removed: removed)
        #expect(ranked.count > Summary.maxGroups, "the test must go over the cap")
        #expect(summary.groups == reference)
        #expect(summary.dropped["groups"] == drops)
        #expect(summary.groups.values.filter { $0.dimension != "all" }.count == Summary.maxGroups)
    }
}
