#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A progress line on standard error for long runs: bytes, lines and rate, redrawn in place.
public final class TerminalProgress: ProgressReporter, @unchecked Sendable {
    private var lock = pthread_mutex_t()
    private var bytes = 0
    private var lines = 0
    private let started: Double
    private var lastDraw: Double = 0
    private var drew = false

    private let total: Int64?

    /// A reporter that draws at most a few times a second; with `total` decoded bytes known, it shows an ETA.
    public init(total: Int64? = nil) {
        self.total = total
        pthread_mutex_init(&lock, nil)
        started = Self.now()
    }

    private static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Adds to the totals and redraws when due.
    public func advance(bytes: Int, lines: Int) {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        self.bytes += bytes
        self.lines += lines
        let now = Self.now()
        guard now - lastDraw >= 0.25, now - started >= 1 else { return }
        lastDraw = now
        drew = true
        let rate = Double(self.bytes) / max(now - started, 0.001) / 1e6
        var text = "\r\u{1B}[Kfaultline: \(self.bytes / 1_000_000) MB, \(self.lines) lines, \(Int(rate)) MB/s"
        if let total, total > 0, rate > 0 {
            let left = max(0, Double(total - Int64(self.bytes)) / 1e6 / rate)
            text += ", \(min(100, Int64(self.bytes) * 100 / total))%, ETA \(Int(left.rounded()))s"
        }
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }

    /// Clears the line.
    public func finish() {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        if drew {
            var text = "\r\u{1B}[K"
            text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        }
    }
}
