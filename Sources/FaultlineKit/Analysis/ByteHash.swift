/// Hashing and comparing the short byte strings the analysis looks up on every line (keys, orgs, hosts,
/// request IDs).
///
/// Sixteen bytes a step folded by one 64×64→128-bit multiply (wyhash's mixing): half the steps of a word at a
/// time, and no overflow checks in the loops. The hash is never stored or shown, so it may change freely.
enum ByteHash {
    private static let secret0: UInt64 = 0xa076_1d64_78bd_642f
    private static let secret1: UInt64 = 0xe703_7ed1_a0b4_28db

    /// The high and low halves of the full product, folded: every input bit reaches most output bits.
    @inline(__always)
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    @inline(__always)
    private static func word(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inline(__always)
    private static func half(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
    }

    /// A 64-bit hash of `count` bytes at `base` (`base` may be nil only when `count` is 0).
    ///
    /// Values up to 16 bytes are read as two overlapping loads, which with the length determine them exactly;
    /// longer ones take 16 bytes a step, then their last 16 (overlapping) bytes.
    @inline(__always)
    static func hash(_ base: UnsafeRawPointer?, _ count: Int) -> UInt64 {
        var seed = secret0
        let a: UInt64
        let b: UInt64
        if let base, count > 0 {
            if count <= 16 {
                if count >= 8 {
                    a = word(base, 0)
                    b = word(base, count &- 8)
                } else if count >= 4 {
                    a = half(base, 0) << 32 | half(base, count &- 4)
                    b = 0
                } else {
                    let bytes = base.assumingMemoryBound(to: UInt8.self)
                    a = UInt64(bytes[0]) << 16 | UInt64(bytes[count >> 1]) << 8 | UInt64(bytes[count &- 1])
                    b = 0
                }
            } else {
                var index = 0
                while count &- index > 16 {
                    seed = mix(word(base, index) ^ secret1, word(base, index &+ 8) ^ seed)
                    index &+= 16
                }
                a = word(base, count &- 16)
                b = word(base, count &- 8)
            }
        } else {
            a = 0
            b = 0
        }
        return mix(secret1 ^ UInt64(truncatingIfNeeded: count), mix(a ^ secret1, b ^ seed))
    }

    /// Whether `count` bytes at `a` and `b` are equal: inline, sixteen bytes a step, the tail as the last
    /// (overlapping) word. Values compared per line are short, and a call into `memcmp` cost more than this.
    @inline(__always)
    static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
        if count > 16 {
            var index = 0
            while count &- index > 16 {
                let differ =
                    (word(a, index) ^ word(b, index)) | (word(a, index &+ 8) ^ word(b, index &+ 8))
                if differ != 0 { return false }
                index &+= 16
            }
            // 1 to 16 bytes left: the last sixteen, overlapping what was compared.
            return (word(a, count &- 16) ^ word(b, count &- 16)) | (word(a, count &- 8) ^ word(b, count &- 8)) == 0
        }
        if count >= 8 {
            return (word(a, 0) ^ word(b, 0)) | (word(a, count &- 8) ^ word(b, count &- 8)) == 0
        }
        if count >= 4 {
            return (half(a, 0) ^ half(b, 0)) | (half(a, count &- 4) ^ half(b, count &- 4)) == 0
        }
        var index = 0
        while index < count {
            if a.load(fromByteOffset: index, as: UInt8.self) != b.load(fromByteOffset: index, as: UInt8.self) {
                return false
            }
            index &+= 1
        }
        return true
    }
}
