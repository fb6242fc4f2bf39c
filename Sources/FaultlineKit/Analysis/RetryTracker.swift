import CZlib

/// Follows attempts that share a request ID, remembering only recent IDs so memory stays bounded.
///
/// IDs are kept as 64-bit hashes in an open-addressing table that holds the entries themselves, so a
/// lookup costs one cache miss, not two; a ring of hashes keeps insertion order, and once it is full the
/// oldest ID is forgotten (and counted), as SDK retries come within seconds. Each attempt is applied one
/// call late, after its slots were prefetched, so the parse of the next line hides the memory wait.
struct RetryTracker: Sendable {
    /// An attempt waiting for its slot's cache line.
    private struct Attempt: Sendable {
        var hash: UInt64
        var time: Int64
        var retryAfter: Int32
        var ok: Bool
        var nonTransient: Bool
    }

    /// 24 bytes, packed: the two tables being filled at once were the largest thing in a run's memory, and
    /// 32-byte entries made each 8 MB. Gaps and `retry-after` fit 32 bits of milliseconds (24 days).
    fileprivate struct Entry: Sendable {
        /// The ID's hash, bit 0 set so that 0 marks an empty slot, with the flags in bits 1-4 (the hash is made
        /// with them clear; the home slot comes from bits 7 and up).
        private var taggedHash: UInt64 = 0
        /// The last attempt's time (signed milliseconds, clamped to 48 bits: ±4,000 years) in the low 48 bits,
        /// the attempts in the high 16.
        private var timeAndAttempts: UInt64 = 0
        var lastGap: Int32 = -1
        var retryAfter: Int32 = -1

        static let lastOK: UInt64 = 1 << 1
        static let lastNonTransient: UInt64 = 1 << 2
        static let nonTransient: UInt64 = 1 << 3
        static let noBackoff: UInt64 = 1 << 4
        static let flagBits: UInt64 = 0b1_1110
        private static let timeBits: UInt64 = (1 << 48) - 1
        private static let timeLimit: Int64 = (1 << 47) - 1

        init() {}

        init(hash: UInt64, lastTime: Int64, retryAfter: Int32) {
            taggedHash = hash
            self.retryAfter = retryAfter
            self.lastTime = lastTime
            attempts = 1
        }

        /// A hash as the table keeps it: bit 0 set, the flag bits clear.
        @inline(__always)
        static func key(_ hash: UInt64) -> UInt64 { (hash | 1) & ~flagBits }

        /// The ID's key (`key(_:)`), or 0 for an empty slot.
        @inline(__always)
        var hash: UInt64 { taggedHash & ~Self.flagBits }

        var lastTime: Int64 {
            @inline(__always) get { Int64(bitPattern: timeAndAttempts << 16) >> 16 }
            set {
                let clamped = min(max(newValue, -Self.timeLimit), Self.timeLimit)
                timeAndAttempts = timeAndAttempts & ~Self.timeBits | UInt64(bitPattern: clamped) & Self.timeBits
            }
        }

        var attempts: UInt16 {
            @inline(__always) get { UInt16(truncatingIfNeeded: timeAndAttempts >> 48) }
            set { timeAndAttempts = timeAndAttempts & Self.timeBits | UInt64(newValue) << 48 }
        }

        @inline(__always)
        func has(_ flag: UInt64) -> Bool { taggedHash & flag != 0 }

        @inline(__always)
        mutating func set(_ flag: UInt64, _ on: Bool) {
            taggedHash = on ? taggedHash | flag : taggedHash & ~flag
        }
    }

    private var table: [Entry]
    /// An entry's size in the table, for the tests.
    static let entryStride = MemoryLayout<Entry>.stride
    private var pending: Attempt?
    /// The hashes of remembered IDs in insertion order, as a ring once full.
    private var ring: [UInt64] = []
    private var next = 0
    private var mask: Int
    /// The table's size once `capacity` IDs are held (at most half full).
    private let fullSize: Int
    private(set) var stats = RetryStats()
    let capacity: Int

    /// A finished tracker's table and ring, for a worker's next piece.
    ///
    /// Every piece made a fresh table of 6 MB, which the kernel faulted in and zeroed a page at a time: half
    /// of a 1 GB run's page faults. Cleared in place, the same pages serve every piece.
    struct Storage: Sendable {
        fileprivate var table: [Entry]
        fileprivate var ring: [UInt64]
    }

    /// A tracker remembering up to `capacity` IDs, its table sized at first for about `expected` of them, in
    /// `storage`'s memory when it is given and large enough.
    ///
    /// The table grows with the IDs seen, so a small input does not pay for the 8 MB a full one needs; a
    /// large one, told so, starts at full size rather than grow (and rehash) six times.
    init(capacity: Int = 1 << 18, expected: Int? = nil, reusing storage: consuming Storage? = nil) {
        self.capacity = max(capacity, 16)
        var size = 16
        while size < self.capacity * 2 { size <<= 1 }
        fullSize = size
        var initial = 1 << 12
        while initial < size && initial < 2 * (expected ?? 0) { initial <<= 1 }
        initial = min(initial, size)
        // Where an ID's slot is depends on the table's size, and what is counted does not: a reused table may be
        // larger than this piece would have started with. Swapped out of the storage, not copied: a second
        // reference to the arrays would make clearing them copy them.
        table = []
        if var reused = storage.take(), reused.table.count >= initial && reused.table.count <= size {
            swap(&table, &reused.table)
            swap(&ring, &reused.ring)
            table.withUnsafeMutableBufferPointer { $0.update(repeating: Entry()) }
            ring.removeAll(keepingCapacity: true)
        } else {
            table = Self.makeTable(initial)
            ring.reserveCapacity(min(self.capacity, expected ?? 0))
        }
        mask = table.count - 1
    }

    /// Gives up the table and ring for another tracker; this one is left empty, remembering nothing.
    mutating func releaseStorage() -> Storage {
        let storage = Storage(table: table, ring: ring)
        table = [Entry()]
        ring = []
        mask = 0
        next = 0
        pending = nil
        return storage
    }

    /// An empty table of `count` slots, on huge pages where it spans them.
    private static func makeTable(_ count: Int) -> [Entry] {
        [Entry](unsafeUninitializedCapacity: count) { buffer, initialized in
            faultline_advise_huge_pages(buffer.baseAddress!, count * MemoryLayout<Entry>.stride)
            buffer.initialize(repeating: Entry())
            initialized = count
        }
    }

    /// Doubles the table, placing every entry again under the wider mask.
    private mutating func grow() {
        var grown = Self.makeTable(table.count * 2)
        let wider = grown.count - 1
        for entry in table where entry.hash != 0 {
            var slot = Int(truncatingIfNeeded: entry.hash >> 7) & wider
            while grown[slot].hash != 0 { slot = (slot + 1) & wider }
            grown[slot] = entry
        }
        table = grown
        mask = wider
    }

    @inline(__always)
    private static func clamp(_ millis: Int64) -> Int32 {
        Int32(clamping: millis)
    }

    /// The slot of `hash`, or the empty slot where it would go.
    @inline(__always)
    private func slot(of hash: UInt64) -> (slot: Int, found: Bool) {
        var slot = home(hash)
        while true {
            let stored = table[slot].hash
            if stored == hash { return (slot, true) }
            if stored == 0 { return (slot, false) }
            slot = (slot + 1) & mask
        }
    }

    @inline(__always)
    private func home(_ hash: UInt64) -> Int {
        Int(truncatingIfNeeded: hash >> 7) & mask
    }

    /// Records one attempt (applied at the next call or in `finished`).
    mutating func record(
        id: UnsafeRawBufferPointer, time: Int64, ok: Bool, nonTransient: Bool, retryAfterMillis: Int64?
    ) {
        let hash = Entry.key(ByteInterner.hash(id))
        table.withUnsafeBufferPointer { table in
            faultline_prefetch(table.baseAddress! + home(hash))
            // The ID this attempt would evict, once the waiting one has taken the oldest.
            if ring.count == capacity {
                // A compare, not `%`: a division per line cost more than the prefetch saved.
                faultline_prefetch(table.baseAddress! + home(ring[next + 1 == capacity ? 0 : next + 1]))
            }
        }
        if let pending { apply(pending) }
        pending = Attempt(
            hash: hash, time: time, retryAfter: retryAfterMillis.map(Self.clamp) ?? -1, ok: ok,
            nonTransient: nonTransient)
    }

    private mutating func apply(_ attempt: Attempt) {
        let hash = attempt.hash
        let time = attempt.time
        let ok = attempt.ok
        let nonTransient = attempt.nonTransient
        let retryAfter = attempt.retryAfter
        let (position, found) = slot(of: hash)
        if found {
            var entry = table[position]
            // Saturating: a wrapped count would count the chain as retried again and shrink `max_attempts`.
            if entry.attempts < .max { entry.attempts += 1 }
            if entry.attempts == 2 { stats.retried += 1 }
            stats.maxAttempts = max(stats.maxAttempts, Int(entry.attempts))
            let gap = Self.clamp(time &- entry.lastTime)
            if !entry.has(Entry.lastOK) && entry.has(Entry.lastNonTransient) && !entry.has(Entry.nonTransient) {
                entry.set(Entry.nonTransient, true)
                stats.retriedNonTransient += 1
            }
            if !entry.has(Entry.noBackoff) && !entry.has(Entry.lastOK) {
                let tooSoon = entry.retryAfter >= 0 && gap < entry.retryAfter
                let notGrowing = entry.lastGap >= 0 && gap <= entry.lastGap
                if tooSoon || notGrowing {
                    entry.set(Entry.noBackoff, true)
                    stats.retriedWithoutBackoff += 1
                }
            }
            entry.lastGap = gap
            entry.lastTime = time
            entry.set(Entry.lastOK, ok)
            entry.set(Entry.lastNonTransient, nonTransient)
            entry.retryAfter = retryAfter
            table[position] = entry
            return
        }
        stats.requestIDs += 1
        stats.maxAttempts = max(stats.maxAttempts, 1)
        var fresh = Entry(hash: hash, lastTime: time, retryAfter: retryAfter)
        fresh.set(Entry.lastOK, ok)
        fresh.set(Entry.lastNonTransient, nonTransient)
        if ring.count < capacity {
            table[position] = fresh
            ring.append(hash)
            if ring.count * 2 > table.count && table.count < fullSize { grow() }
            return
        }
        // Full: forget the oldest ID, then place the new one (the removal may have moved its slot).
        let oldest = ring[next]
        ring[next] = hash
        next = next + 1 == capacity ? 0 : next + 1
        stats.evicted += 1
        remove(hash: oldest)
        table[slot(of: hash).slot] = fresh
    }

    /// Deletes a hash from the table, settling its chain and shifting later entries of its probe run back
    /// (no tombstones).
    private mutating func remove(hash: UInt64) {
        var (hole, found) = slot(of: hash)
        guard found else { return }
        Self.settle(table[hole], into: &stats)
        table[hole] = Entry()
        var probe = (hole + 1) & mask
        while table[probe].hash != 0 {
            let home = home(table[probe].hash)
            // Move the entry into the hole if its home is not in (hole, probe].
            let distanceToProbe = (probe - home) & mask
            let distanceToHole = (hole - home) & mask
            if distanceToHole < distanceToProbe {
                table[hole] = table[probe]
                table[probe] = Entry()
                hole = probe
            }
            probe = (probe + 1) & mask
        }
    }

    private static func settle(_ entry: Entry, into stats: inout RetryStats) {
        guard entry.attempts > 1 else { return }
        if entry.has(Entry.lastOK) { stats.succeededAfterRetry += 1 } else { stats.gaveUp += 1 }
    }

    /// The statistics, with every open chain settled (the chains stay open: tracking can go on).
    ///
    /// Mutating only to apply the waiting attempt in place: a copy would duplicate the whole table.
    mutating func finished() -> RetryStats {
        if let pending {
            apply(pending)
            self.pending = nil
        }
        var result = stats
        for entry in table where entry.hash != 0 { Self.settle(entry, into: &result) }
        return result
    }
}
