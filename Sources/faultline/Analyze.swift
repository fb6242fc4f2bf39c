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

        @OptionGroup var reporting: ReportOptionsGroup

        func run() throws {
            if input.waitsOnTerminal {
                print(Faultline.helpMessage(for: Analyze.self))
                throw ExitCode(2)
            }
            let code = try Report.run(inputs: input, reporting: reporting)
            if code != 0 { throw ExitCode(code) }
        }
    }
}
