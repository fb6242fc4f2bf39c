import Foundation
import Testing

@testable import FaultlineKit

@Suite("Pipeline: gzip input cut in pieces as it is inflated")
struct StreamSplitTests {
    static let pieceSize: Int64 = 256 << 10

    /// A generated log, its gzip'd copy, and the plain file's size.
    static func sample() throws -> (TemporaryDirectory, plain: String, gzip: String) {
        let directory = try TemporaryDirectory()
        var options = SampleOptions(format: .jsonl)
        options.lines = 12_000
        options.seed = 9
        let (generated, _) = try SampleGenerator(options: options).generate()
        let bytes = generated + Array("{not json\n".utf8) + Array(#"{"status":503,"ts":"2025-03-10T23:59:59Z"}"#.utf8)
        let plain = try directory.write("big.jsonl", bytes)
        let compressed = try directory.write("big.jsonl.gz", try FaultlineKitTests.gzip(bytes))
        return (directory, plain, compressed)
    }

    static func summary(
        _ path: String, jobs: Int, chunkSize: Int = 1 << 20, decoder: GzipDecoder = .auto
    ) throws
        -> Summary
    {
        var configuration = Analyzer.Configuration()
        configuration.pieceSize = pieceSize
        configuration.jobs = jobs
        configuration.chunkSize = chunkSize
        configuration.gzipDecoder = decoder
        return try Analyzer(configuration).run([InputSource(path: path)])
    }

    /// The JSON report with what tells the two copies apart (name, compression, raw size) made equal.
    static func report(_ summary: Summary) -> String {
        var summary = summary
        for index in summary.inputs.indices {
            summary.inputs[index].name = "input"
            summary.inputs[index].compression = "-"
            summary.inputs[index].bytes = 0
        }
        return JSONReport.render(Findings(summary))
    }

    @Test("the pieces of a stream are the pieces of its plain copy", arguments: [1000, 4096, 1 << 20])
    func sameCuts(chunkSize: Int) throws {
        let (directory, plain, compressed) = try Self.sample()
        _ = directory
        let expected = try #require(InputReader.pieces(of: InputSource(path: plain), pieceSize: Self.pieceSize))
        let input = try DecodedInput(InputSource(path: compressed))
        let queue = TaskQueue<StreamPiece>()
        let feeder = WorkerThread {
            StreamFeeder(pieceSize: Self.pieceSize, pool: BufferPool(count: 3, bufferSize: chunkSize)).feed(
                input, head: [], headError: nil
            ) { queue.append($0) }
            queue.close()
        }
        var sizes: [Int64] = []
        var last: [Bool] = []
        while let (_, piece) = queue.take() {
            var size: Int64 = 0
            reading: while true {
                switch piece.next() {
                case .chunk(let buffer, let count):
                    size += Int64(count)
                    piece.pool.give(buffer)
                case .end(let end):
                    #expect(end.error == nil)
                    last.append(end.lastOfInput)
                    break reading
                }
            }
            sizes.append(size)
        }
        feeder.join()
        #expect(sizes == expected.map { $0.upperBound - $0.lowerBound })
        #expect(last == expected.indices.map { $0 == expected.count - 1 })
    }

    @Test("a gzip'd log gives the report of its plain copy, for any jobs and chunk size", arguments: [1, 2, 3])
    func sameReport(jobs: Int) throws {
        let (directory, plain, compressed) = try Self.sample()
        _ = directory
        let reference = Self.report(try Self.summary(plain, jobs: 1))
        for chunkSize in [4093, 1 << 20] {
            for decoder in GzipDecoder.allCases {
                let summary = try Self.summary(compressed, jobs: jobs, chunkSize: chunkSize, decoder: decoder)
                #expect(summary.inputs.first?.compression == "gzip")
                #expect(Self.report(summary) == reference, "jobs \(jobs), chunk \(chunkSize), \(decoder)")
            }
        }
    }

    @Test("a cut-off gzip'd log keeps every piece before the cut and reports the error once")
    func truncatedAcrossPieces() throws {
        let (directory, plain, compressed) = try Self.sample()
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: compressed)))
        let cut = try directory.write("cut.jsonl.gz", Array(bytes[0..<(bytes.count * 3 / 4)]))
        let whole = try Self.summary(plain, jobs: 2)
        let summary = try Self.summary(cut, jobs: 2)
        let stats = try #require(summary.inputs.first)
        #expect(summary.inputs.count == 1)
        #expect(!stats.complete)
        #expect(stats.errorCode == "truncated_gzip")
        #expect(stats.bytes == Int64(bytes.count * 3 / 4))
        let total = try #require(whole.inputs.first)
        #expect(stats.lines > total.lines / 2 && stats.lines < total.lines)
    }

    static let oddLogs: [String] = [
        ":",
        "",
        "\n\n\n",
        #"{"status":429,"ts":"2025-03-10T12:00:00Z"}"#,
        "127.0.0.1 - - [10/Mar/2025:12:00:00 +0000] \"GET / HTTP/1.1\" 503 12 \"-\" \"curl\"\r\n",
        String(repeating: "x", count: 300) + "\n" + #"{"status":401,"ts":"2025-03-10T12:00:01Z"}"# + "\n",
        "\u{0}\u{1}junk\n" + #"{"status":500}"# + "\n{\n  \"status\": 502\n}\n",
    ]

    @Test("a short or odd log sniffs the same gzip'd as plain", arguments: oddLogs.indices)
    func sameSniff(index: Int) throws {
        let directory = try TemporaryDirectory()
        let bytes = Array(Self.oddLogs[index].utf8)
        let plain = try directory.write("odd.log", bytes)
        let compressed = try directory.write("odd.log.gz", try FaultlineKitTests.gzip(bytes))
        var configuration = Analyzer.Configuration()
        configuration.maxLineLength = 256
        configuration.jobs = 2
        let analyzer = try Analyzer(configuration)
        let fromPlain = analyzer.run([InputSource(path: plain)])
        let fromGzip = analyzer.run([InputSource(path: compressed)])
        #expect(fromGzip.inputs.first?.format == fromPlain.inputs.first?.format)
        #expect(fromGzip.inputs.first?.formatReason == fromPlain.inputs.first?.formatReason)
        #expect(Self.report(fromGzip) == Self.report(fromPlain))
    }
}
