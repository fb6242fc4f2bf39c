import ArgumentParser
import FaultlineKit

extension Faultline {
    /// Lists input formats, access-log presets and the JSON field aliases.
    struct Formats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List input formats, presets and field aliases.")

        func run() throws {
            print(FormatCatalog.describe(), terminator: "")
        }
    }
}
