import ArgumentParser
import FaultlineKit

extension Faultline {
    /// One JSON line per failed request, for DuckDB, Spark, BigQuery or ClickHouse.
    struct Events: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write one faultline.event/v1 JSON line per failed request, classified, in input order.")

        @OptionGroup var input: InputOptions

        @Option(name: [.short, .long], help: "Write the events to this file (default: standard output).")
        var output: String?

        func run() throws {
            if input.waitsOnTerminal {
                print(Faultline.helpMessage(for: Events.self))
                throw ExitCode(2)
            }
            var configuration = try userFacing { () throws(FaultlineError) in try input.configuration(window: nil) }
            configuration.jobs = 1
            let resolution = InputResolver.resolve(input.inputs)
            let stats = try userFacing { () throws(FaultlineError) in
                let file = try OutputFile(path: output)
                return try EventWriter.run(resolution.inputs, configuration: configuration, output: file)
            }
            var incomplete = false
            for error in resolution.errors {
                printError("faultline: \(error)")
                incomplete = true
            }
            for input in stats where !input.complete {
                printError("faultline: \(input.error ?? input.name)")
                incomplete = true
            }
            for input in stats where input.skipped > 0 {
                let reasons = input.skippedByReason.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                printError(
                    "faultline: \(input.name): skipped \(input.skipped) lines (\(reasons.joined(separator: ", ")))")
            }
            if incomplete { throw ExitCode(1) }
        }
    }
}
