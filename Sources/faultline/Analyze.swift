import ArgumentParser
import FaultlineKit

extension Faultline {
    /// The main job: read logs, classify failures, find incidents, write a report.
    struct Analyze: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Analyse request logs and report failures, incidents and their causes.",
            discussion: """
                Exit status: 0 done; 1 an input could not be read whole (the report covers what was read); \
                2 usage error; 3 --fail-on matched.
                """)

        @OptionGroup var input: InputOptions

        @Option(help: "Timeline window: 30s, 1m, 5m, 1h, or auto.")
        var window = "auto"

        @Option(help: "Zone for times in text, Markdown and HTML: UTC or an offset such as +02:00 (JSON is UTC).")
        var tz = "UTC"

        @Option(help: "Report form: text, markdown, json, html.")
        var report = "text"

        @Option(name: [.short, .long], help: "Write the report to this file (default: standard output).")
        var output: String?

        @Option(help: "Write the mergeable summary of this run here, for 'faultline merge'.")
        var summaryOut: String?

        @Option(help: "Exit 3 when failures of these categories are found (comma-separated).")
        var failOn: String?

        func run() throws {
            if input.waitsOnTerminal {
                print(Faultline.helpMessage(for: Analyze.self))
                throw ExitCode(2)
            }
            let code = try Report.run(
                inputs: input, window: window, tz: tz, report: report, output: output, summaryOut: summaryOut,
                failOn: failOn)
            if code != 0 { throw ExitCode(code) }
        }
    }
}
