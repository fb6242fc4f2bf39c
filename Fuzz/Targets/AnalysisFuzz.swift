// The whole analysis over the input as a log file: format sniffing, the parsers, the classifier, the counters
// and their interner, retry chains, failure groups and their windows, the summary merge and the JSON report.
// The first byte picks small caps, so the bounded tables fill, overflow and evict within one short input.
// The input is also analysed gzip'd, inflated and cut into pieces as it streams: the report must be the plain
// file's.

#if canImport(Glibc)
    import Glibc
#endif

nonisolated(unsafe) private var path: String = {
    "/tmp/faultline-fuzz-analysis-\(getpid()).log"
}()
nonisolated(unsafe) private var gzipPath: String = {
    "/tmp/faultline-fuzz-analysis-\(getpid()).log.gz"
}()

/// A summary's JSON report without what tells a file from its gzip'd copy.
private func comparable(_ summary: Summary) -> String {
    var summary = summary
    for index in summary.inputs.indices {
        summary.inputs[index].name = "input"
        summary.inputs[index].compression = "-"
        summary.inputs[index].bytes = 0
    }
    return JSONReport.render(Findings(summary, windowMillis: nil))
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let knobs = data[0]
    let body = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    guard let file = fopen(path, "wb") else { return 0 }
    if body.count > 0 { fwrite(body.baseAddress, 1, body.count, file) }
    fclose(file)

    var configuration = Analyzer.Configuration()
    configuration.analysis.distinctCap = [2, 3, 8, 20_000][Int(knobs & 3)]
    configuration.analysis.groupCap = [1, 4, 50, 4_000][Int(knobs >> 2 & 3)]
    configuration.analysis.retryCapacity = [1, 16, 1 << 17][Int(knobs >> 4 & 1) * (knobs & 0x20 == 0 ? 1 : 2)]
    configuration.analysis.windowMillis = knobs & 0x40 == 0 ? nil : 1_000
    configuration.format = knobs & 0x80 == 0 ? .auto : .jsonl
    configuration.maxLineLength = 4_096
    // Small pieces and chunks, so a short input is read in several and merged, and pieces end inside chunks.
    configuration.pieceSize = 256
    configuration.chunkSize = 61
    configuration.jobs = 2
    guard let analyzer = try? Analyzer(configuration) else { return 0 }
    let summary = analyzer.analyze(InputSource(path: path))
    if !(body.count >= 2 && body[0] == 0x1f && body[1] == 0x8b), let gzipFile = fopen(gzipPath, "wb") {
        let compressed = fuzzGzip(Array(body))
        _ = compressed.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, gzipFile) }
        fclose(gzipFile)
        let streamed = analyzer.analyze(InputSource(path: gzipPath))
        precondition(comparable(streamed) == comparable(summary), "a gzip'd copy gave another report")
    }
    // A summary merged with itself must still render.
    let merged = summary.merging(summary)
    blackHole(JSONReport.render(Findings(summary, windowMillis: nil)))
    blackHole(JSONReport.render(Findings(merged, windowMillis: nil)))
    return 0
}
