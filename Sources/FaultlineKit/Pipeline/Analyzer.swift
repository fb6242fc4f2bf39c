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
        /// The size of decoded chunks (tests use odd sizes).
        public var chunkSize = 1 << 20

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

    /// Reads every input; inputs that fail to open appear in the summary with their error.
    public func run(_ inputs: [InputSource], progress: ProgressReporter? = nil) -> Summary {
        var results = [Summary?](repeating: nil, count: inputs.count)
        let jobs = max(1, min(configuration.jobs, inputs.count))
        if jobs == 1 {
            for (index, input) in inputs.enumerated() { results[index] = analyze(input, progress: progress) }
        } else {
            let box = ResultBox(count: inputs.count)
            let next = Counter()
            var workers: [WorkerThread] = []
            for _ in 0..<jobs {
                workers.append(
                    WorkerThread {
                        while true {
                            let index = next.increment()
                            if index >= inputs.count { return }
                            box.set(index, analyze(inputs[index], progress: progress))
                        }
                    })
            }
            workers.forEach { $0.join() }
            results = box.values
        }
        var merged = Summary(
            windowMillis: configuration.analysis.windowMillis ?? Summary.windowLadder[0],
            windowFixed: configuration.analysis.windowMillis != nil)
        for result in results { if let result { merged = merged.merging(result) } }
        return merged
    }

    /// Analyses one input on the calling thread.
    public func analyze(_ input: InputSource, progress: ProgressReporter? = nil) -> Summary {
        let (consumer, stats) = read(
            input, consumer: SummaryBuilder(options: configuration.analysis), progress: progress)
        var builder = consumer
        builder.addInput(stats)
        return builder.finish()
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
            threaded: configuration.threadedInflate)
        let outcome = reader.read(input, into: &sink)
        sink.finishSniffing()
        var stats = sink.stats
        stats.compression = outcome.compression.rawValue
        stats.bytes = outcome.rawBytes
        stats.decodedBytes = outcome.decodedBytes
        if let error = outcome.error {
            stats.complete = false
            stats.error = error.description
            stats.errorCode = error.code.name
            stats.errorOffset = error.byteOffset
        }
        return (sink.builder, stats)
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
    var builder: Consumer
    var stats: InputStats
    private var parser: LineParser?
    private var pending: [(bytes: [UInt8], number: Int)] = []
    private var record = RequestRecord()
    private let progress: ProgressReporter?
    static var sniffLines: Int { 16 }

    init(
        configuration: Analyzer.Configuration, classifier: Classifier, input: InputSource, progress: ProgressReporter?,
        consumer: Consumer
    ) {
        self.configuration = configuration
        self.classifier = classifier
        self.progress = progress
        builder = consumer
        stats = InputStats(name: input.name)
        parser = try? LineParser.make(configuration.format, overrides: configuration.fieldOverrides)
        if let parser { stats.format = parser.name }
    }

    mutating func line(_ bytes: UnsafeMutableRawBufferPointer, number: Int) {
        stats.lines += 1
        if parser == nil {
            pending.append((Array(bytes), number))
            if pending.count >= Self.sniffLines { finishSniffing() }
            return
        }
        handle(bytes, number: number)
    }

    mutating func overlongLine(number: Int) {
        stats.lines += 1
        if parser == nil && !pending.isEmpty {
            // Keep order: lines before it are parsed first.
            finishSniffing()
        }
        stats.skip(.lineTooLong, line: number)
    }

    /// Picks the format from the lines held back, then parses them.
    mutating func finishSniffing() {
        guard parser == nil else { return }
        let sniffed = LineParser.sniff(pending.map(\.bytes), overrides: configuration.fieldOverrides)
        parser = sniffed.parser
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
        if bytes.count > 0, memchr(bytes.baseAddress!, 0, bytes.count) != nil {
            stats.skip(.binary, line: number)
            return
        }
        let result = parser!.parse(bytes, into: &record)
        guard case .record = result else {
            if case .skipped(let reason) = result { stats.skip(reason, line: number) }
            return
        }
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
        builder.consume(parsed, classifier.classify(parsed))
    }
}

/// Receives progress from workers (bytes decoded so far); called from any thread.
public protocol ProgressReporter: Sendable {
    /// Adds `bytes` decoded bytes and `lines` lines to the running totals.
    func advance(bytes: Int, lines: Int)
}

private final class ResultBox: @unchecked Sendable {
    private var lock = pthread_mutex_t()
    private(set) var values: [Summary?]

    init(count: Int) {
        values = Array(repeating: nil, count: count)
        pthread_mutex_init(&lock, nil)
    }

    func set(_ index: Int, _ value: Summary) {
        pthread_mutex_lock(&lock)
        values[index] = value
        pthread_mutex_unlock(&lock)
    }
}

private final class Counter: @unchecked Sendable {
    private var lock = pthread_mutex_t()
    private var value = 0

    init() { pthread_mutex_init(&lock, nil) }

    func increment() -> Int {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        value += 1
        return value - 1
    }
}
