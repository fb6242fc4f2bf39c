/// Fixed-size buffers shared by a feeder and the workers that read what it decoded: the pool's size bounds the
/// decoded bytes in flight, however far inflation runs ahead of parsing.
final class BufferPool: @unchecked Sendable {
    let bufferSize: Int
    let count: Int
    private let free: BlockingQueue<UnsafeMutableRawBufferPointer>
    private var all: [UnsafeMutableRawBufferPointer] = []

    init(count: Int, bufferSize: Int) {
        self.bufferSize = bufferSize
        self.count = count
        free = BlockingQueue(capacity: count)
        for _ in 0..<count {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 64)
            all.append(buffer)
            free.push(buffer)
        }
    }

    deinit { all.forEach { $0.deallocate() } }

    /// A free buffer; waits until a reader gives one back.
    func take() -> UnsafeMutableRawBufferPointer { free.pop() }

    /// Gives a buffer back once its bytes are read.
    func give(_ buffer: UnsafeMutableRawBufferPointer) { free.push(buffer) }
}

/// One piece of a streamed input (gzip, or standard input): the decoded chunks a feeder cut for it, from a line
/// start to a line end, so the pieces of one stream are parsed in parallel like the pieces of a plain file.
final class StreamPiece: @unchecked Sendable {
    /// How the piece ended.
    struct End {
        /// Raw (compressed) bytes read while the piece was decoded.
        var rawBytes: Int64
        /// Why the input stopped here, when it could not be read whole.
        var error: FaultlineError?
        /// Whether the input ends with this piece.
        var lastOfInput: Bool
    }

    enum Item {
        case chunk(UnsafeMutableRawBufferPointer, count: Int)
        case end(End)
    }

    let compression: Compression
    let pool: BufferPool
    private let items: BlockingQueue<Item>

    init(compression: Compression, pool: BufferPool, capacity: Int) {
        self.compression = compression
        self.pool = pool
        // Room for every pooled buffer and the end: the pool, not this queue, is what holds the feeder back, so
        // a piece no worker has taken yet never blocks the pieces before it.
        items = BlockingQueue(capacity: capacity + 1)
    }

    func push(_ item: Item) { items.push(item) }

    /// The next chunk or the end; waits for the feeder.
    func next() -> Item { items.pop() }
}

extension InputReader {
    /// Reads a piece of a streamed input, handing every line to a sink; gives each chunk back to the pool once read.
    func read<Sink: LineSink>(_ piece: StreamPiece, into sink: inout Sink) -> (Outcome, lastOfInput: Bool) {
        var outcome = Outcome()
        outcome.compression = piece.compression
        var splitter = LineSplitter(maxLineLength: maxLineLength)
        defer { splitter.deallocate() }
        while true {
            switch piece.next() {
            case .chunk(let buffer, let count):
                outcome.decodedBytes += Int64(count)
                splitter.feed(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count]), into: &sink)
                piece.pool.give(buffer)
            case .end(let end):
                splitter.finish(into: &sink)
                outcome.rawBytes = end.rawBytes
                outcome.error = end.error
                return (outcome, end.lastOfInput)
            }
        }
    }
}
