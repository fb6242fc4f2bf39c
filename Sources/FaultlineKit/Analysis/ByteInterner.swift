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
    /// An id's hash and where its bytes are, together: a lookup's hit reads one place, not three arrays.
    private struct Entry: Sendable {
        var hash: UInt64
        var offset: Int32
        var length: Int32
    }

    private var table: [Int32]
    private var entries: [Entry] = []
    private var storage: [UInt8] = []
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

    var count: Int { entries.count }

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
        return withBytes(id) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the bytes of an id.
    func withBytes<Result>(_ id: Int32, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        let entry = entries[Int(id)]
        let start = Int(entry.offset)
        return storage.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<start + Int(entry.length)])) }
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        ByteHash.hash(bytes.baseAddress, bytes.count)
    }

    /// Replaces the text shown for an id (a value with a secret in it keeps its identity, not its text).
    mutating func rename(_ id: Int32, to text: String) {
        texts[id] = text
    }

    /// The id of `bytes` under a precomputed `hash` (`hash(bytes)` mixed with anything constant), or -1.
    @inline(__always)
    func lookup(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> Int32 {
        probe(bytes, hash: hash).id
    }

    /// The id of `bytes`, or -1 and the empty slot where it would go.
    ///
    /// Through the arrays' buffers, unchecked: every id in the table indexes `entries`, and every entry's
    /// range lies in `storage`, as `id(_:hash:)` adds them together.
    @inline(__always)
    private func probe(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> (id: Int32, slot: Int) {
        table.withUnsafeBufferPointer { table in
            entries.withUnsafeBufferPointer { entries in
                storage.withUnsafeBytes { storage in
                    let mask = table.count &- 1
                    var slot = Int(truncatingIfNeeded: hash) & mask
                    while true {
                        let id = table[slot]
                        if id < 0 { return (-1, slot) }
                        let entry = entries[Int(id)]
                        if entry.hash == hash && Int(entry.length) == bytes.count
                            && (bytes.count == 0
                                || ByteHash.equal(
                                    storage.baseAddress.unsafelyUnwrapped + Int(entry.offset),
                                    bytes.baseAddress.unsafelyUnwrapped, bytes.count))
                        {
                            return (id, slot)
                        }
                        slot = (slot &+ 1) & mask
                    }
                }
            }
        }
    }

    /// The id of `bytes`, adding it if new.
    mutating func id(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        id(bytes, hash: Self.hash(bytes))
    }

    /// The id of `bytes` under a precomputed `hash`, adding it if new.
    mutating func id(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> Int32 {
        let (found, slot) = probe(bytes, hash: hash)
        if found >= 0 { return found }
        guard entries.count < capacity else {
            overflowed += 1
            return Self.overflow
        }
        let id = Int32(entries.count)
        table[slot] = id
        entries.append(Entry(hash: hash, offset: Int32(storage.count), length: Int32(bytes.count)))
        storage.append(contentsOf: bytes)
        if entries.count * 2 > table.count { grow() }
        return id
    }

    private mutating func grow() {
        var grown = Array(repeating: Int32(-1), count: table.count * 2)
        let mask = grown.count - 1
        for (id, entry) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: entry.hash) & mask
            while grown[slot] >= 0 { slot = (slot + 1) & mask }
            grown[slot] = Int32(id)
        }
        table = grown
    }
}
