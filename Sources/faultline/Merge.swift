import ArgumentParser
import FaultlineKit

extension Faultline {
    /// Combines the summaries of shards into the report one run over all inputs would give.
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge summaries written by 'analyze --summary-out' into one report.")

        @Argument(help: "Summary files.")
        var summaries: [String]

        @OptionGroup var reporting: ReportOptionsGroup

        func validate() throws {
            if summaries.isEmpty { throw ValidationError("give at least one summary file") }
        }

        func run() throws {
            let (windowMillis, options, form, categories) = try Report.parseReportOptions(reporting)
            var merged: Summary?
            for path in summaries {
                let summary = try userFacing { () throws(FaultlineError) in try SummaryFile.read(path) }
                if merged == nil { merged = summary } else { merged!.merge(summary) }
            }
            guard let merged else { return }
            if let summaryOut = reporting.summaryOut {
                try userFacing { () throws(FaultlineError) in try SummaryFile.write(merged, to: summaryOut) }
            }
            let code = try Report.finish(
                merged, windowMillis: windowMillis, options: options, form: form, output: reporting.output,
                failCategories: categories)
            if code != 0 { throw ExitCode(code) }
        }
    }
}
