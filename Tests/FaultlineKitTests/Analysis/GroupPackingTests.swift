import Foundation
import Testing

@testable import FaultlineKit

/// The reference a group's packed tallies replace: five dictionaries, capped as `GroupStats` capped them.
struct ReferenceTallies: Equatable {
    var statuses: [Int: Int] = [:]
    var tables: [GroupTallies.Kind: [String: Int]] = [:]

    static func bump(_ map: inout [String: Int], _ key: String, by count: Int, cap: Int) {
        if map[key] != nil || map.count < cap {
            map[key, default: 0] += count
        } else {
            map["(other)", default: 0] += count
        }
    }

    mutating func add(_ kind: GroupTallies.Kind, _ name: String, by count: Int, cap: Int) {
        Self.bump(&tables[kind, default: [:]], name, by: count, cap: cap)
    }

    mutating func merge(_ other: ReferenceTallies, cap: Int) {
        for (status, count) in other.statuses { statuses[status, default: 0] += count }
        for (kind, table) in other.tables {
            for (name, count) in table.sorted(by: { $0.key < $1.key }) {
                add(kind, name, by: count, cap: kind == .evidence ? .max : cap)
            }
        }
    }

    func matches(_ tallies: GroupTallies) -> Bool {
        guard tallies.statuses == statuses else { return false }
        for kind in [GroupTallies.Kind.code, .type, .agent, .evidence] where tallies[kind] != tables[kind] ?? [:] {
            return false
        }
        return true
    }
}

@Suite("Group tallies: one sorted list that counts as the five capped tables did")
struct GroupTalliesTests {
    static let names = ["invalid_api_key", "rate_limit_exceeded", "(other)", "", "ünï", "a", "b", "c", "d", "e"]
    static let kinds: [GroupTallies.Kind] = [.code, .type, .agent, .evidence]

    /// Random counts of a few statuses and names, with a small cap so it is reached.
    static func fill(_ random: inout SeededRandom, count: Int, cap: Int) -> (GroupTallies, ReferenceTallies) {
        var tallies = GroupTallies()
        var reference = ReferenceTallies()
        for _ in 0..<count {
            let amount = 1 + random.below(3)
            if random.below(3) == 0 {
                let status = [200, 401, 429, 500, -1, 70_000, Int.max][random.below(7)]
                tallies.add(status: status, by: amount)
                reference.statuses[status, default: 0] += amount
            } else {
                let kind = kinds[random.below(kinds.count)]
                let name = names[random.below(names.count)]
                let limit = kind == .evidence ? Int.max : cap
                tallies.add(kind, name, by: amount, cap: limit)
                reference.add(kind, name, by: amount, cap: limit)
            }
        }
        return (tallies, reference)
    }

    @Test("adding counts as the capped tables, (other) included", arguments: [1, 2, 3] as [UInt64])
    func add(seed: UInt64) {
        var random = SeededRandom(state: seed)
        for round in 0..<100 {
            let (tallies, reference) = Self.fill(&random, count: random.below(60), cap: 1 + random.below(6))
            #expect(reference.matches(tallies), "seed \(seed) round \(round)")
        }
    }

    @Test("merging counts as the tables merged in name order", arguments: [4, 5, 6] as [UInt64])
    func merge(seed: UInt64) {
        var random = SeededRandom(state: seed)
        for round in 0..<100 {
            let cap = 1 + random.below(6)
            var (left, leftReference) = Self.fill(&random, count: random.below(40), cap: cap)
            let (right, rightReference) = Self.fill(&random, count: random.below(40), cap: cap)
            left.merge(right, cap: cap)
            leftReference.merge(rightReference, cap: cap)
            #expect(leftReference.matches(left), "seed \(seed) round \(round)")
        }
    }

    @Test("equal tables are equal lists, whatever order they were counted or set in")
    func equality() {
        var forward = GroupTallies()
        var backward = GroupTallies()
        for (index, name) in Self.names.enumerated() {
            forward.add(.code, name, by: index)
            forward.add(status: index, by: 1)
        }
        for (index, name) in Self.names.enumerated().reversed() {
            backward.add(status: index, by: 1)
            backward.add(.code, name, by: index)
        }
        #expect(forward == backward)
        var set = GroupTallies()
        set[.code] = forward[.code]
        set.statuses = forward.statuses
        #expect(set == forward)
        set[.agent] = ["curl/8": 2]
        #expect(set != forward && set[.agent] == ["curl/8": 2] && set[.code] == forward[.code])
        set[.agent] = [:]
        #expect(set == forward)
    }
}

/// The reference packed samples replace: two lists of strings, added to and merged as `GroupStats` did.
struct ReferenceSamples: Equatable {
    var first: [String] = []
    var last: [String] = []

    mutating func add(_ id: String, cap: Int) {
        if first.count < cap {
            first.append(id)
            return
        }
        if last.count == cap { last.removeFirst() }
        last.append(id)
    }

    mutating func merge(_ other: ReferenceSamples, otherBeganFirst: Bool, otherEndedFirst: Bool, cap: Int) {
        let mine = first + last
        let theirs = other.first + other.last
        let byFirst = otherBeganFirst ? theirs + mine : mine + theirs
        let byLast = otherEndedFirst ? theirs + mine : mine + theirs
        let known = mine.count + theirs.count
        let full = last.count == cap || other.last.count == cap
        let lastCount = full ? cap : min(cap, max(0, known - cap))
        first = Array(byFirst.prefix(cap))
        last = Array(byLast.suffix(lastCount))
    }
}

@Suite("Request ID samples: one buffer that keeps what the two lists kept")
struct RequestIDSamplesTests {
    static let ids = [
        "req_011CbgwX4s0sKwnTpNrTpmfS", "req_6bc126e707c3f246375dfd7b1f27fe47", "", "x", "ünïcødé ☃",
        String(repeating: "y", count: 127), String(repeating: "z", count: 128), String(repeating: "w", count: 20_000),
        "with\u{0}nul",
    ]

    static func add(_ id: String, to samples: inout RequestIDSamples, cap: Int) {
        var id = id
        id.withUTF8 { samples.add(UnsafeRawBufferPointer($0), cap: cap) }
    }

    static func expectSame(_ samples: RequestIDSamples, _ reference: ReferenceSamples, _ context: String) {
        #expect(samples.first == reference.first, "\(context)")
        #expect(samples.last == reference.last, "\(context)")
        #expect(samples.firstCount == reference.first.count && samples.lastCount == reference.last.count)
        // One form for the same lists: built from them, or added to one by one.
        #expect(samples == RequestIDSamples(first: reference.first, last: reference.last), "\(context)")
    }

    static func fill(_ random: inout SeededRandom, count: Int, cap: Int) -> (RequestIDSamples, ReferenceSamples) {
        var samples = RequestIDSamples()
        var reference = ReferenceSamples()
        for _ in 0..<count {
            let id = ids[random.below(ids.count)] + String(random.below(1000))
            add(id, to: &samples, cap: cap)
            reference.add(id, cap: cap)
        }
        return (samples, reference)
    }

    @Test("adding keeps the first and the latest IDs, as the lists did", arguments: [1, 2] as [UInt64])
    func add(seed: UInt64) {
        var random = SeededRandom(state: seed)
        for round in 0..<100 {
            let (samples, reference) = Self.fill(&random, count: random.below(20), cap: 1 + random.below(4))
            Self.expectSame(samples, reference, "seed \(seed) round \(round)")
            var shrunk = samples
            shrunk.shrink()
            #expect(shrunk == samples)
        }
    }

    @Test("merging keeps what the lists' merge kept, in every order", arguments: [3, 4] as [UInt64])
    func merge(seed: UInt64) {
        var random = SeededRandom(state: seed)
        for round in 0..<200 {
            let cap = 1 + random.below(4)
            var (left, leftReference) = Self.fill(&random, count: random.below(12), cap: cap)
            let (right, rightReference) = Self.fill(&random, count: random.below(12), cap: cap)
            let began = random.below(2) == 0
            let ended = random.below(2) == 0
            left.merge(right, otherBeganFirst: began, otherEndedFirst: ended, cap: cap)
            leftReference.merge(rightReference, otherBeganFirst: began, otherEndedFirst: ended, cap: cap)
            Self.expectSame(left, leftReference, "seed \(seed) round \(round)")
        }
    }

    @Test("lists of any length, as a summary file may hold, read back as they were")
    func anyLists() {
        let many = (0..<300).map { "req_\($0)" }
        for (first, last) in [([], []), ([], ["only_last"]), (many, []), (Array(many.prefix(2)), many)] {
            let samples = RequestIDSamples(first: first, last: last)
            #expect(samples.first == first && samples.last == last)
            var reference = ReferenceSamples(first: first, last: last)
            var added = samples
            Self.add("req_new", to: &added, cap: 3)
            reference.add("req_new", cap: 3)
            Self.expectSame(added, reference, "\(first.count) + \(last.count)")
        }
        #expect(RequestIDSamples(first: [], last: []) == RequestIDSamples())
    }

    @Test("a group's request IDs and tables read and write through the packed forms")
    func groupFields() {
        var group = GroupStats(category: .auth, cause: .invalidKey, dimension: "key", value: "k")
        group.firstRequestIDs = ["a", "b"]
        group.lastRequestIDs = ["c"]
        group.firstRequestIDs.append("d")
        #expect(group.firstRequestIDs == ["a", "b", "d"] && group.lastRequestIDs == ["c"])
        group.byStatus[401, default: 0] += 2
        group.errorCodes["invalid_api_key"] = 2
        group.evidence = ["code": 2]
        #expect(group.byStatus == [401: 2] && group.errorCodes == ["invalid_api_key": 2])
        #expect(group.evidence == ["code": 2] && group.userAgents.isEmpty && group.errorTypes.isEmpty)
    }
}
