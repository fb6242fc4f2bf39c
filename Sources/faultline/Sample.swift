import ArgumentParser
import FaultlineKit

extension Faultline {
    /// Writes realistic synthetic logs with known incidents, and their ground truth.
    struct Sample: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Write a realistic synthetic log with known incidents (the same options and seed give the same bytes).")

        @Option(help: "jsonl (a gateway's JSON lines) or access (ingress-nginx upstreaminfo).")
        var format = "jsonl"

        @Option(help: "Number of lines (default 100000 when --bytes is not given).")
        var lines: Int?

        @Option(help: "Approximate uncompressed size: 200MB, 1GB, 512KiB.")
        var bytes: String?

        @Option(help: "Seed of the generator.")
        var seed: UInt64 = 1

        @Option(help: "First timestamp (RFC 3339 or a date).")
        var start: String?

        @Option(help: "Time span covered: 24h, 90m, 2d.")
        var duration = "24h"

        @Flag(help: "Compress the output with gzip.")
        var gzip = false

        @Option(help: "Incidents to inject, comma-separated (default: all).")
        var incidents: String?

        @Option(help: "Distinct API keys in the background traffic.")
        var keys = 12

        @Option(help: "Distinct organizations.")
        var orgs = 4

        @Option(name: [.short, .long], help: "Write the log here (default: standard output).")
        var output: String?

        @Option(help: "Write the ground truth (totals and incidents) as JSON here.")
        var truth: String?

        func run() throws {
            guard let sampleFormat = SampleFormat(rawValue: format) else {
                throw ValidationError("--format must be jsonl or access")
            }
            var options = SampleOptions(format: sampleFormat)
            options.lines = lines
            if let bytes {
                guard let size = SampleOptions.parseSize(bytes) else {
                    throw ValidationError("--bytes '\(bytes)' is not a size such as 200MB or 1GB")
                }
                options.bytes = size
            }
            options.seed = seed
            if let start {
                guard let time = SampleOptions.parseTime(start) else {
                    throw ValidationError("--start '\(start)' is not an RFC 3339 time or a date")
                }
                options.start = time
            }
            guard let span = SampleOptions.parseDuration(duration) else {
                throw ValidationError("--duration '\(duration)' is not a duration such as 24h")
            }
            options.duration = span
            options.gzip = gzip
            if let incidents {
                var set = Set<SampleIncident>()
                for name in incidents.split(separator: ",") where !name.isEmpty {
                    guard let incident = SampleIncident(rawValue: String(name)) else {
                        let names = SampleIncident.allCases.map(\.rawValue).joined(separator: ", ")
                        throw ValidationError("--incidents: unknown '\(name)'; use \(names)")
                    }
                    set.insert(incident)
                }
                options.incidents = set
            }
            options.distinctKeys = keys
            options.distinctOrgs = orgs
            try userFacing { () throws(FaultlineError) in
                try options.validate()
                try SampleGenerator.run(options: options, outputPath: output, truthPath: truth)
            }
        }
    }
}
