/// Names a key without revealing it: `key_id` and `key_hint` of REPORT.md.
public struct KeyFingerprinter: Sendable {
    private let salt: [UInt8]?

    /// Plain SHA-256 fingerprints, or HMAC-SHA-256 with `salt` (`--key-salt`).
    public init(salt: String? = nil) {
        self.salt = salt.map { Array($0.utf8) }
    }

    /// `sha256:` (or `hmac:`) and the first 12 hex digits of the digest of the key as logged.
    public func keyID(_ key: UnsafeRawBufferPointer) -> String {
        if let salt {
            return Self.hex(SHA256.authenticationCode(for: key, key: salt).prefix(6), after: "hmac:")
        }
        return Self.hex(SHA256.hash(key).prefix(6), after: "sha256:")
    }

    /// `keyID` of a string's UTF-8 bytes.
    public func keyID(_ key: String) -> String {
        var copy = key
        return copy.withUTF8 { keyID(UnsafeRawBufferPointer($0)) }
    }

    /// The key's public prefix and last four characters, `sk-proj-…9f2A`; never more of it.
    ///
    /// Made as bytes from prefixes held as bytes: with a `String` per prefix and per character it cost a
    /// fingerprint's worth of instructions for each of 20,000 keys.
    public static func hint(_ key: UnsafeRawBufferPointer) -> String {
        guard !key.isEmpty else { return "(empty)" }
        var prefix: [UInt8] = []
        for candidate in hintPrefixes where key.count >= candidate.count {
            if zip(key, candidate).allSatisfy({ $0 == $1 }) {
                prefix = candidate
                break
            }
        }
        // Short keys (placeholders, typos) show no tail at all: four characters would be most of them.
        let tailCount = key.count >= 16 ? 4 : 0
        if prefix.isEmpty && tailCount == 0 { return "…(\(key.count) chars)" }
        var text = prefix
        text.append(contentsOf: [0xe2, 0x80, 0xa6])  // "…"
        for byte in key.suffix(tailCount) { text.append((0x21...0x7e).contains(byte) ? byte : UInt8(ascii: "?")) }
        return String(decoding: text, as: UTF8.self)
    }

    /// The prefixes `hint` shows, longest first where one begins another.
    private static let hintPrefixes: [[UInt8]] = [
        "sk-ant-api03-", "sk-ant-admin01-", "sk-ant-oat01-", "sk-ant-ort01-", "sk-ant-", "sk-proj-", "sk-svcacct-",
        "sk-admin-", "sk-None-", "sk-or-v1-", "sk-", "AIza", "Bearer ",
    ].map { Array($0.utf8) }

    private static let digits = Array("0123456789abcdef".utf8)

    /// `label` and the hex digits of `bytes`, made in one exact allocation (`+` left room to grow in each of
    /// 20,000 ids).
    private static func hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes, after label: StaticString) -> String {
        var text = [UInt8]()
        text.reserveCapacity(label.utf8CodeUnitCount + 12)
        text.append(contentsOf: UnsafeBufferPointer(start: label.utf8Start, count: label.utf8CodeUnitCount))
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xf)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
