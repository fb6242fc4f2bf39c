import CZlib
import Testing

@testable import FaultlineKit

@Suite("Input: gzip members checked against their trailers")
struct GzipCheckTests {
    /// Random bytes from a fixed seed.
    private static func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }

    private static func zlibCRC(_ crc: UInt32, _ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBytes {
            UInt32(crc32(uLong(crc), $0.baseAddress?.assumingMemoryBound(to: UInt8.self), uInt($0.count)))
        }
    }

    private static func foldedCRC(_ crc: UInt32, _ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBytes {
            faultline_crc32(crc, $0.baseAddress?.assumingMemoryBound(to: UInt8.self), $0.count)
        }
    }

    @Test("the folded CRC-32 is the CPU's, where it has the instructions")
    func hardwareFound() {
        #if arch(x86_64) && os(Linux)
            // Every x86-64 server of the last decade has PCLMULQDQ; without it the tests below only test zlib.
            #expect(faultline_crc32_hardware() != 0)
        #endif
    }

    @Test("the folded CRC-32 equals zlib's on every length to 600 and every alignment to 16")
    func equalsZlib() {
        let bytes = Self.randomBytes(640, seed: 7)
        for start in 0..<17 {
            for count in 0...(bytes.count - start - 23) where count <= 600 {
                let slice = bytes[start..<start + count]
                let seed: UInt32 = count % 3 == 0 ? 0 : 0x1234_5678 &* UInt32(count)
                #expect(Self.foldedCRC(seed, slice) == Self.zlibCRC(seed, slice), "start \(start), count \(count)")
            }
        }
    }

    @Test("the folded CRC-32 of a megabyte fed in odd pieces is zlib's of the whole", arguments: [1, 63, 64, 65, 4099])
    func chained(step: Int) {
        let bytes = Self.randomBytes(1 << 20, seed: UInt64(step))
        var crc: UInt32 = 0
        var offset = 0
        var size = step
        while offset < bytes.count {
            let end = min(bytes.count, offset + size)
            crc = Self.foldedCRC(crc, bytes[offset..<end])
            offset = end
            size = size * 7 % 9_973 + 1
        }
        #expect(crc == Self.zlibCRC(0, bytes[...]))
    }

    /// Inflates `compressed` with an input buffer of `inputSize` bytes, so a trailer can straddle two reads.
    private static func inflate(
        _ compressed: [UInt8], inputSize: Int, decoder: GzipDecoder
    ) throws -> (bytes: [UInt8], error: FaultlineError?, checkedHere: Int) {
        let directory = try TemporaryDirectory()
        let path = try directory.write("member.gz", compressed)
        let reader = try FileReader(InputSource(path: path))
        let inflater = GzipInflater(
            reader: reader, prefix: UnsafeRawBufferPointer(start: nil, count: 0), decoder: decoder,
            inputBufferSize: inputSize)
        var output: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 997, alignment: 16)
        defer { buffer.deallocate() }
        do {
            while true {
                let count = try inflater.read(into: buffer)
                if count == 0 { return (output, nil, inflater.membersCheckedHere) }
                output += buffer[0..<count]
            }
        } catch {
            return (output, error, inflater.membersCheckedHere)
        }
    }

    @Test(
        "members read whole whatever reads their trailers straddle", arguments: [1, 3, 5, 7, 8, 9, 11, 13, 4096],
        GzipDecoder.allCases)
    func straddledTrailers(inputSize: Int, decoder: GzipDecoder) throws {
        let first = sampleLines(40, seed: 3)
        let second = sampleLines(25, seed: 4)
        let (bytes, error, checkedHere) = try Self.inflate(
            try gzip(first) + gzip(second) + gzip([]), inputSize: inputSize, decoder: decoder)
        #expect(error == nil)
        #expect(bytes == first + second)
        // A member is checked here when its flags were in the read it starts in: the first always, past 3 bytes.
        if decoder == .zlib && faultline_crc32_hardware() != 0 && inputSize > 3 {
            #expect(checkedHere >= 1)
        }
    }

    /// A gzip member whose header carries its own CRC-16 (FHCRC): gzip's output for `plain` with that flag set
    /// and the CRC put in, or a wrong one.
    private static func memberWithHeaderCRC(_ plain: [UInt8], wrongCRC: Bool) throws -> [UInt8] {
        let member = try gzip(plain)  // `gzip -n`: a 10-byte header with no flags
        var header = Array(member[0..<10])
        header[3] = 0x02
        let crc = zlibCRC(0, header[...]) ^ (wrongCRC ? 1 : 0)
        return header + [UInt8(truncatingIfNeeded: crc), UInt8(truncatingIfNeeded: crc >> 8)] + member[10...]
    }

    @Test("a member with a header CRC is read, and a wrong header CRC is corrupt", arguments: GzipDecoder.allCases)
    func headerCRC(decoder: GzipDecoder) throws {
        let plain = sampleLines(20, seed: 8)
        let good = try Self.inflate(
            try gzip(plain) + Self.memberWithHeaderCRC(plain, wrongCRC: false), inputSize: 4096, decoder: decoder)
        #expect(good.error == nil)
        #expect(good.bytes == plain + plain)
        if decoder == .zlib {
            // zlib checks that member (and its header) itself: only the first was checked here.
            #expect(good.checkedHere == (faultline_crc32_hardware() != 0 ? 1 : 0))
            let bad = try Self.inflate(
                try gzip(plain) + Self.memberWithHeaderCRC(plain, wrongCRC: true), inputSize: 4096, decoder: decoder)
            #expect(bad.bytes == plain)
            #expect(bad.error?.code == .corruptGzip)
            #expect(bad.error?.description.contains("header crc mismatch") == true)
        }
    }

    @Test(
        "a member whose CRC or size is wrong is corrupt, and what came before is kept",
        arguments: [-8, -5, -4, -1], [1, 7, 4096])
    func wrongTrailer(trailerByte: Int, inputSize: Int) throws {
        for decoder in GzipDecoder.allCases {
            let first = sampleLines(30, seed: 5)
            let secondLines = sampleLines(30, seed: 6)
            var second = try gzip(secondLines)
            second[second.count + trailerByte] ^= 0x10
            let (bytes, error, _) = try Self.inflate(
                try gzip(first) + second, inputSize: inputSize, decoder: decoder)
            let failure = try #require(error)
            #expect(failure.code == .corruptGzip)
            // The bytes from -8 are the CRC's, from -4 the size's; ISA-L calls both a data check.
            #expect(failure.description.contains("incorrect"), "\(failure)")
            // The first member was checked and kept whole; zlib delivers the second's data before its fault.
            #expect(bytes.starts(with: first))
            if decoder == .zlib {
                #expect(bytes == first + secondLines)
                #expect(failure.description.contains(trailerByte >= -4 ? "length check" : "data check"))
            }
        }
    }
}
