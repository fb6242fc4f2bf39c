/// Follows attempts that share a request ID, remembering only recent IDs so memory stays bounded.
///
/// IDs are kept as 64-bit hashes in an open-addressing table with a ring of insertion order: when
/// the ring is full the oldest ID is forgotten (and counted), as SDK retries come within seconds.
struct RetryTracker: Sendable {
    private struct Entry: Sendable {
        var hash: UInt64 = 0
        var lastTime: Int64 = 0
        var lastGap: Int64 = -1
        var retryAfter: Int64 = -1
        var attempts: UInt16 = 0
        var lastOK = false
        var lastNonTransient = false
        var nonTransient = false
        var noBackoff = false
    }

    /// Slots of `entries`; -1 empty.
    private var slots: [Int32]
    private var entries: [Entry] = []
    /// Entry indices in insertion order, as a ring once full.
    private var ring: [Int32] = []
    private var next = 0
    private let mask: Int
    private(set) var stats = RetryStats()
    let capacity: Int

    init(capacity: Int = 1 << 18) {
        self.capacity = max(capacity, 16)
        var size = 16
        while size < self.capacity * 2 { size <<= 1 }
        mask = size - 1
        slots = Array(repeating: -1, count: size)
    }

    @inline(__always)
    private func slot(of hash: UInt64) -> (slot: Int, found: Bool) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = slots[slot]
            if index < 0 { return (slot, false) }
            if entries[Int(index)].hash == hash { return (slot, true) }
            slot = (slot + 1) & mask
        }
    }

    /// Records one attempt.
    mutating func record(
        id: UnsafeRawBufferPointer, time: Int64, ok: Bool, nonTransient: Bool, retryAfterMillis: Int64?
    ) {
        let hash = ByteInterner.hash(id) | 1
        let (position, found) = slot(of: hash)
        if found {
            let index = Int(slots[position])
            var entry = entries[index]
            entry.attempts &+= 1
            if entry.attempts == 2 { stats.retried += 1 }
            stats.maxAttempts = max(stats.maxAttempts, Int(entry.attempts))
            let gap = time - entry.lastTime
            if !entry.lastOK && entry.lastNonTransient && !entry.nonTransient {
                entry.nonTransient = true
                stats.retriedNonTransient += 1
            }
            if !entry.noBackoff && !entry.lastOK {
                let tooSoon = entry.retryAfter >= 0 && gap < entry.retryAfter
                let notGrowing = entry.lastGap >= 0 && gap <= entry.lastGap
                if tooSoon || notGrowing {
                    entry.noBackoff = true
                    stats.retriedWithoutBackoff += 1
                }
            }
            entry.lastGap = gap
            entry.lastTime = time
            entry.lastOK = ok
            entry.lastNonTransient = nonTransient
            entry.retryAfter = retryAfterMillis ?? -1
            entries[index] = entry
            return
        }
        stats.requestIDs += 1
        stats.maxAttempts = max(stats.maxAttempts, 1)
        let fresh = Entry(
            hash: hash, lastTime: time, retryAfter: retryAfterMillis ?? -1, attempts: 1, lastOK: ok,
            lastNonTransient: nonTransient)
        if entries.count < capacity {
            entries.append(fresh)
            let index = Int32(entries.count - 1)
            slots[position] = index
            ring.append(index)
            return
        }
        // Full: reuse the oldest entry's storage for the new ID.
        let index = Int(ring[next])
        next = (next + 1) % capacity
        settle(entries[index])
        stats.evicted += 1
        remove(hash: entries[index].hash)
        entries[index] = fresh
        slots[slot(of: hash).slot] = Int32(index)
    }

    /// Deletes a hash from the table, shifting later entries of its probe run back (no tombstones).
    private mutating func remove(hash: UInt64) {
        var (hole, found) = slot(of: hash)
        guard found else { return }
        slots[hole] = -1
        var probe = (hole + 1) & mask
        while slots[probe] >= 0 {
            let home = Int(truncatingIfNeeded: entries[Int(slots[probe])].hash) & mask
            // Move the entry into the hole if its home is not in (hole, probe].
            let distanceToProbe = (probe - home) & mask
            let distanceToHole = (hole - home) & mask
            if distanceToHole < distanceToProbe {
                slots[hole] = slots[probe]
                slots[probe] = -1
                hole = probe
            }
            probe = (probe + 1) & mask
        }
    }

    private mutating func settle(_ entry: Entry) {
        guard entry.attempts > 1 else { return }
        if entry.lastOK { stats.succeededAfterRetry += 1 } else { stats.gaveUp += 1 }
    }

    /// The statistics, with every open chain settled.
    func finished() -> RetryStats {
        var copy = self
        for entry in entries { copy.settle(entry) }
        return copy.stats
    }
}
