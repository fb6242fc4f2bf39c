// The JSON field scanner and line parser, with the JSON-envelope access-log fallback the pipeline installs.

nonisolated(unsafe) private var parser: JSONLineParser = {
    var parser = JSONLineParser()
    parser.wrappedParser = { line, record in
        var cache = AccessLogFormat.Cache()
        for format in AccessLogFormat.presets {
            if case .record = format.parse(line, into: &record, cache: &cache) { return .record }
        }
        return .skipped(.formatMismatch)
    }
    return parser
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var bytes = fuzzBytes(data, size)
    var record = RequestRecord()
    bytes.withUnsafeMutableBytes { buffer in
        let result = parser.parse(buffer, into: &record)
        checkSpans(record, count: buffer.count)
        if result == .record {
            touchFields(ParsedLine(bytes: UnsafeRawBufferPointer(buffer), record: record, number: 1))
        }
    }
    return 0
}
