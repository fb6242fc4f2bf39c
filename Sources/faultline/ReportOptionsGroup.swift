import ArgumentParser
import FaultlineKit

/// Options of every command that writes a report (`analyze`, `merge`).
struct ReportOptionsGroup: ParsableArguments {
    @Option(help: "Timeline window: 30s, 1m, 5m, 1h, or auto.")
    var window = "auto"

    @Option(help: "Zone for times in text, Markdown and HTML: UTC or an offset such as +02:00 (JSON is UTC).")
    var tz = "UTC"

    @Option(help: "Report form: text, markdown, json, html.")
    var report = "text"

    @Option(name: [.short, .long], help: "Write the report to this file (default: standard output).")
    var output: String?

    @Option(help: "Write the mergeable summary here, for 'faultline merge'.")
    var summaryOut: String?

    @Option(help: "Exit 3 when failures of these categories are found (comma-separated).")
    var failOn: String?
}
