// The real InputReader on a file holding the fuzz input (plain or gzip, detected by magic bytes), with odd
// chunk sizes and line bounds picked from the input. Setting FAULTLINE_FUZZ_GZIP=1 wraps the input in a
// gzip stream first and then corrupts or truncates it, to reach the inflater with valid-looking headers.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

private struct CountingSink: LineSink {
    var lines = 0
    var bytes = 0
    var overlong = 0
    var lastNumber = 0
    /// The splitter's bound: the reader's, but never below 16.
    let maxLineLength: Int

    mutating func line(_ bytes: UnsafeMutableRawBufferPointer, number: Int) {
        precondition(number > lastNumber, "line numbers must increase")
        precondition(bytes.count <= maxLineLength, "a line longer than the bound was handed over")
        precondition(!bytes.contains(UInt8(ascii: "\n")), "a line holds a newline")
        lastNumber = number
        lines += 1
        self.bytes += bytes.count
        if let last = bytes.last { bytes[bytes.count - 1] = last }  // The sink may write.
    }

    mutating func overlongLine(number: Int) {
        precondition(number > lastNumber, "line numbers must increase")
        lastNumber = number
        overlong += 1
    }
}

private let path: String = {
    let path = "/tmp/faultline-fuzz-\(getpid()).in"
    atexit { unlink("/tmp/faultline-fuzz-\(getpid()).in") }
    return path
}()
private let gzipMode = getenv("FAULTLINE_FUZZ_GZIP").map { String(cString: $0) == "1" } ?? false

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 3 else { return 0 }
    // Three control bytes: chunk size, line bound, threading and (gzip mode) the corruption.
    let chunkSize = Int(data[0] % 64) + 1
    let maxLineLength = Int(data[1] % 128) + 1
    let threaded = data[2] & 1 == 1
    let decoder: GzipDecoder = data[1] & 0x80 == 0 ? .auto : .zlib
    var content = fuzzBytes(data + 3, size - 3)
    let original = content
    var intact = true
    if gzipMode {
        let corruption = Int(data[2] >> 1)
        content = fuzzGzip(content) + (data[2] & 0x80 != 0 ? fuzzGzip(content) : [])
        intact = corruption % 4 == 0 || corruption % 4 == 3
        if corruption % 4 == 1, !content.isEmpty {
            content[(corruption * 7) % content.count] ^= UInt8(truncatingIfNeeded: corruption | 1)
        } else if corruption % 4 == 2 {
            content.removeLast(min(content.count, corruption % 13 + 1))
        }
    }
    let file = fopen(path, "wb")!
    _ = content.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    fclose(file)
    var sink = CountingSink(maxLineLength: max(maxLineLength, 16))
    let reader = InputReader(
        maxLineLength: maxLineLength, chunkSize: chunkSize, threaded: threaded, decoder: decoder)
    let outcome = reader.read(InputSource(path: path), into: &sink)
    if gzipMode && intact {
        // Either decoder gives back exactly what was compressed.
        let expected = Int64(original.count) * (data[2] & 0x80 != 0 ? 2 : 1)
        precondition(outcome.error == nil, "an intact gzip stream failed: \(outcome.error!)")
        precondition(outcome.decodedBytes == expected, "an intact gzip stream lost bytes")
    }
    if outcome.compression == .none && outcome.error == nil {
        precondition(outcome.decodedBytes == Int64(content.count), "plain input lost bytes")
    }
    return 0
}
