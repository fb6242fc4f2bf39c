import Foundation
import Testing

@testable import FaultlineKit

@Suite("Input: reading plain and gzip files")
struct InputReaderTests {
    static let chunkSizes = [1, 3, 7, 4096, 1 << 20]

    @Test("gzip output is identical across chunk sizes and decoders", arguments: chunkSizes, GzipDecoder.allCases)
    func gzipChunkSizes(chunkSize: Int, decoder: GzipDecoder) throws {
        let directory = try TemporaryDirectory()
        let plain = sampleLines(500)
        let path = try directory.write("log.jsonl.gz", try gzip(plain))
        let expected = plain.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast().map(
            Array.init)
        for threaded in [true, false] {
            let (sink, outcome) = readLines(
                InputSource(path: path), chunkSize: chunkSize, threaded: threaded, decoder: decoder)
            #expect(outcome.error == nil)
            #expect(outcome.compression == .gzip)
            #expect(sink.lines == expected)
            #expect(sink.numbers == Array(1...expected.count))
            #expect(outcome.decodedBytes == Int64(plain.count))
        }
    }

    @Test("plain input is identical across chunk sizes", arguments: chunkSizes)
    func plainChunkSizes(chunkSize: Int) throws {
        let directory = try TemporaryDirectory()
        let plain = sampleLines(300)
        let path = try directory.write("log.jsonl", plain)
        let (sink, outcome) = readLines(InputSource(path: path), chunkSize: chunkSize)
        #expect(outcome.error == nil)
        #expect(outcome.compression == .none)
        #expect(sink.lines.count == 300)
        #expect(sink.lines.joined(separator: [UInt8(ascii: "\n")]) + [UInt8(ascii: "\n")] == plain)
    }

    @Test("gzip is told by its magic bytes, not the name")
    func magicNotName() throws {
        let directory = try TemporaryDirectory()
        let plain = sampleLines(10)
        let hidden = try directory.write("looks-plain.log", try gzip(plain))
        let fake = try directory.write("not-really.gz", plain)
        #expect(readLines(InputSource(path: hidden)).outcome.compression == .gzip)
        #expect(readLines(InputSource(path: hidden)).sink.lines.count == 10)
        #expect(readLines(InputSource(path: fake)).outcome.compression == .none)
        #expect(readLines(InputSource(path: fake)).sink.lines.count == 10)
    }

    @Test("multi-member gzip files are read whole", arguments: [1, 7, 1 << 20], GzipDecoder.allCases)
    func multiMember(chunkSize: Int, decoder: GzipDecoder) throws {
        let directory = try TemporaryDirectory()
        let first = sampleLines(100, seed: 1)
        let second = sampleLines(50, seed: 2)
        let path = try directory.write("joined.gz", try gzip(first) + gzip(second))
        let (sink, outcome) = readLines(InputSource(path: path), chunkSize: chunkSize, decoder: decoder)
        #expect(outcome.error == nil)
        #expect(sink.lines.count == 150)
        #expect(sink.lines.joined(separator: [UInt8(ascii: "\n")]) + [UInt8(ascii: "\n")] == first + second)
    }

    @Test(
        "a truncated gzip keeps what came before and reports the offset", arguments: [0.3, 0.6, 0.95],
        GzipDecoder.allCases)
    func truncated(fraction: Double, decoder: GzipDecoder) throws {
        let directory = try TemporaryDirectory()
        let plain = sampleLines(5000)
        let compressed = try gzip(plain)
        let cut = Int(Double(compressed.count) * fraction)
        let path = try directory.write("cut.gz", [UInt8](compressed[0..<cut]))
        let (sink, outcome) = readLines(InputSource(path: path), chunkSize: 4096, decoder: decoder)
        let error = try #require(outcome.error)
        #expect(error.code == .truncatedGzip)
        #expect(error.input == path)
        #expect(error.byteOffset == Int64(cut))
        #expect(error.description.contains("cut off"))
        // Everything inflated before the cut is kept: a prefix of the original, most of it.
        let kept = [UInt8](sink.lines.joined(separator: [UInt8(ascii: "\n")]))
        #expect(plain.starts(with: kept))
        let keptCount = kept.count
        #expect(Double(keptCount) > Double(plain.count) * fraction * 0.5)
    }

    @Test("corrupt gzip data keeps what came before and reports where", arguments: GzipDecoder.allCases)
    func corrupt(decoder: GzipDecoder) throws {
        let directory = try TemporaryDirectory()
        let plain = sampleLines(5000)
        var compressed = try gzip(plain)
        let spot = compressed.count / 2
        for index in spot..<spot + 64 { compressed[index] ^= 0x5a }
        let path = try directory.write("bad.gz", compressed)
        let (sink, outcome) = readLines(InputSource(path: path), chunkSize: 4096, decoder: decoder)
        let error = try #require(outcome.error)
        #expect(error.code == .corruptGzip || error.code == .truncatedGzip)
        let offset = try #require(error.byteOffset)
        #expect(offset >= Int64(spot) - 1024 && offset <= Int64(compressed.count))
        #expect(sink.lines.count > 1000)
        // Lines before the damaged region are intact.
        let original = plain.split(separator: UInt8(ascii: "\n")).map(Array.init)
        #expect(Array(sink.lines.prefix(1000)) == Array(original.prefix(1000)))
    }

    @Test("garbage after the last member is reported, not ignored", arguments: GzipDecoder.allCases)
    func trailingGarbage(decoder: GzipDecoder) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("tail.gz", try gzip(sampleLines(20)) + Array("not gzip".utf8))
        let (sink, outcome) = readLines(InputSource(path: path), decoder: decoder)
        #expect(sink.lines.count == 20)
        #expect(outcome.error?.code == .corruptGzip)
    }

    @Test("zero padding after the last member is accepted", arguments: GzipDecoder.allCases)
    func zeroPadding(decoder: GzipDecoder) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("padded.gz", try gzip(sampleLines(20)) + [UInt8](repeating: 0, count: 300))
        let (sink, outcome) = readLines(InputSource(path: path), decoder: decoder)
        #expect(sink.lines.count == 20)
        #expect(outcome.error == nil)
    }

    @Test("ISA-L is used when the build saw its header and the system has the library")
    func isalFound() {
        let header = FileManager.default.fileExists(atPath: "/usr/include/isa-l/igzip_lib.h")
        let library = ["/usr/lib/x86_64-linux-gnu/libisal.so.2", "/usr/lib/aarch64-linux-gnu/libisal.so.2"].contains {
            FileManager.default.fileExists(atPath: $0)
        }
        #if os(Linux)
            #expect(GzipDecoder.isalAvailable == (header && library))
        #endif
    }

    @Test("a member whose data does not match its checksum is reported corrupt", arguments: GzipDecoder.allCases)
    func badChecksum(decoder: GzipDecoder) throws {
        let directory = try TemporaryDirectory()
        var compressed = try gzip(sampleLines(50))
        compressed[compressed.count - 6] ^= 0xff
        let path = try directory.write("crc.gz", compressed)
        let (sink, outcome) = readLines(InputSource(path: path), decoder: decoder)
        #expect(sink.lines.count == 50)
        #expect(outcome.error?.code == .corruptGzip)
        #expect(outcome.error?.description.contains("incorrect data check") == true)
    }

    @Test("an empty file gives no lines and no error", arguments: ["empty.log", "empty.gz"])
    func empty(name: String) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(name, [UInt8]())
        let (sink, outcome) = readLines(InputSource(path: path))
        #expect(sink.lines.isEmpty)
        #expect(outcome.error == nil)
    }

    @Test("CRLF line ends are accepted, across chunk edges", arguments: [1, 2, 5, 4096])
    func crlf(chunkSize: Int) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("crlf.log", "a\r\nbb\r\n\r\nccc\r\nlast")
        let (sink, _) = readLines(InputSource(path: path), chunkSize: chunkSize)
        #expect(sink.lines.map { String(decoding: $0, as: UTF8.self) } == ["a", "bb", "", "ccc", "last"])
    }

    @Test("an overlong line is skipped and counted without stopping the rest", arguments: [3, 64, 4096, 1 << 20])
    func overlong(chunkSize: Int) throws {
        let directory = try TemporaryDirectory()
        let long = String(repeating: "x", count: 5000)
        let path = try directory.write("long.log", "first\n\(long)\nthird\n\(long)")
        let (sink, outcome) = readLines(InputSource(path: path), chunkSize: chunkSize, maxLineLength: 1000)
        #expect(outcome.error == nil)
        #expect(sink.lines.map { String(decoding: $0, as: UTF8.self) } == ["first", "third"])
        #expect(sink.numbers == [1, 3])
        #expect(sink.overlong == [2, 4])
    }

    @Test("a missing path is a clear error naming it")
    func missing() {
        let (sink, outcome) = readLines(InputSource(path: "/nonexistent/faultline/x.log"))
        #expect(sink.lines.isEmpty)
        #expect(outcome.error?.code == .notFound)
        #expect(outcome.error?.description.contains("/nonexistent/faultline/x.log") == true)
    }

    @Test("an unreadable file is a clear error", .enabled(if: getuid() != 0, "root reads everything"))
    func unreadable() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("secret.log", "a\n")
        chmod(path, 0)
        let (_, outcome) = readLines(InputSource(path: path))
        #expect(outcome.error?.code == .unreadable)
    }
}

@Suite("Input: resolving arguments")
struct InputResolverTests {
    @Test("a directory gives its regular files in sorted order, recursively")
    func directory() throws {
        let directory = try TemporaryDirectory()
        try directory.write("b.log", "x\n")
        try directory.write("a.log", "x\n")
        try directory.write("sub/c.log.gz", "x\n")
        let resolution = InputResolver.resolve([directory.path])
        #expect(resolution.errors.isEmpty)
        #expect(resolution.inputs.map(\.name) == ["a.log", "b.log", "sub/c.log.gz"].map { directory.path + "/" + $0 })
    }

    @Test("globs are expanded and missing paths become errors while the rest is kept")
    func globsAndMissing() throws {
        let directory = try TemporaryDirectory()
        try directory.write("x1.log", "x\n")
        try directory.write("x2.log", "x\n")
        let resolution = InputResolver.resolve([directory.path + "/x*.log", directory.path + "/nope.log", "-"])
        #expect(resolution.inputs.map(\.name) == [directory.path + "/x1.log", directory.path + "/x2.log", "-"])
        #expect(resolution.errors.count == 1)
        #expect(resolution.errors.first?.input == directory.path + "/nope.log")
        #expect(resolution.errors.first?.code == .notFound)
    }

    @Test("no arguments means standard input")
    func standardInput() {
        #expect(InputResolver.resolve([]).inputs == [.standardInput])
    }
}
