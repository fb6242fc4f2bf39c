#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Decodes a streamed input (gzip, or standard input) on its own thread and cuts it into pieces the workers parse in
/// parallel, so inflation runs on one core and parsing on the rest.
///
/// A piece ends at the first line end at or after `pieceSize` bytes from its start: the rule `InputReader.pieces`
/// follows for a plain file, so a log and its gzip'd copy are cut alike and give the same report, for any number of
/// threads.
struct StreamFeeder {
    let pieceSize: Int64
    let pool: BufferPool

    /// Decodes `input` to its end; `head` holds the decoded bytes already read from it (to sniff its format), and
    /// `headError` how that read ended, if it failed. Each piece is handed to `publish` as it begins, so a worker
    /// reads it while it is still being decoded.
    func feed(_ input: DecodedInput, head: [UInt8], headError: FaultlineError?, publish: (StreamPiece) -> Void) {
        var headOffset = 0
        var current = StreamPiece(compression: input.compression, pool: pool, capacity: pool.count)
        publish(current)
        var pieceStart: Int64 = 0
        var position: Int64 = 0
        var rawAtStart: Int64 = 0
        // A cut found at a chunk's last byte: the piece ends there only if more bytes follow.
        var cutPending = false

        func end(_ piece: StreamPiece, error: FaultlineError?, last: Bool) {
            piece.push(.end(.init(rawBytes: input.rawBytesRead - rawAtStart, error: error, lastOfInput: last)))
        }

        while true {
            let buffer = pool.take()
            var count = 0
            var failure: FaultlineError?
            if headOffset < head.count {
                count = min(buffer.count, head.count - headOffset)
                head.withUnsafeBytes {
                    buffer.baseAddress!.copyMemory(from: $0.baseAddress! + headOffset, byteCount: count)
                }
                headOffset += count
            } else if let headError {
                failure = headError
            } else {
                do throws(FaultlineError) {
                    count = try input.read(into: buffer)
                } catch {
                    failure = error
                }
            }
            if count == 0 {
                pool.give(buffer)
                end(current, error: failure, last: true)
                return
            }
            var offset = 0
            while offset < count {
                if cutPending {
                    cutPending = false
                    end(current, error: nil, last: false)
                    current = StreamPiece(compression: input.compression, pool: pool, capacity: pool.count)
                    publish(current)
                    pieceStart = position + Int64(offset)
                    rawAtStart = input.rawBytesRead
                }
                let from = Int(max(Int64(offset), min(pieceStart + pieceSize - position, Int64(count))))
                guard from < count,
                    let hit = memchr(buffer.baseAddress! + from, Int32(UInt8(ascii: "\n")), count - from)
                else { break }
                let cut = buffer.baseAddress!.distance(to: hit) + 1
                cutPending = true
                if cut == count { break }
                // The piece ends inside this chunk: its share is copied out, so every buffer has one reader.
                let share = pool.take()
                share.baseAddress!.copyMemory(from: buffer.baseAddress! + offset, byteCount: cut - offset)
                current.push(.chunk(share, count: cut - offset))
                offset = cut
            }
            if offset > 0 {
                // The rest moves to the buffer's start, so a chunk always begins at its buffer's.
                memmove(buffer.baseAddress!, buffer.baseAddress! + offset, count - offset)
            }
            if count > offset {
                current.push(.chunk(buffer, count: count - offset))
            } else {
                pool.give(buffer)
            }
            position += Int64(count)
        }
    }
}
