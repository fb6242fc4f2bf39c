/// An input's bytes after decompression, read in chunks into buffers the caller owns.
///
/// Compression is detected from the first bytes, so a gzip file without `.gz` and a plain file
/// named `.gz` are both read correctly.
final class DecodedInput {
    let source: InputSource
    let compression: Compression
    private let reader: FileReader
    private let inflater: GzipInflater?
    private var prefix: [UInt8]
    private var prefixConsumed = false

    /// Raw (compressed, for gzip) bytes read so far.
    var rawBytesRead: Int64 { inflater?.compressedOffset ?? reader.offset }

    /// The raw size of the input when it is a regular file.
    var rawSize: Int64? { reader.size }

    init(_ source: InputSource, decoder: GzipDecoder = .auto) throws(FaultlineError) {
        self.source = source
        let reader = try FileReader(source)
        self.reader = reader
        // Read until two bytes are known (a pipe may deliver one byte at a time) or the input ends.
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { scratch.deallocate() }
        var filled = 0
        while filled < 2 {
            let count = try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: scratch[filled...]))
            if count == 0 { break }
            filled += count
        }
        let head = [UInt8](scratch[0..<filled])
        let compression = head.withUnsafeBytes { Compression.detect($0) }
        self.compression = compression
        if compression == .gzip {
            inflater = head.withUnsafeBytes { GzipInflater(reader: reader, prefix: $0, decoder: decoder) }
            prefix = []
        } else {
            inflater = nil
            prefix = head
        }
    }

    /// Fills `buffer` with decoded bytes; returns 0 at the end of the input.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(FaultlineError) -> Int {
        if let inflater { return try inflater.read(into: buffer) }
        if !prefixConsumed {
            prefixConsumed = true
            if !prefix.isEmpty {
                let count = prefix.count
                if count <= buffer.count {
                    prefix.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: count) }
                    prefix = []
                    return count
                }
                prefix.withUnsafeBytes {
                    buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: buffer.count)
                }
                prefix.removeFirst(buffer.count)
                prefixConsumed = false
                return buffer.count
            }
        }
        return try reader.read(into: buffer)
    }
}
