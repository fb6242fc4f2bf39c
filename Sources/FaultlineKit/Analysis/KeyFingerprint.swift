/// Names a key without revealing it: `key_id` and `key_hint` of REPORT.md.
public struct KeyFingerprinter: Sendable {
    private let salt: [UInt8]?

    /// Plain SHA-256 fingerprints, or HMAC-SHA-256 with `salt` (`--key-salt`).
    public init(salt: String? = nil) {
        self.salt = salt.map { Array($0.utf8) }
    }

    /// `sha256:` (or `hmac:`) and the first 12 hex digits of the digest of the key as logged.
    public func keyID(_ key: UnsafeRawBufferPointer) -> String {
        name(digest(key))
    }

    /// The six bytes of the key's digest that `keyID` shows, as a number: two keys have the same `keyID` exactly
    /// when they have the same `digest`, so a table of them can be keyed by it rather than by the text.
    func digest(_ key: UnsafeRawBufferPointer) -> UInt64 {
        guard let salt else { return SHA256.digestPrefix(key) >> 16 }
        return SHA256.authenticationCode(for: key, key: salt).prefix(6).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// The `keyID` of a `digest`.
    ///
    /// Written into the string's own storage: through an array, `+`, or a `String` per digit, each of 20,000
    /// names per piece cost an allocation or two more.
    func name(_ digest: UInt64) -> String {
        let label: StaticString = salt == nil ? "sha256:" : "hmac:"
        let labelCount = label.utf8CodeUnitCount
        return String(unsafeUninitializedCapacity: labelCount + 12) { text in
            for index in 0..<labelCount { text[index] = label.utf8Start[index] }
            for index in 0..<12 {
                let nibble = Int(truncatingIfNeeded: digest >> UInt64(44 - 4 * index)) & 0xf
                text[labelCount + index] = Self.digits[nibble]
            }
            return labelCount + 12
        }
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
        for candidate in hintPrefixes where key.count >= candidate.count && startsWith(key, candidate) {
            prefix = candidate
            break
        }
        // Short keys (placeholders, typos) show no tail at all: four characters would be most of them.
        let tailCount = key.count >= 16 ? 4 : 0
        if prefix.isEmpty && tailCount == 0 { return "…(\(key.count) chars)" }
        return String(unsafeUninitializedCapacity: prefix.count + 3 + tailCount) { text in
            var count = 0
            for byte in prefix {
                text[count] = byte
                count += 1
            }
            // "…"
            text[count] = 0xe2
            text[count + 1] = 0x80
            text[count + 2] = 0xa6
            count += 3
            for byte in key.suffix(tailCount) {
                text[count] = (0x21...0x7e).contains(byte) ? byte : UInt8(ascii: "?")
                count += 1
            }
            return count
        }
    }

    /// Whether `key` begins with `prefix` (which is no longer than it).
    private static func startsWith(_ key: UnsafeRawBufferPointer, _ prefix: [UInt8]) -> Bool {
        for index in prefix.indices where key[index] != prefix[index] { return false }
        return true
    }

    /// The prefixes `hint` shows, longest first where one begins another.
    private static let hintPrefixes: [[UInt8]] = [
        "sk-ant-api03-", "sk-ant-admin01-", "sk-ant-oat01-", "sk-ant-ort01-", "sk-ant-", "sk-proj-", "sk-svcacct-",
        "sk-admin-", "sk-None-", "sk-or-v1-", "sk-", "AIza", "Bearer ",
    ].map { Array($0.utf8) }

    private static let digits = Array("0123456789abcdef".utf8)
}
