/// Bounds the text kept of one value, so memory follows the number of distinct values, never their length.
///
/// A model, org or host field a megabyte long (a crashed writer, a client logging a body in the wrong field)
/// was kept whole by the interner: 400 such lines made a 1.7 MB .gz take 1.2 GB. A long value is kept as its
/// start and a hash of the whole, so distinct values stay distinct and equal ones equal.
enum LongValue {
    /// The longest value kept as it is: longer than any real key, model, org, host or endpoint.
    static let maxBytes = 256

    /// A hash's 16 hex digits and the `…#` before them.
    private static let suffixBytes = 3 + 1 + 16

    /// How many of `bytes`' first `limit` bytes to keep so the cut falls between tokens.
    ///
    /// A cut inside a secret would leave a piece of it too short for the redactor's patterns to recognise,
    /// and a cut inside a UTF-8 sequence an invalid text; so the cut goes back to the last ASCII byte that
    /// cannot be part of a token (a space, a quote, most punctuation). Without one, nothing is kept.
    static func cut(_ bytes: UnsafeRawBufferPointer, limit: Int) -> Int {
        guard bytes.count > limit else { return bytes.count }
        var end = limit
        while end > 0 && isTokenByte(bytes[end - 1]) { end -= 1 }
        return end
    }

    /// The short form of a value longer than `maxBytes`: its start cut between tokens, then `…#` and the
    /// whole value's hash in hex, `maxBytes` bytes at most.
    static func shortened(_ value: UnsafeRawBufferPointer) -> [UInt8] {
        let kept = cut(value, limit: maxBytes - suffixBytes)
        var short = Array(value[..<kept])
        short.reserveCapacity(kept + suffixBytes)
        short += [0xE2, 0x80, 0xA6, UInt8(ascii: "#")]
        let hash = ByteHash.hash(value.baseAddress, value.count)
        let digits = Array("0123456789abcdef".utf8)
        for shift in stride(from: 60, through: 0, by: -4) { short.append(digits[Int(hash >> UInt64(shift) & 0xF)]) }
        return short
    }

    /// Letters, digits, the punctuation tokens and secrets are made of, and every byte of a multi-byte
    /// character.
    @inline(__always)
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
            UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "~"), 0x80...0xFF:
            true
        default:
            false
        }
    }
}
