// Compiled into every fuzz target, in module FaultlineKit beside the library's sources.

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
