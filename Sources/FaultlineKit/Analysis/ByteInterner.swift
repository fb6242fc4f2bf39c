#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Maps distinct byte strings to small integer ids, keeping their bytes; a value's `String` is made only when asked.
///
/// Bounded: past `capacity` distinct values, new ones share the overflow id and are counted, so
/// memory follows the number of distinct values up to a cap, never the number of lines.
struct ByteInterner: Sendable {
    private var table: [Int32]
    private var hashes: [UInt64] = []
    private var storage: [UInt8] = []
    private var offsets: [Int32] = []
    /// Texts set by `rename`, and those the per-line path asked for (user agents, error codes), kept so each
    /// line does not make its own. Sparse: most values (100,000 keys' worth) are only needed as text once,
    /// when the summary is made (`text(_:)`), and a slot each was 16 bytes per value of both builders.
    private var texts: [Int32: String] = [:]
    let capacity: Int
    /// Lookups that found the table full.
    private(set) var overflowed = 0
    /// The id every value past the cap gets.
    static let overflow: Int32 = -2

    init(capacity: Int) {
        self.capacity = capacity
        table = Array(repeating: -1, count: 1024)
    }

    var count: Int { offsets.count }

    /// The text of an id, kept for the next call: for values asked for line after line.
    mutating func string(_ id: Int32) -> String {
        if let text = texts[id] { return text }
        let text = self.text(id)
        texts[id] = text
        return text
    }

    /// The text of an id: its bytes as UTF-8 (invalid sequences repaired), or what `rename` set.
    func text(_ id: Int32) -> String {
        if let text = texts[id] { return text }
        let start = Int(offsets[Int(id)])
        let end = Int(id) + 1 < offsets.count ? Int(offsets[Int(id) + 1]) : storage.count
        return storage.withUnsafeBufferPointer { String(decoding: $0[start..<end], as: UTF8.self) }
    }

    /// Calls `body` with the bytes of an id.
    func withBytes<Result>(_ id: Int32, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        let start = Int(offsets[Int(id)])
        let end = Int(id) + 1 < offsets.count ? Int(offsets[Int(id) + 1]) : storage.count
        return storage.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return 0x9e37_79b9_7f4a_7c15 }
        return ByteScanning.hash(base.assumingMemoryBound(to: UInt8.self), bytes.count)
    }

    /// Replaces the text shown for an id (a value with a secret in it keeps its identity, not its text).
    mutating func rename(_ id: Int32, to text: String) {
        texts[id] = text
    }

    /// The id of `bytes` under a precomputed `hash` (`hash(bytes)` mixed with anything constant), or -1.
    @inline(__always)
    func lookup(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> Int32 {
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = table[slot]
            if id < 0 { return -1 }
            if hashes[Int(id)] == hash && equal(Int(id), bytes) { return id }
            slot = (slot + 1) & mask
        }
    }

    /// The id of `bytes`, adding it if new.
    mutating func id(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        id(bytes, hash: Self.hash(bytes))
    }

    /// The id of `bytes` under a precomputed `hash`, adding it if new.
    mutating func id(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> Int32 {
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = table[slot]
            if id < 0 { break }
            if hashes[Int(id)] == hash && equal(Int(id), bytes) { return id }
            slot = (slot + 1) & mask
        }
        guard offsets.count < capacity else {
            overflowed += 1
            return Self.overflow
        }
        let id = Int32(offsets.count)
        table[slot] = id
        hashes.append(hash)
        offsets.append(Int32(storage.count))
        storage.append(contentsOf: bytes)
        if offsets.count * 2 > table.count { grow() }
        return id
    }

    private func equal(_ id: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let start = Int(offsets[id])
        let end = id + 1 < offsets.count ? Int(offsets[id + 1]) : storage.count
        guard end - start == bytes.count else { return false }
        return storage.withUnsafeBufferPointer { stored in
            bytes.count == 0 || ByteScanning.equal(stored.baseAddress! + start, bytes.baseAddress!, bytes.count)
        }
    }

    private mutating func grow() {
        var grown = Array(repeating: Int32(-1), count: table.count * 2)
        let mask = grown.count - 1
        for (id, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while grown[slot] >= 0 { slot = (slot + 1) & mask }
            grown[slot] = Int32(id)
        }
        table = grown
    }
}
