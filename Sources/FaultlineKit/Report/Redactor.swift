/// Masks secrets in text: the one step every report form writes through.
///
/// Keys are never stored, but messages, URLs and headers in logs can still hold them: OpenAI
/// echoes a masked key, Gemini keys ride in `?key=`, a misconfigured client logs its Bearer token.
/// Tokens are masked whole, leaving only a marker, so nothing of the secret survives.
public struct Redactor: Sendable {
    /// Secrets masked so far.
    public private(set) var count = 0

    /// A redactor with a zero count.
    public init() {}

    @inline(__always)
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "_")
    }

    /// Bytes that glue a token to the word before it: a secret after `_`, `-`, `.` or `/` is still a secret.
    @inline(__always)
    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte >= 0x80
    }

    private static let contextWords: [[UInt8]] = [
        "api_key", "api-key", "apikey", "x-api-key", "x-goog-api-key", "key", "token", "access_token", "secret",
        "password", "subscription-key", "ocp-apim-subscription-key", "authorization", "client_secret",
    ].map { Array($0.utf8) }

    /// `text` with every secret masked.
    public mutating func clean(_ text: String) -> String {
        var bytes = Array(text.utf8)
        let masked = clean(&bytes)
        return masked ? String(decoding: bytes, as: UTF8.self) : text
    }

    /// Masks secrets in place; returns whether anything was masked.
    public mutating func clean(_ bytes: inout [UInt8]) -> Bool {
        var output: [UInt8] = []
        var changed = false
        var index = 0
        let count = bytes.count
        func lower(_ byte: UInt8) -> UInt8 { byte &- 65 < 26 ? byte | 0x20 : byte }
        func matches(_ word: String, at position: Int) -> Bool {
            let utf8 = Array(word.utf8)
            guard position + utf8.count <= count else { return false }
            for offset in 0..<utf8.count where lower(bytes[position + offset]) != utf8[offset] { return false }
            return true
        }
        func tokenEnd(_ start: Int, extra: (UInt8) -> Bool = { _ in false }) -> Int {
            var end = start
            while end < count && (Self.isTokenByte(bytes[end]) || extra(bytes[end])) { end += 1 }
            return end
        }
        func mask(from: Int, to: Int, label: String) {
            output += Array(label.utf8)
            index = to
            changed = true
            self.count += 1
        }
        outer: while index < count {
            let byte = bytes[index]
            let boundary = index == 0 || !Self.isWordByte(bytes[index - 1])
            if boundary {
                // Bearer tokens.
                if lower(byte) == UInt8(ascii: "b") && matches("bearer ", at: index) {
                    var start = index + 7
                    while start < count && bytes[start] == UInt8(ascii: " ") { start += 1 }
                    let end = tokenEnd(start) {
                        $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "+")
                            || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "=")
                    }
                    if end - start >= 8 {
                        output += Array(bytes[index..<index + 7])
                        mask(from: start, to: end, label: "[redacted]")
                        continue
                    }
                }
                // sk-... keys of every provider.
                if byte == UInt8(ascii: "s") && index + 3 < count && bytes[index + 1] == UInt8(ascii: "k")
                    && bytes[index + 2] == UInt8(ascii: "-")
                {
                    let end = tokenEnd(index + 3)
                    if end - index - 3 >= 12 {
                        mask(from: index, to: end, label: "sk-[redacted]")
                        continue
                    }
                }
                // Google API keys.
                if byte == UInt8(ascii: "A") && matches("aiza", at: index) {
                    let end = tokenEnd(index + 4)
                    if end - index - 4 >= 20 {
                        mask(from: index, to: end, label: "AIza[redacted]")
                        continue
                    }
                }
                // JWTs (another service's token sent as a key).
                if byte == UInt8(ascii: "e") && matches("eyj", at: index) {
                    let end = tokenEnd(index) { $0 == UInt8(ascii: ".") }
                    if end - index >= 20 && bytes[index..<end].contains(UInt8(ascii: ".")) {
                        mask(from: index, to: end, label: "[redacted-jwt]")
                        continue
                    }
                }
                // key=..., "api-key": "...", password: ...
                for word in Self.contextWords where index + word.count < count {
                    var same = true
                    for offset in 0..<word.count where lower(bytes[index + offset]) != word[offset] {
                        same = false
                        break
                    }
                    guard same else { continue }
                    var cursor = index + word.count
                    if cursor < count && Self.isWordByte(bytes[cursor]) { continue }
                    if cursor < count && bytes[cursor] == UInt8(ascii: "\"") { cursor += 1 }
                    while cursor < count && bytes[cursor] == UInt8(ascii: " ") { cursor += 1 }
                    guard cursor < count, bytes[cursor] == UInt8(ascii: "=") || bytes[cursor] == UInt8(ascii: ":")
                    else { continue }
                    cursor += 1
                    while cursor < count
                        && (bytes[cursor] == UInt8(ascii: " ") || bytes[cursor] == UInt8(ascii: "\"")
                            || bytes[cursor] == UInt8(ascii: "'"))
                    {
                        cursor += 1
                    }
                    if matches("bearer ", at: cursor) { cursor += 7 }
                    let end = tokenEnd(cursor) {
                        $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "+")
                            || $0 == UInt8(ascii: "/")
                    }
                    if end - cursor >= 8 {
                        output += Array(bytes[index..<cursor])
                        mask(from: cursor, to: end, label: "[redacted]")
                        continue outer
                    }
                }
            }
            output.append(byte)
            index += 1
        }
        if changed { bytes = output }
        return changed
    }
}
