// Every access-log preset on the whole input, then an nginx `log_format` compiled from the input's first
// line and run on the rest.

nonisolated(unsafe) private var cache = AccessLogFormat.Cache()

private func run(_ format: AccessLogFormat, _ line: inout [UInt8]) {
    var record = RequestRecord()
    line.withUnsafeMutableBytes { buffer in
        let result = format.parse(buffer, into: &record, cache: &cache)
        checkSpans(record, count: buffer.count)
        if result == .record {
            touchFields(ParsedLine(bytes: UnsafeRawBufferPointer(buffer), record: record, number: 1))
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    for format in AccessLogFormat.presets {
        var line = bytes
        run(format, &line)
    }
    guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return 0 }
    let layout = String(decoding: bytes[..<newline], as: UTF8.self)
    var line = Array(bytes[(newline + 1)...])
    do throws(FaultlineError) {
        let format = try AccessLogFormat(nginxLogFormat: layout)
        run(format, &line)
    } catch {
        blackHole(error)
    }
    return 0
}
