import ArgumentParser
import FaultlineKit

#if canImport(Glibc)
    import Glibc
#endif

/// The shared tail of `analyze` and `merge`: render, write, and choose the exit status.
enum Report {
    static func run(inputs: InputOptions, reporting: ReportOptionsGroup) throws -> Int32 {
        let (windowMillis, options, form, failCategories) = try parseReportOptions(reporting)
        let summaryOut = reporting.summaryOut
        let output = reporting.output
        let configuration = try userFacing { () throws(FaultlineError) in try inputs.configuration(window: windowMillis)
        }
        let analyzer = try userFacing { () throws(FaultlineError) in try Analyzer(configuration) }
        let resolution = InputResolver.resolve(inputs.inputs)
        let progress =
            (inputs.quiet || isatty(2) == 0)
            ? nil : TerminalProgress(total: InputReader.plainSize(of: resolution.inputs))
        var summary = analyzer.run(resolution.inputs, progress: progress)
        progress?.finish()
        for error in resolution.errors {
            var stats = InputStats(name: error.input ?? "?")
            stats.complete = false
            stats.error = error.description
            stats.errorCode = error.code.name
            summary.inputs.append(stats)
        }
        if let summaryOut {
            try userFacing { () throws(FaultlineError) in try SummaryFile.write(summary, to: summaryOut) }
        }
        return try finish(
            summary, windowMillis: windowMillis, options: options, form: form, output: output,
            failCategories: failCategories)
    }

    static func parseReportOptions(
        _ reporting: ReportOptionsGroup
    ) throws -> (
        Int64?, ReportOptions, ReportForm, Set<Category>
    ) {
        let window = reporting.window
        let tz = reporting.tz
        let report = reporting.report
        let failOn = reporting.failOn
        var windowMillis: Int64?
        if window != "auto" {
            guard let parsed = Duration.parse(window), parsed >= 1000, parsed % 1000 == 0 else {
                throw ValidationError("--window '\(window)' is not a duration such as 30s, 1m, 5m, 1h or auto")
            }
            windowMillis = parsed
        }
        var options = ReportOptions()
        options.offsetSeconds = try userFacing { () throws(FaultlineError) in try ReportOptions.parseZone(tz) }
        options.zoneName = tz
        guard let form = ReportForm(rawValue: report) else {
            throw ValidationError("--report '\(report)' is not one of text, markdown, json, html")
        }
        options.color = form == .text && output(isTerminal: true) && getenv("NO_COLOR") == nil
        var categories = Set<Category>()
        for name in (failOn ?? "").split(separator: ",").map({ $0.trimmingCharacters() }) where !name.isEmpty {
            guard let category = Category(rawValue: String(name)), category != .success else {
                throw ValidationError(
                    "--fail-on '\(name)' is not a failure category (auth, rate_limit, billing, upstream, client)")
            }
            categories.insert(category)
        }
        return (windowMillis, options, form, categories)
    }

    private static func output(isTerminal: Bool) -> Bool { isatty(1) != 0 }

    static func finish(
        _ summary: Summary, windowMillis: Int64?, options: ReportOptions, form: ReportForm, output: String?,
        failCategories: Set<Category>
    ) throws -> Int32 {
        var options = options
        if output != nil && output != "-" { options.color = false }
        let findings = Findings(
            summary, windowMillis: windowMillis, offsetSeconds: form == .json ? 0 : options.offsetSeconds)
        let text = ReportRenderer.render(findings, form: form, options: options)
        try userFacing { () throws(FaultlineError) in
            let file = try OutputFile(path: output)
            try file.write(text)
            try file.flush()
        }
        for input in summary.inputs where !input.complete {
            printError("faultline: \(input.error ?? "\(input.name): incomplete")")
        }
        if failCategories.contains(where: { summary.byCategory[$0] > 0 }) { return 3 }
        if summary.inputs.contains(where: { !$0.complete }) { return 1 }
        return 0
    }
}

/// Turns a library error into a clear message and exit status 2 for option errors, 1 otherwise.
func userFacing<T>(_ body: () throws(FaultlineError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        printError("faultline: \(error)")
        throw ExitCode(error.code == .badOption ? 2 : 1)
    }
}

extension Substring {
    func trimmingCharacters() -> Substring {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
