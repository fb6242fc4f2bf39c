import Foundation
import Testing

@testable import FaultlineKit

@Suite("Pipeline: large plain files read in pieces")
struct SplitReadTests {
    static func sample() throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        var options = SampleOptions(format: .jsonl)
        options.lines = 12_000
        options.seed = 9
        let (bytes, _) = try SampleGenerator(options: options).generate()
        let path = try directory.write("big.jsonl", bytes + Array("{not json\n".utf8))
        return (directory, path)
    }

    static func report(_ path: String, pieceSize: Int64, jobs: Int) throws -> String {
        var configuration = Analyzer.Configuration()
        configuration.pieceSize = pieceSize
        configuration.jobs = jobs
        let summary = try Analyzer(configuration).run([InputSource(path: path)])
        return JSONReport.render(Findings(summary))
    }

    @Test("pieces cut at line starts cover the file exactly")
    func piecesCoverTheFile() throws {
        let (directory, path) = try Self.sample()
        _ = directory
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int64
        let pieces = try #require(InputReader.pieces(of: InputSource(path: path), pieceSize: 256 << 10))
        #expect(pieces.count > 4)
        #expect(pieces.first?.lowerBound == 0)
        #expect(pieces.last?.upperBound == size)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for (left, right) in zip(pieces, pieces.dropFirst()) {
            #expect(left.upperBound == right.lowerBound)
            #expect(bytes[Int(right.lowerBound) - 1] == UInt8(ascii: "\n"))
        }
    }

    @Test("the report is the same for any number of jobs", arguments: [2, 3, 5])
    func sameForAnyJobs(jobs: Int) throws {
        let (directory, path) = try Self.sample()
        _ = directory
        let serial = try Self.report(path, pieceSize: 256 << 10, jobs: 1)
        let parallel = try Self.report(path, pieceSize: 256 << 10, jobs: jobs)
        #expect(serial == parallel)
    }

    @Test("pieces count the same lines, records, skips and line numbers as one pass")
    func sameCountsAsOnePass() throws {
        let (directory, path) = try Self.sample()
        _ = directory
        var whole = Analyzer.Configuration()
        whole.pieceSize = 1 << 40
        var split = Analyzer.Configuration()
        split.pieceSize = 256 << 10
        split.jobs = 2
        let one = try Analyzer(whole).run([InputSource(path: path)])
        let many = try Analyzer(split).run([InputSource(path: path)])
        #expect(many.inputs == one.inputs)
        #expect(many.inputs.first?.skippedExamples.first?.line == 12_001)
        #expect(many.requests == one.requests)
        #expect(many.byStatus == one.byStatus)
        #expect(many.byCause == one.byCause)
        #expect(many.timeline == one.timeline)
        #expect(many.keys.mapValues(\.requests) == one.keys.mapValues(\.requests))
        #expect(Findings(many).incidents.map(\.summary) == Findings(one).incidents.map(\.summary))
    }
}
