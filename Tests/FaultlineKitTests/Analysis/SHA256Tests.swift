import Crypto
import Testing

@testable import FaultlineKit

@Suite("SHA-256 and HMAC-SHA-256: the published vectors and swift-crypto's results")
struct SHA256Tests {
    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    private static func digest(_ text: String) -> String {
        hex(Array(text.utf8).withUnsafeBytes { FaultlineKit.SHA256.hash($0) })
    }

    @Test("FIPS 180-4 example messages")
    func fipsVectors() {
        #expect(Self.digest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Self.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            Self.digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        )
        var hasher = FaultlineKit.SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(chunk) }
        #expect(Self.hex(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("RFC 4231 HMAC-SHA-256 cases 1, 2, 6 and 7 (keys past one block are hashed first)")
    func hmacVectors() {
        func mac(_ key: [UInt8], _ text: String) -> String {
            Self.hex(Array(text.utf8).withUnsafeBytes { FaultlineKit.SHA256.authenticationCode(for: $0, key: key) })
        }
        #expect(
            mac([UInt8](repeating: 0x0b, count: 20), "Hi There")
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        )
        #expect(
            mac(Array("Jefe".utf8), "what do ya want for nothing?")
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        )
        let longKey = [UInt8](repeating: 0xaa, count: 131)
        #expect(
            mac(longKey, "Test Using Larger Than Block-Size Key - Hash Key First")
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        )
        #expect(
            mac(
                longKey,
                "This is a test using a larger than block-size key and a larger than block-size data. The key needs to "
                    + "be hashed before being used by the HMAC algorithm."
            ) == "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        )
    }

    @Test("every message length from 0 to 300, whole and fed in uneven parts, matches swift-crypto")
    func matchesSwiftCrypto() {
        var generator = SeededRandom(state: 0x5eed)
        for count in 0...300 {
            let message = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let key = (0..<(count % 97)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let expected = Self.hex(Crypto.SHA256.hash(data: message))
            #expect(Self.hex(message.withUnsafeBytes { FaultlineKit.SHA256.hash($0) }) == expected, "length \(count)")
            // In parts, through the CPU's SHA extensions (where it has them) and through the portable rounds.
            for hardware in [true, false] {
                var hasher = FaultlineKit.SHA256(hardware: hardware)
                var start = 0
                while start < count {
                    let end = min(count, start + 1 + Int(generator.next() % 70))
                    hasher.update(Array(message[start..<end]))
                    start = end
                }
                #expect(Self.hex(hasher.finalize()) == expected, "length \(count) in parts, hardware \(hardware)")
            }
            let mac = HMAC<Crypto.SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
            #expect(
                Self.hex(message.withUnsafeBytes { FaultlineKit.SHA256.authenticationCode(for: $0, key: key) })
                    == Self.hex(mac),
                "HMAC, length \(count), key \(key.count)"
            )
        }
    }

    @Test("the one-pass digest prefix is the digest's first eight bytes, on both paths, at every length to 300")
    func digestPrefix() {
        var generator = SeededRandom(state: 0xd16e57)
        for count in 0...300 {
            let message = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let expected = Crypto.SHA256.hash(data: message).prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            for hardware in [true, false] {
                let prefix = message.withUnsafeBytes { FaultlineKit.SHA256.digestPrefix($0, hardware: hardware) }
                #expect(prefix == expected, "length \(count), hardware \(hardware)")
            }
        }
    }

    @Test("a fingerprint's digest names it: keyID is name(digest), and names differ where digests do")
    func fingerprintDigests() {
        for salt in [nil, "pepper"] {
            let fingerprinter = KeyFingerprinter(salt: salt)
            var names: [UInt64: String] = [:]
            for index in 0..<500 {
                let key = Array("sk-proj-\(index)-\(String(repeating: "x", count: index % 150))".utf8)
                let digest = key.withUnsafeBytes { fingerprinter.digest($0) }
                let name = key.withUnsafeBytes { fingerprinter.keyID($0) }
                #expect(digest < 1 << 48)
                #expect(fingerprinter.name(digest) == name)
                #expect(name.utf8.count == (salt == nil ? 19 : 17))
                #expect(names.updateValue(name, forKey: digest).map { $0 == name } ?? true)
            }
            #expect(Set(names.values).count == names.count)
        }
    }

    @Test("the SHA extensions are used where the CPU has them")
    func hardwareWhereAvailable() {
        #if arch(x86_64) && os(Linux)
            let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
            let hasSHA =
                flags.split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ")
                .contains("sha_ni") ?? false
            #expect(FaultlineKit.SHA256.hardwareAvailable == hasSHA)
        #endif
    }

    @Test("key fingerprints are the first 12 hex digits of the digest or the salted HMAC")
    func fingerprints() {
        let key = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789"
        let digest = Self.hex(Crypto.SHA256.hash(data: Array(key.utf8)))
        #expect(KeyFingerprinter().keyID(key) == "sha256:" + digest.prefix(12))
        let mac = HMAC<Crypto.SHA256>.authenticationCode(
            for: Array(key.utf8),
            using: SymmetricKey(data: Array("pepper".utf8))
        )
        #expect(KeyFingerprinter(salt: "pepper").keyID(key) == "hmac:" + Self.hex(mac).prefix(12))
    }
}
