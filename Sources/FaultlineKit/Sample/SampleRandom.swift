/// SplitMix64: tiny, fast, and the same on every platform, so a seed always gives the same log.
struct SampleRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed ^ 0x6A09_E667_F3BC_C909 }

    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound` (bound below 2^32), by multiply-shift rather than a slow division.
    @inline(__always)
    mutating func below(_ bound: Int) -> Int {
        Int(((next() >> 32) &* UInt64(truncatingIfNeeded: bound)) >> 32)
    }

    /// A value in `low..<high` for wide ranges (milliseconds over years).
    mutating func between(_ low: Int64, _ high: Int64) -> Int64 {
        guard high > low else { return low }
        return low + Int64(truncatingIfNeeded: next() % UInt64(high - low))
    }

    /// A uniform value in `[0, 1)`.
    @inline(__always)
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    @inline(__always)
    mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    /// `count` characters drawn from `alphabet`.
    mutating func string(_ count: Int, from alphabet: [UInt8]) -> [UInt8] {
        (0..<count).map { _ in alphabet[below(alphabet.count)] }
    }

    static let alphanumerics = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
    static let keyAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".utf8)
    static let lowerAlphanumerics = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
    static let hexDigits = Array("0123456789abcdef".utf8)
}
