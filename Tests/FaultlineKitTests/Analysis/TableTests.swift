import Testing

@testable import FaultlineKit

@Suite("The builder's tables: segmented counters, the pair map, the retry table")
struct TableTests {
    @Test(
        "a segmented array keeps every element across segment boundaries and modifies in place",
        arguments: [1, 1023, 1024, 1025, 5000])
    func segmented(count: Int) {
        var array = SegmentedArray<Int>()
        for value in 0..<count { array.append(value * 3) }
        #expect(array.count == count)
        for index in array.indices { array[index] += 1 }
        #expect(array.indices.allSatisfy { array[$0] == $0 * 3 + 1 })
    }

    @Test(
        "a segmented array's batch access changes the elements in place, as the subscript does",
        arguments: [1, 1024, 2500])
    func segmentedBatch(count: Int) {
        var array = SegmentedArray<Int>()
        var reference: [Int] = []
        for value in 0..<count {
            array.append(value)
            reference.append(value)
        }
        let touched = Array(Set(stride(from: 0, to: count, by: 7)).union([count - 1])).sorted()
        let sum = array.withElements { elements in
            var sum = 0
            for index in touched {
                elements[index] += 1_000
                sum += elements[index]
            }
            return sum
        }
        for index in touched { reference[index] += 1_000 }
        #expect(sum == touched.reduce(0) { $0 + reference[$1] })
        #expect(array.indices.map { array[$0] } == reference)
    }

    @Test("a copied segmented array is a value: writes to either, by subscript or in a batch, leave the other")
    func segmentedCopyOnWrite() {
        var original = SegmentedArray<String>()
        for value in 0..<1500 { original.append("v\(value)") }
        var copy = original
        copy[3] = "changed"
        copy.withElements { $0[1200] = "batch" }
        copy.append("more")
        #expect(original.count == 1500)
        #expect(original[3] == "v3" && original[1200] == "v1200")
        #expect(copy.count == 1501)
        #expect(copy[3] == "changed" && copy[1200] == "batch" && copy[1500] == "more")
        // And the other way round: the original, written after the copy, does not change the copy.
        original.withElements { $0[0] = "first" }
        #expect(copy[0] == "v0")
        #expect(original[0] == "first")
    }

    @Test("pairs that share their low half (one host, many keys) are all kept and counted apart")
    func pairTallies() {
        var tallies = PairTallies()
        // The pairs differ only in their high 32 bits: a mix that ignores them would still be correct but probe
        // one long run; what must hold is that every pair keeps its own counts.
        for key in 0..<20_000 {
            let pair = UInt64(key + 1) << 32 | 7
            let held = tallies.count(pair, ok: true)
            #expect(!held)
            tallies.insert(pair, ok: key % 3 != 0)
            for _ in 0..<(key % 4) {
                let counted = tallies.count(pair, ok: false)
                #expect(counted)
            }
        }
        #expect(tallies.count == 20_000)
        let absent = [UInt64(20_001) << 32 | 7, UInt64(1) << 32 | 8].map { tallies.count($0, ok: true) }
        #expect(absent == [false, false])
        var seen = 0
        tallies.forEach { pair, ok, failed in
            let key = Int(pair >> 32) - 1
            #expect(pair & 0xffff_ffff == 7)
            #expect(ok == (key % 3 != 0 ? 1 : 0))
            #expect(failed == (key % 3 != 0 ? 0 : 1) + key % 4)
            seen += 1
        }
        #expect(seen == 20_000)
    }

    @Test("a pair's count past 32 bits carries, for successes and failures alike")
    func pairTalliesCarry() {
        var tallies = PairTallies()
        tallies.insert(1 << 32 | 1, ok: true)
        var counted = [tallies.count(1 << 32 | 1, ok: false)]
        tallies.presetCounts(UInt32.max - 1)
        for _ in 0..<3 {
            counted.append(tallies.count(1 << 32 | 1, ok: true))
            counted.append(tallies.count(1 << 32 | 1, ok: false))
        }
        #expect(counted.allSatisfy { $0 })
        var counts: [(Int, Int)] = []
        tallies.forEach { _, ok, failed in counts.append((ok, failed)) }
        #expect(counts.count == 1)
        #expect(counts.first?.0 == Int(UInt32.max) - 1 + 3)
        #expect(counts.first?.1 == Int(UInt32.max) - 1 + 3)
    }

    private static func record(_ tracker: inout RetryTracker, _ id: String, _ time: Int64, ok: Bool) {
        var bytes = Array(id.utf8)
        bytes.withUnsafeMutableBytes {
            tracker.record(
                id: UnsafeRawBufferPointer($0), time: time, ok: ok, nonTransient: false, retryAfterMillis: nil)
        }
    }

    @Test("the last attempt counts although it is applied late, and finishing twice gives the same figures")
    func lastAttemptCounts() {
        var tracker = RetryTracker(capacity: 16)
        Self.record(&tracker, "a", 0, ok: false)
        Self.record(&tracker, "a", 1_000, ok: true)
        var stats = tracker.finished()
        #expect(stats.requestIDs == 1)
        #expect(stats.retried == 1)
        #expect(stats.succeededAfterRetry == 1)
        #expect(stats.gaveUp == 0)
        #expect(tracker.finished() == stats)
        // Tracking goes on after a finish: a third attempt that fails turns the chain into a give-up.
        Self.record(&tracker, "a", 3_000, ok: false)
        stats = tracker.finished()
        #expect(stats.maxAttempts == 3)
        #expect(stats.succeededAfterRetry == 0)
        #expect(stats.gaveUp == 1)
    }

    @Test("a full table forgets the oldest ID first and settles its chain once", arguments: [16, 17, 100])
    func evictionOrder(capacity: Int) {
        var tracker = RetryTracker(capacity: capacity)
        // A retried chain first, so its eviction must settle it (as a give-up) exactly once.
        Self.record(&tracker, "chain", 0, ok: false)
        Self.record(&tracker, "chain", 10, ok: false)
        for index in 0..<(capacity + 5) { Self.record(&tracker, "id-\(index)", 100 + Int64(index), ok: true) }
        // The newest ID is still remembered: a real retry.
        Self.record(&tracker, "id-\(capacity + 4)", 10_000, ok: true)
        let stats = tracker.finished()
        #expect(stats.requestIDs == capacity + 6)
        #expect(stats.evicted == 6)
        #expect(stats.retried == 2)
        #expect(stats.gaveUp == 1)
        #expect(stats.succeededAfterRetry == 1)
    }

    @Test(
        "a table that grows as IDs come gives the figures of one sized in advance",
        arguments: [(capacity: 20_000, ids: 15_000), (capacity: 6_000, ids: 25_000)])
    func growth(capacity: Int, ids: Int) {
        var growing = RetryTracker(capacity: capacity)
        var sized = RetryTracker(capacity: capacity, expected: capacity)
        var random = SeededRandom(state: UInt64(ids))
        for index in 0..<ids {
            // One ID in four is retried a few lines later, some of those past the table's growth points.
            let id = random.below(4) == 0 && index > 10 ? "id-\(index - 1 - random.below(10))" : "id-\(index)"
            let ok = random.below(3) != 0
            Self.record(&growing, id, Int64(index) * 100, ok: ok)
            Self.record(&sized, id, Int64(index) * 100, ok: ok)
        }
        let stats = growing.finished()
        #expect(stats == sized.finished())
        #expect(stats.retried > 1_000)
        #expect((stats.evicted > 0) == (ids > capacity))
    }

    @Test(
        "a tracker on a spent tracker's storage remembers none of its IDs and counts as a fresh one",
        arguments: [(capacity: 20_000, expected: 20_000), (capacity: 6_000, expected: nil)])
    func reusedStorage(capacity: Int, expected: Int?) {
        // The same sequence of IDs for the first and the later trackers: an ID left in the table would count as
        // a retry there and not in a fresh tracker.
        func feed(_ tracker: inout RetryTracker, seed: UInt64) {
            var random = SeededRandom(state: seed)
            for index in 0..<25_000 {
                let id = random.below(4) == 0 && index > 10 ? "id-\(index - 1 - random.below(10))" : "id-\(index)"
                Self.record(&tracker, id, Int64(index) * 100, ok: random.below(3) != 0)
            }
        }
        var first = RetryTracker(capacity: capacity, expected: expected)
        feed(&first, seed: 7)
        let firstStats = first.finished()
        var reused = RetryTracker(capacity: capacity, expected: expected, reusing: first.releaseStorage())
        feed(&reused, seed: 7)
        #expect(reused.finished() == firstStats)
        // Once more, with a different sequence, against a fresh tracker fed the same.
        var again = RetryTracker(capacity: capacity, expected: expected, reusing: reused.releaseStorage())
        var fresh = RetryTracker(capacity: capacity, expected: expected)
        feed(&again, seed: 11)
        feed(&fresh, seed: 11)
        #expect(again.finished() == fresh.finished())
        #expect(firstStats.retried > 1_000)
    }

    @Test("packed entries keep flags, counts and gaps apart, at the edges of time and attempts")
    func packedEntries() {
        #expect(RetryTracker.entryStride == 24)
        var tracker = RetryTracker(capacity: 64)
        // A chain with retry-after that is not honoured: flagged without backoff, then succeeding.
        var id = Array("with-retry-after".utf8)
        id.withUnsafeMutableBytes {
            let bytes = UnsafeRawBufferPointer($0)
            tracker.record(id: bytes, time: 1_000, ok: false, nonTransient: false, retryAfterMillis: 5_000)
            tracker.record(id: bytes, time: 2_000, ok: true, nonTransient: false, retryAfterMillis: nil)
        }
        // A non-transient failure retried: counted once however often it repeats.
        id = Array("non-transient".utf8)
        id.withUnsafeMutableBytes {
            for attempt in 0..<3 {
                tracker.record(
                    id: UnsafeRawBufferPointer($0), time: Int64(attempt) * 60_000, ok: false, nonTransient: true,
                    retryAfterMillis: nil)
            }
        }
        // Times past 48 bits (year 9999 and before year 0) are clamped, not wrapped into each other.
        Self.record(&tracker, "far", 253_402_300_799_000, ok: false)
        Self.record(&tracker, "far", -62_135_596_800_000, ok: false)
        // A chain past 16 bits of attempts stops counting at 65,535 rather than wrap (and count as retried again).
        for attempt in 0..<70_000 { Self.record(&tracker, "storm", Int64(attempt) * 1_000, ok: false) }
        let stats = tracker.finished()
        #expect(stats.requestIDs == 4)
        #expect(stats.retried == 4)
        #expect(stats.retriedWithoutBackoff == 3)
        #expect(stats.retriedNonTransient == 1)
        #expect(stats.succeededAfterRetry == 1)
        #expect(stats.gaveUp == 3)
        #expect(stats.maxAttempts == 65_535)
    }
}
