import CZlib

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs the pipeline over inputs: read, parse, classify, summarize; inputs in parallel, merged in order.
public struct Analyzer: Sendable {
    /// What to read and how.
    public struct Configuration: Sendable {
        /// The input format.
        public var format: FormatChoice = .auto
        /// `--field NAME=PATH` overrides.
        public var fieldOverrides: [FieldAliases.Alias] = []
        /// What to count.
        public var analysis = AnalysisOptions()
        /// The longest line read; longer ones are skipped and counted.
        public var maxLineLength = 1 << 20
        /// Worker threads.
        public var jobs = 1
        /// Whether gzip inflation runs on its own thread.
        public var threadedInflate = true
        /// Which library inflates gzip input.
        public var gzipDecoder = GzipDecoder.auto
        /// The size of decoded chunks (tests use odd sizes).
        public var chunkSize = 1 << 20
        /// Plain files of at least twice this size are cut into pieces of about this size, read in parallel.
        public var pieceSize = InputReader.pieceSize

        /// Defaults.
        public init() {}
    }

    /// The configuration.
    public let configuration: Configuration
    private let classifier = Classifier()

    /// An analyzer; throws when the format cannot be built (a bad `nginx:` string).
    public init(_ configuration: Configuration) throws(FaultlineError) {
        self.configuration = configuration
        _ = try LineParser.make(configuration.format, overrides: configuration.fieldOverrides)
    }

    /// One unit of work: an input, one piece of a large plain input, or one piece of a streamed input.
    private struct Task: Sendable {
        var input: Int
        var range: Range<Int64>?
        var stream: StreamPiece?
        /// Why a streamed input could not be opened.
        var failure: FaultlineError?
        var parser: LineParser?
        var formatReason: String?
        /// Whether the input ends with this task; a streamed piece says so when it ends.
        var lastOfInput = true
    }

    /// Reads every input; inputs that fail to open appear in the summary with their error.
    ///
    /// Inputs, the pieces of large plain files and the pieces of streamed inputs (gzip, standard input) are read in
    /// parallel and merged in input order. A feeder thread lists the tasks and inflates streamed inputs, so the
    /// workers parse beside it. The pieces do not depend on `jobs`, so the report is the same for any number of
    /// threads.
    public func run(_ inputs: [InputSource], progress: ProgressReporter? = nil) -> Summary {
        faultline_tune_allocator()
        let queue = TaskQueue<Task>()
        let merger = OrderedMerger(
            base: {
                var base = Summary(
                    windowMillis: configuration.analysis.windowMillis ?? Summary.autoBaseWindow,
                    windowFixed: configuration.analysis.windowMillis != nil)
                base.distinctCap = configuration.analysis.distinctCap
                return base
            }())
        let jobs = max(1, configuration.jobs)
        let feeder = WorkerThread {
            plan(inputs, jobs: jobs) { queue.append($0) }
            queue.close()
        }
        var workers: [WorkerThread] = []
        for _ in 0..<jobs {
            workers.append(
                WorkerThread {
                    // What every piece needs and gives back, kept for the next: made fresh, the kernel faulted
                    // in and zeroed them a page at a time for each piece.
                    var retryStorage: RetryTracker.Storage?
                    let readBuffer = UnsafeMutableRawBufferPointer.allocate(
                        byteCount: configuration.chunkSize, alignment: 64)
                    defer { readBuffer.deallocate() }
                    while let (index, task) = queue.take() {
                        // Pieces merge in order (`finishAndDeliver` waits for its turn), so at most `jobs` builders
                        // exist at once.
                        var piece = read(
                            task, inputs, progress, readBuffer: readBuffer, retryStorage: &retryStorage)
                        merger.finishAndDeliver(index, &piece)
                    }
                })
        }
        workers.forEach { $0.join() }
        feeder.join()
        return merger.result
    }

    /// Lists every input's tasks in order, inflating streamed inputs as their pieces are read.
    private func plan(_ inputs: [InputSource], jobs: Int, publish: (Task) -> Void) {
        // Made for the first streamed input. A worker can start a piece only once the feeder has decoded the piece
        // before it, and the feeder runs only as far ahead of that piece's worker as the pool allows: with 1 MiB
        // chunks, 16 buffers let the next piece start 16 MiB before the current one is parsed (README, Performance,
        // has the measurements and a simulation of 6 to 24), and bound the decoded bytes in flight to 16 MiB. One
        // worker needs only a few.
        var streamPool: BufferPool?
        for (index, input) in inputs.enumerated() {
            if input.path != nil, !Self.isGzip(input) {
                if let pieces = InputReader.pieces(of: input, pieceSize: configuration.pieceSize) {
                    let (parser, reason) = planParser(input)
                    for range in pieces {
                        publish(
                            Task(
                                input: index, range: range, parser: parser, formatReason: reason,
                                lastOfInput: range == pieces.last))
                    }
                } else {
                    publish(Task(input: index))
                }
                continue
            }
            let decoded: DecodedInput
            do throws(FaultlineError) {
                decoded = try DecodedInput(input, decoder: configuration.gzipDecoder)
            } catch {
                publish(Task(input: index, failure: error))
                continue
            }
            // The bytes read to sniff the format are handed to the feeder, to be read again as the first piece's.
            var head: [UInt8] = []
            var headError: FaultlineError?
            let (parser, reason) = planParser { (buffer) throws(FaultlineError) -> Int in
                do throws(FaultlineError) {
                    let count = try decoded.read(into: buffer)
                    head.append(contentsOf: buffer[0..<count])
                    return count
                } catch {
                    headError = error
                    throw error
                }
            }
            let pool =
                streamPool
                ?? BufferPool(
                    count: jobs > 1 ? 16 : 4, bufferSize: configuration.chunkSize)
            streamPool = pool
            StreamFeeder(pieceSize: configuration.pieceSize, pool: pool).feed(
                decoded, head: head, headError: headError
            ) { piece in
                publish(Task(input: index, stream: piece, parser: parser, formatReason: reason, lastOfInput: false))
            }
        }
    }

    /// Whether a file starts with gzip's magic number (false when it cannot be read: its task reports why).
    private static func isGzip(_ input: InputSource) -> Bool {
        guard let reader = try? FileReader(input) else { return false }
        var head = [UInt8](repeating: 0, count: 2)
        let count =
            (try? head.withUnsafeMutableBytes { (buffer) throws(FaultlineError) -> Int in
                try reader.read(into: buffer, at: 0)
            }) ?? 0
        return head.withUnsafeBytes { Compression.detect(UnsafeRawBufferPointer(rebasing: $0[0..<count])) } == .gzip
    }

    /// Analyses one input.
    public func analyze(_ input: InputSource, progress: ProgressReporter? = nil) -> Summary {
        run([input], progress: progress)
    }

    /// The parser every piece of a split input uses: the one asked for, or one sniffed from its start.
    private func planParser(_ input: InputSource) -> (LineParser?, String?) {
        guard let reader = try? FileReader(input) else { return planParser { _ in 0 } }
        var offset: Int64 = 0
        return planParser { (buffer) throws(FaultlineError) -> Int in
            let count = try reader.read(into: buffer, at: offset)
            offset += Int64(count)
            return count
        }
    }

    /// The parser for an input whose bytes `read` gives in order: the one asked for, or one sniffed from the lines an
    /// input read whole would sniff (`AnalysisSink`), so its pieces are read as the whole input would be.
    private func planParser(
        _ read: (UnsafeMutableRawBufferPointer) throws(FaultlineError) -> Int
    ) -> (LineParser?, String?) {
        if let explicit = try? LineParser.make(configuration.format, overrides: configuration.fieldOverrides) {
            return (explicit, nil)
        }
        var sniff = SniffLines()
        var splitter = LineSplitter(maxLineLength: configuration.maxLineLength)
        defer { splitter.deallocate() }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { buffer.deallocate() }
        while !sniff.done {
            guard let count = try? read(buffer), count > 0 else {
                splitter.finish(into: &sniff)
                break
            }
            splitter.feed(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count]), into: &sniff)
        }
        let sniffed = LineParser.sniff(sniff.lines, overrides: configuration.fieldOverrides)
        return (sniffed.parser, sniffed.reason)
    }

    /// Reads one task's lines into a builder; the piece is finished (made a summary) later, one at a time.
    ///
    /// `readBuffer` is the worker's for pieces of plain files; `retryStorage` is its retry table, taken for this
    /// piece and handed back once the piece is read, unless the builder frees it (`settleRetries`).
    private func read(
        _ task: Task, _ inputs: [InputSource], _ progress: ProgressReporter?,
        readBuffer: UnsafeMutableRawBufferPointer, retryStorage: inout RetryTracker.Storage?
    ) -> ReadPiece {
        let input = inputs[task.input]
        // The builder is made in the call: a copy held here as well would make its first retry update copy the
        // whole table.
        var sink = AnalysisSink(
            configuration: configuration, classifier: classifier, input: input, progress: progress,
            consumer: SummaryBuilder(
                options: configuration.analysis, expectedLines: expectedLines(task, input),
                retryStorage: retryStorage.take()),
            parser: task.parser, formatReason: task.formatReason)
        let reader = InputReader(
            maxLineLength: configuration.maxLineLength, chunkSize: configuration.chunkSize,
            threaded: configuration.threadedInflate, decoder: configuration.gzipDecoder)
        var outcome = InputReader.Outcome()
        var lastOfInput = task.lastOfInput
        if let failure = task.failure {
            outcome.error = failure
        } else if let stream = task.stream {
            (outcome, lastOfInput) = reader.read(stream, into: &sink)
        } else if let range = task.range {
            outcome = reader.read(input, range: range, buffer: readBuffer, into: &sink)
        } else {
            outcome = reader.read(input, into: &sink)
        }
        sink.finish()
        // A piece may wait for its turn: its largest table need not wait with it.
        retryStorage = sink.builder.settleRetries()
        return ReadPiece(sink: sink, stats: Self.stats(sink.stats, outcome), lastOfInput: lastOfInput)
    }

    /// A guess at a task's lines from its bytes (a log line is rarely under 64 bytes; gzip shrinks logs about
    /// eightfold), or nil for standard input. Only sizes tables up front: a wrong guess costs a regrowth.
    private func expectedLines(_ task: Task, _ input: InputSource) -> Int? {
        if let range = task.range { return Int(range.count / 64) }
        if task.stream != nil { return Int(configuration.pieceSize / 64) }
        guard let path = input.path, let size = (try? FileReader(input))?.size else { return nil }
        let compressed = path.hasSuffix(".gz") || path.hasSuffix(".gzip")
        return Int(min(size, Int64.max / 8) * (compressed ? 8 : 1) / 64)
    }

    /// A task whose lines are all read: its builder, waiting for its turn to merge.
    struct ReadPiece {
        var sink: AnalysisSink<SummaryBuilder>?
        let stats: InputStats
        /// Whether the piece is its input's last, so the input's statistics are complete once it merges.
        let lastOfInput: Bool

        /// Merges the piece into `summary`; returns its input statistics. Finished inside the sink: a copy of
        /// the builder taken out first would be copied again, whole, by the first change `finish` makes.
        mutating func finish(into summary: inout Summary) -> (InputStats, lastOfInput: Bool) {
            sink!.builder.finish(into: &summary)
            sink = nil
            return (stats, lastOfInput)
        }
    }

    private static func stats(_ base: InputStats, _ outcome: InputReader.Outcome) -> InputStats {
        var stats = base
        stats.compression = outcome.compression.rawValue
        stats.bytes = outcome.rawBytes
        stats.decodedBytes = outcome.decodedBytes
        if let error = outcome.error {
            stats.complete = false
            stats.error = error.description
            stats.errorCode = error.code.name
            stats.errorOffset = error.byteOffset
        }
        return stats
    }

    /// Reads one input through the pipeline into `consumer`; returns it with the input's statistics.
    func read<Consumer: RecordConsumer>(
        _ input: InputSource, consumer: Consumer, progress: ProgressReporter?
    ) -> (
        Consumer, InputStats
    ) {
        var sink = AnalysisSink(
            configuration: configuration, classifier: classifier, input: input, progress: progress, consumer: consumer)
        let reader = InputReader(
            maxLineLength: configuration.maxLineLength, chunkSize: configuration.chunkSize,
            threaded: configuration.threadedInflate, decoder: configuration.gzipDecoder)
        let outcome = reader.read(input, into: &sink)
        sink.finish()
        return (sink.builder, Self.stats(sink.stats, outcome))
    }
}

/// Receives each classified record of an input.
protocol RecordConsumer {
    mutating func consume(_ line: ParsedLine, _ classification: Classification)
}

extension SummaryBuilder: RecordConsumer {
    mutating func consume(_ line: ParsedLine, _ classification: Classification) {
        add(line, classification)
    }
}

/// The line sink of one input: sniffs its format, parses, classifies and hands records on.
struct AnalysisSink<Consumer: RecordConsumer>: LineSink {
    let configuration: Analyzer.Configuration
    let classifier: Classifier
    /// The classifier's buffers, kept from line to line so a failed line allocates nothing.
    private var scratch = Classifier.Scratch()
    var builder: Consumer
    var stats: InputStats
    /// The input's parser once known; until then (while sniffing) an unused one. Not an optional: a mutating call
    /// through `!` copied it, with a retain of each of its tables, at every line.
    private var parser = LineParser.unchosen
    private var hasParser = false
    private var pending: [(bytes: [UInt8], number: Int)] = []
    private var record = RequestRecord()
    private var joiner: JSONObjectJoiner
    private let progress: ProgressReporter?
    /// Whether `progress` is set, tested at each line: binding the optional copied the reporter, an existential
    /// copied and destroyed through the runtime's value witnesses, at every line.
    private let reportsProgress: Bool
    private var progressBytes = 0
    static var sniffLines: Int { 16 }

    init(
        configuration: Analyzer.Configuration, classifier: Classifier, input: InputSource, progress: ProgressReporter?,
        consumer: Consumer, parser: LineParser? = nil, formatReason: String? = nil
    ) {
        self.configuration = configuration
        self.classifier = classifier
        self.progress = progress
        reportsProgress = progress != nil
        builder = consumer
        joiner = JSONObjectJoiner(limit: configuration.maxLineLength)
        stats = InputStats(name: input.name)
        if let chosen = parser ?? (try? LineParser.make(configuration.format, overrides: configuration.fieldOverrides))
        {
            self.parser = chosen
            hasParser = true
            stats.format = chosen.name
            stats.formatReason = formatReason
        }
    }

    mutating func line(_ bytes: UnsafeMutableRawBufferPointer, number: Int) {
        stats.lines += 1
        if reportsProgress {
            progressBytes += bytes.count + 1
            if stats.lines & 0xffff == 0 {
                progress?.advance(bytes: progressBytes, lines: 0x10000)
                progressBytes = 0
            }
        }
        if !hasParser {
            pending.append((Array(bytes), number))
            if pending.count >= Self.sniffLines { finishSniffing() }
            return
        }
        handle(bytes, number: number)
    }

    mutating func overlongLine(number: Int) {
        stats.lines += 1
        if !hasParser && !pending.isEmpty {
            // Keep order: lines before it are parsed first.
            finishSniffing()
        }
        stats.skip(.lineTooLong, line: number)
    }

    /// Picks the format from the lines held back, then parses them.
    mutating func finishSniffing() {
        guard !hasParser else { return }
        let sniffed = LineParser.sniff(pending.map(\.bytes), overrides: configuration.fieldOverrides)
        parser = sniffed.parser
        hasParser = true
        stats.format = sniffed.parser.name
        stats.formatReason = sniffed.reason
        let held = pending
        pending = []
        for var line in held {
            line.bytes.withUnsafeMutableBytes { handle($0, number: line.number) }
        }
    }

    @inline(__always)
    private mutating func handle(_ bytes: UnsafeMutableRawBufferPointer, number: Int) {
        if joiner.isOpen {
            if let startLine = joiner.abandon(before: UnsafeRawBufferPointer(bytes)) {
                stats.skip(.malformedJSON, line: startLine)
            } else {
                _ = join(bytes, number: number)
                return
            }
        }
        if bytes.count > 0, memchr(bytes.baseAddress!, 0, bytes.count) != nil {
            stats.skip(.binary, line: number)
            return
        }
        parse(bytes, number: number, joining: true)
    }

    /// Parses one line or one joined object; with `joining`, a line the JSON parser rejects may still hold
    /// objects (pretty-printed, or an array of them), which are read rather than the line skipped.
    private mutating func parse(_ bytes: UnsafeMutableRawBufferPointer, number: Int, joining: Bool) {
        let result = parser.parse(bytes, into: &record)
        guard case .record = result else {
            if case .skipped(let reason) = result {
                if joining, reason == .malformedJSON || reason == .notAnObject, parser.isJSON,
                    JSONObjectJoiner.mayStart(UnsafeRawBufferPointer(bytes)), join(bytes, number: number)
                {
                    return
                }
                stats.skip(reason, line: number)
            }
            return
        }
        accept(bytes, number: number)
    }

    /// Reads the objects a line ends, holds or begins; false when it has none (the line is skipped as it was).
    private mutating func join(_ bytes: UnsafeMutableRawBufferPointer, number: Int) -> Bool {
        let wasOpen = joiner.isOpen
        let pieces = joiner.split(UnsafeRawBufferPointer(bytes), number: number)
        guard wasOpen || !pieces.isEmpty || joiner.isOpen else { return false }
        var startsRecord = joiner.openedOnLastLine
        for piece in pieces {
            switch piece {
            case .object(let range):
                startsRecord = true
                parse(UnsafeMutableRawBufferPointer(rebasing: bytes[range]), number: number, joining: false)
            case .joinedObject(let startLine):
                var object = joiner.joined
                object.withUnsafeMutableBytes { parse($0, number: startLine, joining: false) }
            case .overlongObject(let startLine):
                stats.skip(.lineTooLong, line: startLine)
            case .brokenObject:
                startsRecord = true
                stats.skip(.malformedJSON, line: number)
            }
        }
        // Each line is a record, a skip, or part of a record begun on an earlier line.
        if !startsRecord { stats.joinedLines += 1 }
        return true
    }

    /// Ends the input: an object still open was cut off.
    mutating func finish() {
        finishSniffing()
        if let startLine = joiner.finish() { stats.skip(.malformedJSON, line: startLine) }
    }

    @inline(__always)
    private mutating func accept(_ bytes: UnsafeMutableRawBufferPointer, number: Int) {
        if let time = record.time {
            if let since = configuration.analysis.since, time < since {
                stats.skip(.outsideRange, line: number)
                return
            }
            if let until = configuration.analysis.until, time >= until {
                stats.skip(.outsideRange, line: number)
                return
            }
        }
        stats.records += 1
        if record.timeAssumedUTC { stats.timeAssumedUTC += 1 }
        let parsed = ParsedLine(bytes: UnsafeRawBufferPointer(bytes), record: record, number: number)
        builder.consume(parsed, classifier.classify(parsed, scratch: &scratch))
    }
}

/// The lines `AnalysisSink` sniffs an input's format from: the first `sniffLines`, or those before the first
/// overlong line that follows one.
struct SniffLines: LineSink {
    private(set) var lines: [[UInt8]] = []
    /// Whether the lines are chosen; later ones are ignored.
    private(set) var done = false

    mutating func line(_ bytes: UnsafeMutableRawBufferPointer, number: Int) {
        guard !done else { return }
        lines.append(Array(bytes))
        done = lines.count >= AnalysisSink<SummaryBuilder>.sniffLines
    }

    mutating func overlongLine(number: Int) {
        if !lines.isEmpty { done = true }
    }
}

/// Receives progress from workers (bytes decoded so far); called from any thread.
public protocol ProgressReporter: Sendable {
    /// Adds `bytes` decoded bytes and `lines` lines to the running totals.
    func advance(bytes: Int, lines: Int)
}

/// Merges the results of tasks in task order as they arrive, so at most a few finished pieces wait
/// in memory (never all of them), and the merge order, hence the report, never depends on timing.
private final class OrderedMerger: @unchecked Sendable {
    private var lock = pthread_mutex_t()
    private var mergedCondition = pthread_cond_t()
    private var frontier = 0
    private var merged: Summary
    private var stats: InputStats?

    init(base: Summary) {
        merged = base
        pthread_mutex_init(&lock, nil)
        pthread_cond_init(&mergedCondition, nil)
    }

    /// Blocks until every task before `index` has been merged.
    func wait(until index: Int) {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        while frontier < index { pthread_cond_wait(&mergedCondition, &lock) }
    }

    /// Merges a read piece once every piece before it has merged, straight from its builder, one scope table
    /// at a time, so no piece is ever a whole summary in memory.
    ///
    /// A piece read before its turn waits for it rather than be made a summary to wait in its place: that
    /// summary (20 MB for a piece of 20,000 keys) came on top of both builders and was the 4 GB run's peak.
    /// The wait is short and rare: after one, the workers stay a merge apart and finish in turn.
    func finishAndDeliver(_ index: Int, _ piece: inout Analyzer.ReadPiece) {
        wait(until: index)
        // Only the piece at `frontier` touches `merged`, and `frontier` moves only below, so the merge needs no
        // lock: a worker about to read its next piece is not held up behind it.
        let (pieceStats, lastOfInput) = piece.finish(into: &merged)
        pthread_mutex_lock(&lock)
        advance(pieceStats, lastOfInput: lastOfInput)
        pthread_cond_broadcast(&mergedCondition)
        pthread_mutex_unlock(&lock)
        // The piece's builder is gone now; hand its pages back, or every worker's malloc arena keeps its
        // high-water mark.
        faultline_release_free_memory()
    }

    /// Counts the piece at `frontier` as merged; called with `lock` held.
    private func advance(_ pieceStats: InputStats, lastOfInput: Bool) {
        stats = stats.map { $0.appending(pieceStats) } ?? pieceStats
        if lastOfInput {
            merged.inputs.append(stats!)
            stats = nil
        }
        frontier += 1
    }

    var result: Summary {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        return merged
    }
}
