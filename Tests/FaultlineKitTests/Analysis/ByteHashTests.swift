import Testing

@testable import FaultlineKit

@Suite("Byte hashing, comparing and interning against plain references")
struct ByteHashTests {
    /// Bytes that vary with the index, so no two windows of a test string are alike.
    private static func bytes(_ count: Int, seed: Int = 0) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: ($0 &+ seed) &* 167 &+ 13) }
    }

    @Test("equal agrees with element-wise comparison at every length and every differing position")
    func equalMatchesReference() {
        for count in 0...70 {
            let base = Self.bytes(count)
            // Another array with the same bytes: equal compares contents, not addresses.
            let copy = Self.bytes(count) + [0]
            base.withUnsafeBytes { a in
                copy.withUnsafeBytes { b in
                    #expect(ByteHash.equal(a.baseAddress ?? b.baseAddress!, b.baseAddress!, count))
                }
            }
            for position in 0..<count {
                var other = base
                other[position] ^= 0x20
                let expected = other == base
                other.withUnsafeBytes { b in
                    base.withUnsafeBytes { a in
                        #expect(
                            ByteHash.equal(a.baseAddress!, b.baseAddress!, count) == expected, "\(count) \(position)")
                    }
                }
            }
        }
    }

    @Test("equal reads only the given bytes: a difference just past the end does not count")
    func equalStopsAtCount() {
        for count in 0...40 {
            let a = Self.bytes(count) + [1, 2, 3, 4, 5, 6, 7, 8]
            let b = Self.bytes(count) + [9, 9, 9, 9, 9, 9, 9, 9]
            a.withUnsafeBytes { a in
                b.withUnsafeBytes { b in #expect(ByteHash.equal(a.baseAddress!, b.baseAddress!, count)) }
            }
        }
    }

    @Test("the hash depends on the bytes only, not on where they lie, and rarely collides")
    func hashIsAFunctionOfTheBytes() {
        var seen: [UInt64: [UInt8]] = [:]
        for count in 0...70 {
            for seed in 0..<40 {
                let value = Self.bytes(count, seed: seed)
                // The same bytes at another address (and at an odd offset) hash alike.
                let padded = [0xAA] + value
                let first = value.withUnsafeBytes { ByteInterner.hash($0) }
                let second = padded.withUnsafeBytes {
                    ByteInterner.hash(UnsafeRawBufferPointer(rebasing: $0.dropFirst()))
                }
                #expect(first == second)
                if let other = seen[first] {
                    #expect(other == value, "collision at \(count)")
                }
                seen[first] = value
            }
        }
        // One flipped bit anywhere changes the hash (also in the bytes a long value reads twice).
        for count in 1...70 {
            let value = Self.bytes(count)
            let hash = value.withUnsafeBytes { ByteInterner.hash($0) }
            for position in 0..<count {
                var flipped = value
                flipped[position] ^= 1
                #expect(flipped.withUnsafeBytes { ByteInterner.hash($0) } != hash)
            }
        }
    }

    @Test("the interner gives every distinct value its own id, in order, and finds it again", arguments: [10, 3_000])
    func internerMatchesDictionary(values: Int) {
        var interner = ByteInterner(capacity: 100_000)
        var reference: [[UInt8]: Int32] = [:]
        for round in 0..<2 {
            for index in 0..<values {
                // Lengths 0 to 40, so every comparison path is taken; the empty value is one value too.
                let value = Array("v\(index)-".utf8).prefix(index % 41) + Self.bytes(index % 23, seed: index)
                let bytes = Array(value)
                let id = bytes.withUnsafeBytes { interner.id($0) }
                if let known = reference[bytes] {
                    #expect(id == known)
                } else {
                    #expect(round == 0)
                    #expect(id == Int32(reference.count))
                    reference[bytes] = id
                }
                #expect(bytes.withUnsafeBytes { interner.lookup($0, hash: ByteInterner.hash($0)) } == id)
                #expect(interner.withBytes(id) { Array($0) } == bytes)
            }
        }
        #expect(interner.count == reference.count)
        #expect(Array("absent".utf8).withUnsafeBytes { interner.lookup($0, hash: ByteInterner.hash($0)) } == -1)
    }

    @Test("past its capacity the interner gives the overflow id and keeps what it had")
    func internerCap() {
        var interner = ByteInterner(capacity: 5)
        let ids = (0..<8).map { index in Array("value-\(index)".utf8).withUnsafeBytes { interner.id($0) } }
        #expect(ids == [0, 1, 2, 3, 4, ByteInterner.overflow, ByteInterner.overflow, ByteInterner.overflow])
        #expect(interner.overflowed == 3)
        #expect(interner.count == 5)
        #expect(Array("value-3".utf8).withUnsafeBytes { interner.id($0) } == 3)
        #expect(interner.text(4) == "value-4")
    }

    @Test("values under one hash (as two dimensions' salts can make) are told apart by their bytes")
    func internerSharedHash() {
        var interner = ByteInterner(capacity: 100)
        let values = ["a", "bb", "cc", "ccc", ""].map { Array($0.utf8) }
        let ids = values.map { value in value.withUnsafeBytes { interner.id($0, hash: 42) } }
        #expect(ids == [0, 1, 2, 3, 4])
        for (value, id) in zip(values, ids) {
            #expect(value.withUnsafeBytes { interner.lookup($0, hash: 42) } == id)
        }
    }
}
