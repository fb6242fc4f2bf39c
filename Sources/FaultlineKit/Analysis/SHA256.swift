/// SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104): the digests behind key fingerprints.
///
/// Written here rather than taken from swift-crypto because swift-crypto links Foundation, and with it ICU:
/// 10-12 MB resident in every run, a tenth of the memory bound, for one hash per distinct key. The tests hold
/// it to swift-crypto's results on every length from 0 to 300 bytes and to the FIPS 180-4 and RFC 4231 vectors.
import CZlib

struct SHA256: Sendable {
    /// The digest's size in bytes.
    static let digestCount = 32
    private static let blockCount = 64

    /// The running state of the compression function.
    private typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)
    private static let initialState: State = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )
    private var state = SHA256.initialState
    /// Bytes of an unfinished block; never 64 between calls.
    private var pending: [UInt8] = []
    private var length: UInt64 = 0
    /// Whether blocks go through the CPU's SHA extensions; the tests turn it off to hold the two paths together.
    private let hardware: Bool

    /// Whether this CPU has the SHA extensions (and SSSE3 and SSE4.1), so the compression runs on them.
    static let hardwareAvailable = faultline_sha256_hardware() != 0

    init(hardware: Bool = SHA256.hardwareAvailable) {
        self.hardware = hardware && Self.hardwareAvailable
        pending.reserveCapacity(Self.blockCount)
    }

    /// The SHA-256 digest of `bytes`.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The HMAC-SHA-256 of `message` under `key`.
    static func authenticationCode(for message: UnsafeRawBufferPointer, key: [UInt8]) -> [UInt8] {
        var block = key.count > blockCount ? key.withUnsafeBytes { hash($0) } : key
        block += repeatElement(0, count: blockCount - block.count)
        var inner = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        inner.update(message)
        let innerDigest = inner.finalize()
        var outer = SHA256()
        outer.update(block.map { $0 ^ 0x5c })
        outer.update(innerDigest)
        return outer.finalize()
    }

    /// Adds `bytes` to the message.
    mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Adds `bytes` to the message.
    ///
    /// Through raw buffers, not slices: a slice's `append(contentsOf:)` went a byte at a time, and with the
    /// padding's appends was a third of a key's fingerprint.
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        length &+= UInt64(bytes.count)
        var offset = 0
        if !pending.isEmpty {
            let taken = min(Self.blockCount - pending.count, bytes.count)
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0..<taken]))
            offset = taken
            guard pending.count == Self.blockCount else { return }
            pending.withUnsafeBytes { compress($0) }
            pending.removeAll(keepingCapacity: true)
        }
        while bytes.count - offset >= Self.blockCount {
            compress(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + Self.blockCount]))
            offset += Self.blockCount
        }
        if offset < bytes.count {
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset...]))
        }
    }

    /// Pads the message and returns its digest.
    mutating func finalize() -> [UInt8] {
        var state = self.state
        pending.withUnsafeBytes { Self.compressLast(&state, $0, length: length, hardware: hardware) }
        self.state = state
        return [UInt8](unsafeUninitializedCapacity: Self.digestCount) { digest, initialized in
            withUnsafeBytes(of: state) { words in
                for (index, word) in words.bindMemory(to: UInt32.self).enumerated() {
                    UnsafeMutableRawPointer(digest.baseAddress!).storeBytes(
                        of: word.bigEndian, toByteOffset: index * 4, as: UInt32.self)
                }
            }
            initialized = Self.digestCount
        }
    }

    /// The first eight bytes of the digest of `bytes`, as a big-endian number.
    ///
    /// In one pass with nothing on the heap: a fingerprint needs six bytes of one short message, and the
    /// streaming form's buffer, its appends and its digest array cost more than the hardware's compression.
    static func digestPrefix(_ bytes: UnsafeRawBufferPointer, hardware: Bool = SHA256.hardwareAvailable) -> UInt64 {
        let hardware = hardware && hardwareAvailable
        var state = initialState
        let whole = bytes.count / blockCount * blockCount
        var offset = 0
        while offset < whole {
            compress(&state, UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + blockCount]), hardware: hardware)
            offset += blockCount
        }
        compressLast(
            &state, UnsafeRawBufferPointer(rebasing: bytes[whole...]), length: UInt64(bytes.count), hardware: hardware)
        return UInt64(state.0) << 32 | UInt64(state.1)
    }

    /// Compresses the message's last bytes (`tail`, less than a block) with its padding: 0x80, zeros and the
    /// message's `length` in bits, in one buffer on the stack.
    private static func compressLast(
        _ state: inout State, _ tail: UnsafeRawBufferPointer, length: UInt64, hardware: Bool
    ) {
        let count = tail.count
        let padded = count + 1 <= blockCount - 8 ? blockCount : 2 * blockCount
        withUnsafeTemporaryAllocation(byteCount: 2 * blockCount, alignment: 8) { buffer in
            buffer.initializeMemory(as: UInt8.self, repeating: 0)
            if count > 0 { buffer.copyMemory(from: tail) }
            buffer[count] = 0x80
            buffer.storeBytes(of: (length &* 8).bigEndian, toByteOffset: padded - 8, as: UInt64.self)
            compress(&state, UnsafeRawBufferPointer(rebasing: buffer[..<blockCount]), hardware: hardware)
            if padded > blockCount {
                compress(&state, UnsafeRawBufferPointer(rebasing: buffer[blockCount..<padded]), hardware: hardware)
            }
        }
    }

    /// Runs the compression function over one 64-byte block.
    private mutating func compress(_ block: UnsafeRawBufferPointer) {
        Self.compress(&state, block, hardware: hardware)
    }

    /// Runs the compression function over one 64-byte block of the message whose running state is `state`.
    private static func compress(
        _ state: inout State, _ block: UnsafeRawBufferPointer, hardware: Bool
    ) {
        if hardware {
            withUnsafeMutableBytes(of: &state) { words in
                faultline_sha256_blocks(
                    words.baseAddress!.assumingMemoryBound(to: UInt32.self),
                    block.baseAddress!.assumingMemoryBound(to: UInt8.self), 1)
            }
            return
        }
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for t in 0..<16 {
                w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: t * 4, as: UInt32.self))
            }
            for t in 16..<64 {
                let s0 = w[t - 15].rotatedRight(7) ^ w[t - 15].rotatedRight(18) ^ (w[t - 15] >> 3)
                let s1 = w[t - 2].rotatedRight(17) ^ w[t - 2].rotatedRight(19) ^ (w[t - 2] >> 10)
                w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, h) = state
            // The constants through a buffer: indexing the array checked its bounds at every round.
            roundConstants.withUnsafeBufferPointer { roundConstants in
                for t in 0..<64 {
                    let s1 = e.rotatedRight(6) ^ e.rotatedRight(11) ^ e.rotatedRight(25)
                    let choice = (e & f) ^ (~e & g)
                    let t1 = h &+ s1 &+ choice &+ roundConstants[t] &+ w[t]
                    let s0 = a.rotatedRight(2) ^ a.rotatedRight(13) ^ a.rotatedRight(22)
                    let majority = (a & b) ^ (a & c) ^ (b & c)
                    let t2 = s0 &+ majority
                    h = g
                    g = f
                    f = e
                    e = d &+ t1
                    d = c
                    c = b
                    b = a
                    a = t1 &+ t2
                }
            }
            state = (
                state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e, state.5 &+ f, state.6 &+ g,
                state.7 &+ h
            )
        }
    }

    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]
}

extension UInt32 {
    @inline(__always)
    fileprivate func rotatedRight(_ count: UInt32) -> UInt32 {
        (self >> count) | (self << (32 - count))
    }
}
