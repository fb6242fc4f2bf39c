import Foundation
import Testing

@testable import FaultlineKit

/// Values longer than any real one are kept by a bounded short form: memory follows distinct values, not bytes.
@Suite("Long values: kept short, distinct, and never cut inside a secret")
struct LongValueTests {
    static func isTokenByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7a)
            || "-_.+/=~".utf8.contains(byte)
    }

    @Test("the cut is the longest prefix within the limit that ends between tokens", arguments: [1, 2, 3] as [UInt64])
    func cut(seed: UInt64) {
        var random = SeededRandom(state: seed)
        let alphabet = Array("ab9-_./=+ \"',;:()?&é".utf8)
        for _ in 0..<2_000 {
            let bytes = (0..<random.below(80)).map { _ in alphabet[random.below(alphabet.count)] }
            let limit = random.below(60)
            let cut = bytes.withUnsafeBytes { LongValue.cut($0, limit: limit) }
            // Reference: within the limit, back to the last byte that cannot be in a token.
            var expected = min(limit, bytes.count)
            if bytes.count > limit { while expected > 0 && Self.isTokenByte(bytes[expected - 1]) { expected -= 1 } }
            #expect(cut == expected, "\(bytes) limit \(limit)")
        }
    }

    @Test("short forms are bounded, valid UTF-8, equal for equal values and distinct for distinct ones")
    func shortForms() throws {
        var seen: [[UInt8]: [UInt8]] = [:]
        for index in 0..<500 {
            // Values alike for their first 300 bytes (so only the hash tells them apart), some with multi-byte
            // characters where the cut would fall.
            let value = Array(
                (String(repeating: "é model ", count: 40) + "#\(index)" + String(repeating: "x", count: index)).utf8)
            let short = value.withUnsafeBytes { LongValue.shortened($0) }
            #expect(short.count <= LongValue.maxBytes)
            #expect(String(validating: short, as: UTF8.self) != nil)
            #expect(value.withUnsafeBytes { LongValue.shortened($0) } == short)
            #expect(seen[short] == nil, "two values share a short form")
            seen[short] = value
        }
    }

    @Test("a log of megabyte-long values counts them under short names, masks the key, and says so")
    func analysis() throws {
        let key = fakeKey(7)
        var text = ""
        for index in 0..<40 {
            var line = LogLine(time: 1_741_564_800_000 + Int64(index) * 1000, status: 500, key: key)
            line.model = "model-\(index % 20) " + String(repeating: "m", count: 300_000)
            // The key straddles where the short form would cut, so only masking the whole value first hides it.
            line.org = String(repeating: "o", count: 200) + " org " + key + " " + String(repeating: "p", count: 5_000)
            text += line.text
        }
        let summary = try AnalysisHarness.summary(Array(text.utf8))
        #expect(summary.requests == 40)
        #expect(summary.models.count == 20)
        #expect(summary.models.keys.allSatisfy { $0.utf8.count <= LongValue.maxBytes })
        #expect(summary.orgs.count == 1)
        #expect(summary.dropped["long_values"] == 80)
        let secret = String(key.dropFirst("sk-proj-".count).prefix(10))
        for name in Array(summary.orgs.keys) + summary.groups.values.map(\.value) {
            #expect(!name.contains(secret), "a piece of the key was kept: \(name)")
        }
    }
}
