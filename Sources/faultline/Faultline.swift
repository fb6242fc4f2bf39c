import ArgumentParser
import FaultlineKit

#if canImport(Glibc)
    import Glibc
#endif

/// The faultline command line: thin wrappers over FaultlineKit.
@main
struct Faultline: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "faultline",
        abstract: "Request-log forensics for paid APIs: what failed, since when, for which key, and why.",
        version: faultlineVersion,
        subcommands: [Analyze.self, Events.self, Merge.self, Formats.self, Sample.self]
    )

    /// Runs the command; usage errors exit 2 as REPORT.md promises (ArgumentParser's own code is 64).
    static func main() {
        // A reader that closed the pipe (`| head`) ends the run quietly instead of killing it mid-write.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                printError(fullMessage(for: error))
                Glibc.exit(2)
            }
            exit(withError: error)
        }
    }
}
