import CZlib

/// Owns a zlib stream that inflates gzip members, one after another, from a file.
///
/// Multi-member files (`cat a.gz b.gz`) are read whole. A stream that ends early or holds bytes
/// zlib rejects raises an error with the compressed byte offset only after every byte inflated
/// before the fault has been returned, so nothing read before a fault is lost.
final class GzipInflater {
    private let reader: FileReader
    private var stream = z_stream()
    private let input: UnsafeMutableRawBufferPointer
    private var inputEnded = false
    private var memberOpen = false
    private var pending: FaultlineError?
    private var finished = false

    /// Raw bytes consumed so far, for reports and error offsets.
    var compressedOffset: Int64 { reader.offset - Int64(stream.avail_in) }

    init(reader: FileReader, prefix: UnsafeRawBufferPointer, inputBufferSize: Int = 256 * 1024) {
        self.reader = reader
        input = .allocate(byteCount: max(inputBufferSize, prefix.count), alignment: 16)
        if prefix.count > 0 {
            input.baseAddress!.copyMemory(from: prefix.baseAddress!, byteCount: prefix.count)
        }
        stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_in = uInt(prefix.count)
        let status = faultline_inflateInit2(&stream, 15 + 16)
        precondition(status == Z_OK, "zlib inflateInit2 failed: \(status)")
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
    }

    /// Inflates into `buffer`; returns 0 at the clean end of the last member.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(FaultlineError) -> Int {
        if finished { return 0 }
        guard buffer.count > 0 else { return 0 }
        if let pending {
            finished = true
            throw pending
        }
        stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(min(buffer.count, Int(UInt32.max)))
        while stream.avail_out > 0 {
            if stream.avail_in == 0 && !inputEnded {
                do throws(FaultlineError) {
                    if try refill() == 0 { inputEnded = true }
                } catch {
                    return try deliver(buffer, orThrow: error)
                }
            }
            if stream.avail_in == 0 && inputEnded {
                if memberOpen {
                    let error = FaultlineError(
                        .truncatedGzip, input: reader.name, byteOffset: reader.offset,
                        reason: "the gzip stream ends before its end marker (the file is cut off)",
                        hint: "everything before this point was analysed; copy the file again if it should be whole")
                    return try deliver(buffer, orThrow: error)
                }
                finished = true
                return produced(buffer)
            }
            if !memberOpen {
                // Between members: a member starts only with gzip's magic; zero padding ends the file.
                if stream.avail_in > 0 && stream.next_in.pointee == 0 {
                    if trailingZerosOnly() { continue }
                }
                memberOpen = true
            }
            let status = inflate(&stream, Z_NO_FLUSH)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                if status == Z_BUF_ERROR && stream.avail_in > 0 && stream.avail_out > 0 {
                    return try deliver(buffer, orThrow: corrupt("zlib made no progress"))
                }
                continue
            case Z_STREAM_END:
                memberOpen = false
                inflateReset(&stream)
            case Z_DATA_ERROR:
                let message = stream.msg.map { String(cString: $0) } ?? "invalid compressed data"
                return try deliver(buffer, orThrow: corrupt(message))
            case Z_MEM_ERROR:
                return try deliver(buffer, orThrow: corrupt("zlib ran out of memory"))
            default:
                return try deliver(buffer, orThrow: corrupt("zlib status \(status)"))
            }
        }
        return produced(buffer)
    }

    private func corrupt(_ message: String) -> FaultlineError {
        FaultlineError(
            .corruptGzip, input: reader.name, byteOffset: compressedOffset,
            reason: "the gzip data is corrupt: \(message)",
            hint: "everything before this point was analysed; the rest of the file was not read")
    }

    private func produced(_ buffer: UnsafeMutableRawBufferPointer) -> Int {
        buffer.count - Int(stream.avail_out)
    }

    /// Returns what this call inflated, keeping the error for the next call; or throws at once.
    private func deliver(
        _ buffer: UnsafeMutableRawBufferPointer, orThrow error: FaultlineError
    ) throws(FaultlineError)
        -> Int
    {
        let count = produced(buffer)
        if count > 0 {
            pending = error
            return count
        }
        finished = true
        throw error
    }

    private func refill() throws(FaultlineError) -> Int {
        let count = try reader.read(into: input)
        stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_in = uInt(count)
        return count
    }

    /// Skips zero bytes after the last member (tape padding); false if other bytes follow.
    private func trailingZerosOnly() -> Bool {
        while true {
            while stream.avail_in > 0 {
                if stream.next_in.pointee != 0 { return false }
                stream.next_in += 1
                stream.avail_in -= 1
            }
            if inputEnded { return true }
            guard let count = try? refill(), count > 0 else {
                inputEnded = true
                return true
            }
        }
    }
}
