import ArgumentParser
import FaultlineKit

#if canImport(Glibc)
    import Glibc
#endif

/// Options every analysing command accepts (REPORT.md, "Command line").
struct InputOptions: ParsableArguments {
    @Argument(help: "Files, directories, globs, or - for standard input (default: standard input).")
    var inputs: [String] = []

    @Option(help: "Input format: auto, jsonl, combined, common, ingress-nginx, envoy, alb, or 'nginx:<log_format>'.")
    var format = "auto"

    @Option(
        name: .customLong("field"), help: "Map a record field to a JSON path, e.g. status=response.code (repeatable).")
    var fields: [String] = []

    @Option(help: "Skip records before this RFC 3339 instant (inclusive).")
    var since: String?

    @Option(help: "Skip records at or after this RFC 3339 instant (exclusive).")
    var until: String?

    @Option(help: "Fingerprint keys with HMAC-SHA-256 keyed by this secret instead of plain SHA-256.")
    var keySalt: String?

    @Option(help: "Worker threads (default: the machine's cores).")
    var jobs: Int?

    @Option(
        help:
            "Track at most this many distinct keys, orgs, models, endpoints and hosts each; more are counted together and reported as dropped."
    )
    var maxDistinct = 20_000

    @Option(help: "Skip lines longer than this many bytes (counted as line_too_long).")
    var maxLineLength = 1 << 20

    @Flag(help: "No progress on standard error.")
    var quiet = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if maxLineLength < 64 { throw ValidationError("--max-line-length must be at least 64") }
        if maxDistinct < 1 { throw ValidationError("--max-distinct must be at least 1") }
    }

    /// Whether the command should print usage instead of waiting on a terminal.
    var waitsOnTerminal: Bool { inputs.isEmpty && isatty(0) != 0 }

    func configuration(window: Int64?) throws(FaultlineError) -> Analyzer.Configuration {
        var configuration = Analyzer.Configuration()
        configuration.format = try FormatChoice(parsing: format)
        configuration.fieldOverrides = try fields.map { (text) throws(FaultlineError) in
            try FieldAliases.parseOverride(text)
        }
        configuration.analysis.windowMillis = window
        configuration.analysis.keySalt = keySalt
        configuration.analysis.since = try since.map { (text) throws(FaultlineError) in
            try Self.instant(text, "--since")
        }
        configuration.analysis.until = try until.map { (text) throws(FaultlineError) in
            try Self.instant(text, "--until")
        }
        configuration.maxLineLength = maxLineLength
        configuration.analysis.distinctCap = maxDistinct
        configuration.jobs = jobs ?? max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        configuration.gzipDecoder = GzipDecoder.fromEnvironment(getenv("FAULTLINE_INFLATE").map { String(cString: $0) })
        return configuration
    }

    private static func instant(_ text: String, _ option: String) throws(FaultlineError) -> Int64 {
        let parsed = Array(text.utf8).withUnsafeBytes { Timestamp.parseAny($0) }
        guard let parsed else {
            throw FaultlineError(
                .badOption, reason: "\(option) '\(text)' is not a time", hint: "use RFC 3339, e.g. 2025-03-10T13:00:00Z"
            )
        }
        return parsed.millis
    }
}

/// Writes a message to standard error, through the same redaction as every report (a mistyped option
/// can hold a key).
func printError(_ text: String) {
    var redactor = Redactor()
    var line = redactor.clean(text) + "\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}
