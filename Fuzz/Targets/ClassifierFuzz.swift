// The classifier over whatever the JSON parser makes of the input (status and time need not parse: a
// record that was skipped is classified too, with a status forced in, to reach every rule stage).

private let classifier = Classifier()
nonisolated(unsafe) private var parser = JSONLineParser()
/// Kept from input to input, as a worker keeps it from line to line: what one line leaves in it must never
/// change the next line's result.
nonisolated(unsafe) private var scratch = Classifier.Scratch()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var bytes = fuzzBytes(data, size)
    var record = RequestRecord()
    bytes.withUnsafeMutableBytes { buffer in
        let result = parser.parse(buffer, into: &record)
        checkSpans(record, count: buffer.count)
        if result != .record {
            record.status = size > 0 ? [200, 400, 401, 403, 404, 429, 500, 503, 529][Int(data[0]) % 9] : 500
        }
        let line = ParsedLine(bytes: UnsafeRawBufferPointer(buffer), record: record, number: 1)
        let reused = classifier.classify(line, scratch: &scratch)
        let fresh = classifier.classify(line)
        if reused != fresh { fatalError("a reused scratch classified as \(reused), a fresh one as \(fresh)") }
        // The rate-limit numbers the analysis reads from messages, from the message and from the whole line.
        if let message = line.bytes(.errorMessage) { blackHole(Classifier.rateLimitDetails(message)) }
        blackHole(Classifier.rateLimitDetails(UnsafeRawBufferPointer(buffer)))
    }
    return 0
}
