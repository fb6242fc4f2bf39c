import Testing

@testable import FaultlineKit

/// The word- and vector-at-a-time scans against a plain byte loop, at every start, end and alignment.
@Suite("Byte scanning: quote search and inline comparison agree with a byte loop")
struct ByteScanningTests {
    /// Deterministic bytes with quotes and backslashes at chosen places, and plenty of neither.
    private static func bytes(count: Int, seed: UInt64, marks: Int) -> [UInt8] {
        var random = SeededRandom(state: seed)
        var bytes = (0..<count).map { _ in UInt8(ascii: "a") + UInt8(random.below(26)) }
        for _ in 0..<marks where count > 0 {
            bytes[random.below(count)] = random.below(2) == 0 ? UInt8(ascii: "\"") : UInt8(ascii: "\\")
        }
        return bytes
    }

    @Test("the first quote or backslash in every range of lines up to 70 bytes", arguments: [0, 1, 2, 3])
    func quoteSearch(marks: Int) {
        for count in 0...70 {
            let bytes = Self.bytes(count: count, seed: UInt64(count * 31 + marks), marks: marks)
            bytes.withUnsafeBufferPointer { buffer in
                let base = buffer.baseAddress ?? UnsafePointer(bitPattern: 8)!
                for from in 0...count {
                    for end in from...count {
                        let expected =
                            (from..<end).first { bytes[$0] == UInt8(ascii: "\"") || bytes[$0] == UInt8(ascii: "\\") }
                            ?? -1
                        let found = ByteScanning.findQuoteOrBackslash(in: base, from: from, to: end)
                        if found != expected {
                            Issue.record("count \(count), [\(from), \(end)): found \(found), expected \(expected)")
                            return
                        }
                    }
                }
            }
        }
    }

    @Test("a mark just past the end is never reported")
    func neverPastTheEnd() {
        var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: 48)
        bytes[40] = UInt8(ascii: "\"")
        bytes.withUnsafeBufferPointer { buffer in
            for from in 0...40 {
                #expect(ByteScanning.findQuoteOrBackslash(in: buffer.baseAddress!, from: from, to: 40) == -1)
                #expect(ByteScanning.findQuoteOrBackslash(in: buffer.baseAddress!, from: from, to: 41) == 40)
            }
            // A start past the end is an empty range, however far past.
            for from in 41...48 {
                #expect(ByteScanning.findQuoteOrBackslash(in: buffer.baseAddress!, from: from, to: 40) == -1)
                #expect(ByteScanning.findQuoteOrBackslash(in: buffer.baseAddress!, from: from, to: 16) == -1)
            }
        }
    }

    @Test(
        "the first given byte in every range of lines up to 70 bytes, for ASCII and high bytes",
        arguments: [UInt8(ascii: " "), UInt8(ascii: "\""), 0x00, 0x80, 0xFF])
    func byteSearch(byte: UInt8) {
        for count in 0...70 {
            var random = SeededRandom(state: UInt64(count) &* 131 &+ UInt64(byte))
            // Mostly other bytes, some of them one bit away from the one sought, and a few hits.
            let bytes = (0..<count).map { _ -> UInt8 in
                switch random.below(10) {
                case 0: return byte
                case 1: return byte ^ 0x01
                case 2: return byte ^ 0x80
                default: return UInt8(truncatingIfNeeded: random.next())
                }
            }
            bytes.withUnsafeBufferPointer { buffer in
                let base = buffer.baseAddress ?? UnsafePointer(bitPattern: 8)!
                for from in 0...count {
                    for end in from...count {
                        let expected = (from..<end).first { bytes[$0] == byte } ?? -1
                        let found = ByteScanning.findByte(byte, in: base, from: from, to: end)
                        if found != expected {
                            Issue.record("count \(count), [\(from), \(end)): found \(found), expected \(expected)")
                            return
                        }
                    }
                }
            }
        }
    }

    @Test(
        "the last given byte in every range of lines up to 70 bytes, for ASCII and high bytes",
        arguments: [UInt8(ascii: " "), UInt8(ascii: "\""), 0x00, 0x7F, 0x80, 0xFF])
    func lastByteSearch(byte: UInt8) {
        for count in 0...70 {
            var random = SeededRandom(state: UInt64(count) &* 977 &+ UInt64(byte))
            // Bytes next to the one sought (a borrow would turn them into false matches) and a few hits.
            let bytes = (0..<count).map { _ -> UInt8 in
                switch random.below(10) {
                case 0: return byte
                case 1: return byte &+ 1
                case 2: return byte &- 1
                case 3: return byte ^ 0x80
                default: return UInt8(truncatingIfNeeded: random.next())
                }
            }
            bytes.withUnsafeBufferPointer { buffer in
                let base = buffer.baseAddress ?? UnsafePointer(bitPattern: 8)!
                for from in 0...count {
                    for end in from...count {
                        let expected = (from..<end).last { bytes[$0] == byte }
                        let found = ByteScanning.findLast(byte, in: base, from: from, to: end)
                        if found != expected {
                            Issue.record("count \(count), [\(from), \(end)): found \(String(describing: found))")
                            return
                        }
                    }
                }
            }
        }
    }

    @Test("the exact byte mask marks every equal byte and no other, whatever lies around it")
    func exactMask() {
        var random = SeededRandom(state: 5)
        for _ in 0..<20_000 {
            let byte = UInt8(truncatingIfNeeded: random.next())
            var word: UInt64 = 0
            var expected: UInt64 = 0
            for lane in 0..<8 {
                let pick = random.below(4)
                let value = pick == 0 ? byte : pick == 1 ? byte &- 1 : UInt8(truncatingIfNeeded: random.next())
                word |= UInt64(value) << UInt64(lane * 8)
                if value == byte { expected |= 0x80 << UInt64(lane * 8) }
            }
            #expect(ByteScanning.exactMatches(word, byte) == expected)
        }
    }

    @Test("a byte just past the end or just before the start is never reported")
    func byteNeverOutsideTheRange() {
        var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: 64)
        bytes[10] = UInt8(ascii: " ")
        bytes[40] = UInt8(ascii: " ")
        bytes.withUnsafeBufferPointer { buffer in
            for from in 11...40 {
                #expect(ByteScanning.findByte(UInt8(ascii: " "), in: buffer.baseAddress!, from: from, to: 40) == -1)
                #expect(ByteScanning.findByte(UInt8(ascii: " "), in: buffer.baseAddress!, from: from, to: 41) == 40)
            }
        }
    }

    @Test("inline comparison equals a byte comparison for every length and differing position")
    func equal() {
        for count in 0...40 {
            let left = Self.bytes(count: count, seed: UInt64(count), marks: 0)
            for position in -1..<count {
                var right = left
                if position >= 0 { right[position] ^= 0x20 }
                let same = left.withUnsafeBytes { a in
                    right.withUnsafeBytes { b in
                        ByteScanning.equal(
                            a.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!,
                            b.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!, count)
                    }
                }
                #expect(same == (position < 0), "count \(count), differing at \(position)")
            }
        }
    }

    @Test("a partial load is the bytes, low byte first, for every length under a word and every position")
    func partialLoad() {
        let bytes = (0..<24).map { UInt8(0xa0 + $0) }
        bytes.withUnsafeBufferPointer { buffer in
            for start in 0..<16 {
                for count in 0..<8 {
                    var expected: UInt64 = 0
                    for index in (0..<count).reversed() { expected = expected << 8 | UInt64(bytes[start + index]) }
                    #expect(ByteScanning.loadPartial(buffer.baseAddress! + start, count) == expected)
                }
            }
        }
    }
}
