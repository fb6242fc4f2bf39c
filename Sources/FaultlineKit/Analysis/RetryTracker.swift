/// Follows attempts that share a request ID, remembering only recent IDs so memory stays bounded.
struct RetryTracker: Sendable {
    private struct Entry: Sendable {
        var lastTime: Int64
        var lastGap: Int64 = -1
        var retryAfter: Int64 = -1
        var attempts: UInt16 = 1
        var lastOK: Bool
        var lastNonTransient: Bool
        var nonTransient = false
        var noBackoff = false
    }

    private var entries: [UInt64: Entry] = [:]
    private var order: [UInt64]
    private var next = 0
    private(set) var stats = RetryStats()
    let capacity: Int

    init(capacity: Int = 1 << 18) {
        self.capacity = max(capacity, 16)
        order = []
        order.reserveCapacity(min(self.capacity, 1 << 16))
    }

    /// Records one attempt.
    mutating func record(
        id: UnsafeRawBufferPointer, time: Int64, ok: Bool, nonTransient: Bool, retryAfterMillis: Int64?
    ) {
        let hash = ByteInterner.hash(id) &* 0x9e37_79b9_7f4a_7c15 ^ UInt64(id.count)
        if var entry = entries[hash] {
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
            entries[hash] = entry
            return
        }
        stats.requestIDs += 1
        stats.maxAttempts = max(stats.maxAttempts, 1)
        if order.count == capacity {
            let old = order[next]
            if let evicted = entries.removeValue(forKey: old) {
                stats.evicted += 1
                settle(evicted)
            }
            order[next] = hash
            next = (next + 1) % capacity
        } else {
            order.append(hash)
        }
        entries[hash] = Entry(
            lastTime: time, retryAfter: retryAfterMillis ?? -1, lastOK: ok, lastNonTransient: nonTransient)
    }

    private mutating func settle(_ entry: Entry) {
        guard entry.attempts > 1 else { return }
        if entry.lastOK { stats.succeededAfterRetry += 1 } else { stats.gaveUp += 1 }
    }

    /// The statistics, with every open chain settled.
    func finished() -> RetryStats {
        var copy = self
        for entry in entries.values { copy.settle(entry) }
        return copy.stats
    }
}
