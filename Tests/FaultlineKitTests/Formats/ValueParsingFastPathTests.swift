import Testing

@testable import FaultlineKit

/// The shortcuts of `ValueParsing` (three-digit statuses, digit-only decimals, a `Bearer ` word) and of
/// `KeyFingerprinter.hint` against the general code they stand in for, kept here as it was.
@Suite("Value parsing shortcuts give what the general path gives")
struct ValueParsingFastPathTests {
    /// Bytes the shortcuts branch on, and others.
    static let alphabet =
        Array("0123456789-.sSmMoOkKbBeEaArR xX\"\\\u{0}é".utf8) + [0xff, 0x80, 0x2f, 0x3a, 0x40, 0x60]

    static func inputs() -> [[UInt8]] {
        var generator = SeededRandom(state: 0xfa57)
        var result: [[UInt8]] = [
            [], Array("200".utf8), Array("429.0".utf8), Array("5xx".utf8), Array("-12".utf8), Array("2322".utf8),
            Array("123456789012345".utf8), Array("1234567890123456".utf8), Array("99999999999999999999".utf8),
            Array("19s".utf8), Array("500ms".utf8), Array("Bearer ".utf8), Array("Bearer".utf8),
            Array("bEaReR sk-1".utf8), Array("Bearer\u{0}sk".utf8), Array("bearer  x".utf8), Array("Bearerx sk".utf8),
            Array("sk-proj-abcdefghijklmnop".utf8), Array("AIza\u{0}".utf8), [0x00, 0x30, 0x30], [0xff, 0xfe, 0xfd],
        ]
        for _ in 0..<20_000 {
            let count = generator.below(20)
            result.append((0..<count).map { _ in alphabet[generator.below(alphabet.count)] })
        }
        return result
    }

    @Test("status, decimal and scheme removal match the reference on odd and random inputs")
    func matchReference() {
        for input in Self.inputs() {
            // Padded on both sides so the shortcut's word load stays inside the buffer it is given.
            let padded = Array("\"".utf8) + input + Array("\"}".utf8)
            padded.withUnsafeBytes { all in
                let text = UnsafeRawBufferPointer(rebasing: all[1..<1 + input.count])
                #expect(ValueParsing.status(text) == Self.referenceStatus(text), "\(input)")
                let decimal = ValueParsing.decimal(text)
                let expected = Self.referenceDecimal(text)
                #expect(decimal == expected && decimal?.sign == expected?.sign, "\(input)")
                let span = ByteSpan(start: 1, count: input.count)
                #expect(ValueParsing.removingScheme(span, in: all) == Self.referenceRemovingScheme(span, in: all))
            }
            if !input.isEmpty {
                input.withUnsafeBytes { #expect(KeyFingerprinter.hint($0) == Self.referenceHint($0), "\(input)") }
            }
        }
    }

    // MARK: - The general code, as it was before the shortcuts

    static func referenceStatus(_ text: UnsafeRawBufferPointer) -> Int? {
        guard let first = text.first else { return nil }
        if first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") {
            var value = 0
            var index = 0
            while index < text.count, let d = Timestamp.digit(text[index]) {
                value = value * 10 + d
                index += 1
                if value > 999 { return nil }
            }
            if index < text.count {
                guard text[index] == UInt8(ascii: "."),
                    text[(index + 1)...].allSatisfy({ $0 == UInt8(ascii: "0") })
                else { return nil }
            }
            return value
        }
        let lowered = text.map(PathTrie.lower)
        if lowered.elementsEqual("success".utf8) || lowered.elementsEqual("ok".utf8) { return 200 }
        return nil
    }

    static func referenceDecimal(_ text: UnsafeRawBufferPointer) -> Double? {
        guard !text.isEmpty, text.count < 40 else { return nil }
        var integer: Double = 0
        var index = 0
        var negative = false
        if text[0] == UInt8(ascii: "-") {
            negative = true
            index = 1
        }
        let digitsStart = index
        while index < text.count, let d = Timestamp.digit(text[index]) {
            integer = integer * 10 + Double(d)
            index += 1
        }
        if index < text.count && text[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            while index < text.count, let d = Timestamp.digit(text[index]) {
                integer += Double(d) * scale
                scale /= 10
                index += 1
            }
        }
        guard index > digitsStart else { return nil }
        if index < text.count {
            let rest = text[index...]
            if rest.elementsEqual("s".utf8) { return negative ? -integer : integer }
            if rest.elementsEqual("ms".utf8) { return (negative ? -integer : integer) / 1000 }
            return nil
        }
        return negative ? -integer : integer
    }

    static func referenceRemovingScheme(_ span: ByteSpan, in bytes: UnsafeRawBufferPointer) -> ByteSpan {
        let start = Int(span.start)
        let count = Int(span.count)
        guard count >= 6,
            PathTrie.lower(bytes[start]) == UInt8(ascii: "b"), PathTrie.lower(bytes[start + 1]) == UInt8(ascii: "e"),
            PathTrie.lower(bytes[start + 2]) == UInt8(ascii: "a"),
            PathTrie.lower(bytes[start + 3]) == UInt8(ascii: "r"),
            PathTrie.lower(bytes[start + 4]) == UInt8(ascii: "e"), PathTrie.lower(bytes[start + 5]) == UInt8(ascii: "r")
        else { return span }
        if count == 6 { return ByteSpan(start: start + 6, count: 0) }
        guard bytes[start + 6] == UInt8(ascii: " ") else { return span }
        return ByteSpan(start: start + 7, count: count - 7)
    }

    static func referenceHint(_ key: UnsafeRawBufferPointer) -> String {
        let bytes = Array(key)
        guard !bytes.isEmpty else { return "(empty)" }
        let prefixes = [
            "sk-ant-api03-", "sk-ant-admin01-", "sk-ant-oat01-", "sk-ant-ort01-", "sk-ant-", "sk-proj-", "sk-svcacct-",
            "sk-admin-", "sk-None-", "sk-or-v1-", "sk-", "AIza", "Bearer ",
        ]
        var prefix = ""
        for candidate in prefixes where bytes.starts(with: candidate.utf8) {
            prefix = candidate
            break
        }
        let tailCount = bytes.count >= 16 ? 4 : 0
        let tail = bytes.suffix(tailCount).map { byte -> Character in
            (0x21...0x7e).contains(byte) ? Character(Unicode.Scalar(byte)) : "?"
        }
        if prefix.isEmpty && tailCount == 0 { return "…(\(bytes.count) chars)" }
        return prefix + "…" + String(tail)
    }
}
