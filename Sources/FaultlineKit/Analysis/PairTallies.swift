import CZlib

/// Successes and failures per pair of 32-bit ids (a key and a host), by open addressing, for a count per line that
/// must not pay for `Hasher`.
///
/// Each slot holds its pair and both counts, 16 bytes: a line's count touches one cache line. A table of pairs
/// beside a table of positions into a list of counts touched three, each a cache miss on a long log (a tenth of
/// all time spent counting a line).
struct PairTallies: Sendable {
    private struct Slot: Sendable {
        /// The pair, nonzero; 0 marks an empty slot.
        var pair: UInt64
        var ok: UInt32
        var failed: UInt32
    }

    private var slots: [Slot]
    private var mask: Int
    /// Pairs held.
    private(set) var count = 0
    /// What counts carried past 32 bits, by pair: empty unless one pair passed 4 billion requests in one piece.
    private var carried: [UInt64: (ok: Int, failed: Int)] = [:]

    /// A table with room for `capacity` pairs before it grows.
    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: Slot(pair: 0, ok: 0, failed: 0), count: size)
        mask = size - 1
    }

    /// A full 64-bit finalizer (murmur3's fmix64): every pair bit reaches the low bits the mask keeps.
    /// A multiply alone leaves the low bits blind to a pair's high half, and a key's pairs with
    /// one host then probe one long run.
    @inline(__always)
    private static func mix(_ pair: UInt64) -> Int {
        var hash = pair
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash &*= 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return Int(truncatingIfNeeded: hash)
    }

    /// Asks the CPU to load `pair`'s home slot, so the count that follows does not wait for memory.
    @inline(__always)
    func prefetch(_ pair: UInt64) {
        slots.withUnsafeBufferPointer { faultline_prefetch($0.baseAddress! + (Self.mix(pair) & mask)) }
    }

    /// Counts one outcome of `pair` (which must not be 0) if the table holds it; false when it does not.
    @inline(__always)
    mutating func count(_ pair: UInt64, ok: Bool) -> Bool {
        let mask = mask
        let wrapped: Bool? = slots.withUnsafeMutableBufferPointer { slots in
            var index = Self.mix(pair) & mask
            while true {
                let found = slots[index].pair
                if found == pair {
                    if ok {
                        slots[index].ok &+= 1
                        return slots[index].ok == 0
                    }
                    slots[index].failed &+= 1
                    return slots[index].failed == 0
                }
                if found == 0 { return nil }
                index = (index + 1) & mask
            }
        }
        guard let wrapped else { return false }
        if wrapped { carry(pair, ok: ok) }
        return true
    }

    /// Adds `pair` (which must not be 0, nor held yet) with one outcome.
    mutating func insert(_ pair: UInt64, ok: Bool) {
        if (count + 1) * 2 > slots.count { grow() }
        place(Slot(pair: pair, ok: ok ? 1 : 0, failed: ok ? 0 : 1))
        count += 1
    }

    /// Calls `body` with every pair and its counts, in no particular order.
    ///
    /// Walks the table in place: a list of all entries, made to be filtered, was 1.6 MB of a long log's peak.
    func forEach(_ body: (_ pair: UInt64, _ ok: Int, _ failed: Int) throws -> Void) rethrows {
        for slot in slots where slot.pair != 0 {
            let carry = carried[slot.pair]
            try body(slot.pair, Int(slot.ok) + (carry?.ok ?? 0), Int(slot.failed) + (carry?.failed ?? 0))
        }
    }

    /// Sets every count above zero to `value`, so a test reaches a 32-bit wrap in a few lines.
    mutating func presetCounts(_ value: UInt32) {
        for index in slots.indices where slots[index].pair != 0 {
            if slots[index].ok > 0 { slots[index].ok = value }
            if slots[index].failed > 0 { slots[index].failed = value }
        }
    }

    @inline(never)
    private mutating func carry(_ pair: UInt64, ok: Bool) {
        if ok { carried[pair, default: (0, 0)].ok += 1 << 32 } else { carried[pair, default: (0, 0)].failed += 1 << 32 }
    }

    private mutating func place(_ slot: Slot) {
        var index = Self.mix(slot.pair) & mask
        while slots[index].pair != 0 { index = (index + 1) & mask }
        slots[index] = slot
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(pair: 0, ok: 0, failed: 0), count: old.count * 2)
        mask = slots.count - 1
        for slot in old where slot.pair != 0 { place(slot) }
    }
}
