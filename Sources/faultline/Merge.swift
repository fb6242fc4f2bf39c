import ArgumentParser
import FaultlineKit

extension Faultline {
    /// Combines the summaries of shards into the report one run over all inputs would give.
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge summaries written by 'analyze --summary-out' into one report.")

        @Argument(help: "Summary files.")
        var summaries: [String]

        @Option(help: "Timeline window: 30s, 1m, 5m, 1h, or auto.")
        var window = "auto"

        @Option(help: "Zone for times in text, Markdown and HTML.")
        var tz = "UTC"

        @Option(help: "Report form: text, markdown, json, html.")
        var report = "text"

        @Option(name: [.short, .long], help: "Write the report to this file (default: standard output).")
        var output: String?

        @Option(help: "Write the merged summary here.")
        var summaryOut: String?

        @Option(help: "Exit 3 when failures of these categories are found (comma-separated).")
        var failOn: String?

        func validate() throws {
            if summaries.isEmpty { throw ValidationError("give at least one summary file") }
        }

        func run() throws {
            let (windowMillis, options, form, categories) = try Report.parseReportOptions(
                window: window, tz: tz, report: report, failOn: failOn)
            var merged: Summary?
            for path in summaries {
                let summary = try userFacing { () throws(FaultlineError) in try SummaryFile.read(path) }
                merged = merged.map { $0.merging(summary) } ?? summary
            }
            guard let merged else { return }
            if let summaryOut {
                try userFacing { () throws(FaultlineError) in try SummaryFile.write(merged, to: summaryOut) }
            }
            let code = try Report.finish(
                merged, windowMillis: windowMillis, options: options, form: form, output: output,
                failCategories: categories)
            if code != 0 { throw ExitCode(code) }
        }
    }
}
