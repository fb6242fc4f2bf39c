/// Reads one input to its end, handing every line to a sink, and says how the read ended.
///
/// Gzip input is inflated on a second thread into a small ring of owned buffers, so parsing runs
/// beside zlib rather than after it (DESIGN.md, performance model).
public struct InputReader: Sendable {
    /// What the reader saw of one input.
    public struct Outcome: Sendable {
        /// How the bytes were encoded.
        public var compression: Compression = .none
        /// Raw bytes read (compressed bytes, for gzip).
        public var rawBytes: Int64 = 0
        /// Decoded bytes.
        public var decodedBytes: Int64 = 0
        /// Why the input could not be read whole, if it could not.
        public var error: FaultlineError?
    }

    /// The longest line handed over; longer ones are counted as `line_too_long`.
    public var maxLineLength: Int
    /// The size of each decoded chunk.
    public var chunkSize: Int
    /// Whether gzip inflation may run on its own thread.
    public var threaded: Bool
    /// Which library inflates gzip input.
    public var decoder: GzipDecoder

    /// A reader with the given bounds.
    public init(
        maxLineLength: Int = 1 << 20, chunkSize: Int = 1 << 20, threaded: Bool = true, decoder: GzipDecoder = .auto
    ) {
        self.maxLineLength = maxLineLength
        self.chunkSize = max(chunkSize, 1)
        self.threaded = threaded
        self.decoder = decoder
    }

    func read<Sink: LineSink>(_ source: InputSource, into sink: inout Sink) -> Outcome {
        var outcome = Outcome()
        let input: DecodedInput
        do throws(FaultlineError) {
            input = try DecodedInput(source, decoder: decoder)
        } catch {
            outcome.error = error
            return outcome
        }
        outcome.compression = input.compression
        var splitter = LineSplitter(maxLineLength: maxLineLength)
        defer { splitter.deallocate() }
        if threaded && input.compression == .gzip {
            readConcurrently(input, splitter: &splitter, sink: &sink, outcome: &outcome)
        } else {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 64)
            defer { buffer.deallocate() }
            while true {
                do throws(FaultlineError) {
                    let count = try input.read(into: buffer)
                    if count == 0 { break }
                    outcome.decodedBytes += Int64(count)
                    splitter.feed(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count]), into: &sink)
                } catch {
                    outcome.error = error
                    break
                }
            }
        }
        splitter.finish(into: &sink)
        outcome.rawBytes = input.rawBytesRead
        return outcome
    }

    /// Where a large plain file may be cut so that its pieces are read in parallel: piece boundaries
    /// depend only on the file (every `pieceSize` bytes, moved to the next line start), never on the
    /// number of threads, so the report is the same however many run. A streamed input (gzip, standard
    /// input) is cut by the same rule as it is decoded (`StreamFeeder`).
    public static let pieceSize: Int64 = 64 << 20

    /// The byte ranges of a plain regular file's pieces, or nil when it is read whole (gzip, a pipe,
    /// or no longer than a piece).
    static func pieces(of source: InputSource, pieceSize: Int64 = InputReader.pieceSize) -> [Range<Int64>]? {
        guard source.path != nil, let reader = try? FileReader(source), let size = reader.size,
            size > pieceSize
        else { return nil }
        var head = [UInt8](repeating: 0, count: 4096)
        let count =
            (try? head.withUnsafeMutableBytes { (buffer) throws(FaultlineError) -> Int in
                try reader.read(into: buffer, at: 0)
            }) ?? 0
        guard count >= 2, !(head[0] == 0x1f && head[1] == 0x8b) else { return nil }
        var starts: [Int64] = [0]
        var cut = pieceSize
        let probe = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { probe.deallocate() }
        while cut < size {
            // The next piece starts after the first newline at or after the cut.
            var offset = cut
            var found: Int64?
            while found == nil, offset < size, let read = try? reader.read(into: probe, at: offset), read > 0 {
                if let index = probe[0..<read].firstIndex(of: UInt8(ascii: "\n")) {
                    found = offset + Int64(index) + 1
                }
                offset += Int64(read)
            }
            guard let start = found, start < size else { break }
            starts.append(start)
            cut = start + pieceSize
        }
        guard starts.count > 1 else { return nil }
        return zip(starts, starts.dropFirst() + [size]).map { $0..<$1 }
    }

    /// The total size of the inputs when every one is a plain regular file (gzip told by its magic bytes,
    /// as when reading), for a progress ETA; nil when any size is not known ahead.
    public static func plainSize(of sources: [InputSource]) -> Int64? {
        var total: Int64 = 0
        var head = [UInt8](repeating: 0, count: 2)
        for source in sources {
            guard source.path != nil, let reader = try? FileReader(source), let size = reader.size else { return nil }
            let count =
                (try? head.withUnsafeMutableBytes { (buffer) throws(FaultlineError) -> Int in
                    try reader.read(into: buffer, at: 0)
                }) ?? 0
            if head.withUnsafeBytes({ Compression.detect(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }) == .gzip {
                return nil
            }
            total += size
        }
        return total
    }

    /// Reads the bytes `range` of a plain file through `buffer`, handing every line to a sink. The buffer is the
    /// worker's, the same for each of its pieces, so each piece does not fault in a fresh megabyte.
    func read<Sink: LineSink>(
        _ source: InputSource, range: Range<Int64>, buffer: UnsafeMutableRawBufferPointer, into sink: inout Sink
    ) -> Outcome {
        var outcome = Outcome()
        let reader: FileReader
        do throws(FaultlineError) {
            reader = try FileReader(source)
        } catch {
            outcome.error = error
            return outcome
        }
        var splitter = LineSplitter(maxLineLength: maxLineLength)
        defer { splitter.deallocate() }
        var offset = range.lowerBound
        while offset < range.upperBound {
            let want = Int(min(Int64(buffer.count), range.upperBound - offset))
            do throws(FaultlineError) {
                let count = try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]), at: offset)
                if count == 0 { break }
                offset += Int64(count)
                outcome.decodedBytes += Int64(count)
                splitter.feed(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count]), into: &sink)
            } catch {
                outcome.error = error
                break
            }
        }
        splitter.finish(into: &sink)
        outcome.rawBytes = outcome.decodedBytes
        return outcome
    }

    private struct Chunk: @unchecked Sendable {
        var buffer: UnsafeMutableRawBufferPointer
        var count: Int
        var error: FaultlineError?
        var last: Bool
    }

    private final class Box<T>: @unchecked Sendable {
        let value: T
        init(_ value: T) { self.value = value }
    }

    private func readConcurrently<Sink: LineSink>(
        _ input: DecodedInput, splitter: inout LineSplitter, sink: inout Sink, outcome: inout Outcome
    ) {
        let ringSize = 4
        let filled = BlockingQueue<Chunk>(capacity: ringSize)
        let free = BlockingQueue<Chunk>(capacity: ringSize)
        var buffers: [UnsafeMutableRawBufferPointer] = []
        for _ in 0..<ringSize {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 64)
            buffers.append(buffer)
            free.push(Chunk(buffer: buffer, count: 0, error: nil, last: false))
        }
        defer { buffers.forEach { $0.deallocate() } }
        let shared = Box(input)
        let producer = WorkerThread {
            while true {
                var chunk = free.pop()
                do throws(FaultlineError) {
                    chunk.count = try shared.value.read(into: chunk.buffer)
                    chunk.last = chunk.count == 0
                } catch {
                    chunk.count = 0
                    chunk.error = error
                    chunk.last = true
                }
                filled.push(chunk)
                if chunk.last { return }
            }
        }
        while true {
            let chunk = filled.pop()
            if chunk.count > 0 {
                outcome.decodedBytes += Int64(chunk.count)
                splitter.feed(UnsafeMutableRawBufferPointer(rebasing: chunk.buffer[0..<chunk.count]), into: &sink)
            }
            if chunk.last {
                outcome.error = chunk.error
                break
            }
            free.push(Chunk(buffer: chunk.buffer, count: 0, error: nil, last: false))
        }
        producer.join()
    }
}
