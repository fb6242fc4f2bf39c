/// A map from nonzero 64-bit keys to 32-bit values, open addressing, for per-line lookups that must not
/// pay for `Hasher` (the keys are combined ids, mixed here).
struct IntMap: Sendable {
    private var keys: [UInt64]
    private var values: [Int32]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: 0, count: size)
        values = Array(repeating: 0, count: size)
        mask = size - 1
    }

    /// A full 64-bit finalizer (murmur3's fmix64): every key bit reaches the low bits the mask keeps.
    /// A multiply alone leaves the low bits blind to a combined key's high half, and a key's pairs with
    /// one host then probe one long run.
    @inline(__always)
    private static func mix(_ key: UInt64) -> Int {
        var hash = key
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash &*= 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return Int(truncatingIfNeeded: hash)
    }

    /// The value of `key` (which must not be 0), or nil.
    @inline(__always)
    func get(_ key: UInt64) -> Int32? {
        var slot = Self.mix(key) & mask
        while true {
            let found = keys[slot]
            if found == key { return values[slot] }
            if found == 0 { return nil }
            slot = (slot + 1) & mask
        }
    }

    /// Sets the value of `key` (which must not be 0).
    mutating func set(_ key: UInt64, _ value: Int32) {
        if (count + 1) * 2 > keys.count { grow() }
        var slot = Self.mix(key) & mask
        while true {
            let found = keys[slot]
            if found == key {
                values[slot] = value
                return
            }
            if found == 0 {
                keys[slot] = key
                values[slot] = value
                count += 1
                return
            }
            slot = (slot + 1) & mask
        }
    }

    /// Calls `body` with every entry, in no particular order.
    ///
    /// Walks the table in place: a list of all entries, made to be filtered, was 1.6 MB of a long log's peak.
    func forEach(_ body: (_ key: UInt64, _ value: Int32) throws -> Void) rethrows {
        for slot in keys.indices where keys[slot] != 0 { try body(keys[slot], values[slot]) }
    }

    private mutating func grow() {
        let old = self
        keys = Array(repeating: 0, count: keys.count * 2)
        values = Array(repeating: 0, count: keys.count)
        mask = keys.count - 1
        count = 0
        old.forEach { key, value in set(key, value) }
    }
}
