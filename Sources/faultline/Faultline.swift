import ArgumentParser
import FaultlineKit

/// The faultline command line: thin wrappers over FaultlineKit.
@main
struct Faultline: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "faultline",
        abstract: "Request-log forensics for paid APIs: what failed, since when, for which key, and why.",
        version: faultlineVersion,
        subcommands: [Analyze.self, Events.self, Merge.self, Formats.self, Sample.self],
        defaultSubcommand: nil
    )
}
