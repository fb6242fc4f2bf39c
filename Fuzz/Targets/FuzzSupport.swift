// Compiled into every fuzz target, in module FaultlineKit beside the library's sources.

import CZlib

/// `input` as one gzip member (zlib's deflate with a gzip wrapper).
func fuzzGzip(_ input: [UInt8]) -> [UInt8] {
    var stream = z_stream()
    guard faultline_deflateInit2(&stream, 6) == Z_OK else { return input }
    defer { deflateEnd(&stream) }
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 32)
    var input = input
    let written: Int = input.withUnsafeMutableBufferPointer { source in
        output.withUnsafeMutableBufferPointer { target in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            stream.next_out = target.baseAddress
            stream.avail_out = UInt32(target.count)
            _ = deflate(&stream, Z_FINISH)
            return target.count - Int(stream.avail_out)
        }
    }
    return Array(output[..<written])
}

/// The fuzz input as an owned, mutable array (parsers may rewrite lines in place).
func fuzzBytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
    Array(UnsafeBufferPointer(start: data, count: size))
}

/// Checks that every present field of a parsed record lies inside the line.
func checkSpans(_ record: RequestRecord, count: Int) {
    for field in RecordField.allCases where record[field].isPresent {
        let span = record[field]
        precondition(span.start >= 0 && span.count >= 0, "negative span for \(field)")
        precondition(Int(span.start) + Int(span.count) <= count, "span of \(field) past the line end")
    }
}

/// Reads every present field the way the reports do, so ASan sees each byte range touched.
func touchFields(_ line: ParsedLine) {
    var sink = 0
    for field in RecordField.allCases {
        if let bytes = line.bytes(field) { sink &+= bytes.reduce(0) { $0 &+ Int($1) } }
        if let text = line.string(field) { sink &+= text.utf8.count }
    }
    blackHole(sink)
}

@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
