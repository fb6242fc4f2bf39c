import FaultlineKit
import Foundation

/// One parsed line with its fields copied out as strings, for assertions.
struct AccessLogOutcome {
    var result: ParseResult
    var record: RequestRecord
    var fields: [RecordField: String]

    subscript(field: RecordField) -> String? { fields[field] }
}

func parseLine(_ format: AccessLogFormat, _ line: String) -> AccessLogOutcome {
    parseLine(format, Array(line.utf8))
}

func parseLine(_ format: AccessLogFormat, _ line: [UInt8]) -> AccessLogOutcome {
    var bytes = line
    var record = RequestRecord()
    return bytes.withUnsafeMutableBytes { buffer in
        let result = format.parse(buffer, into: &record)
        let view = ParsedLine(bytes: UnsafeRawBufferPointer(buffer), record: record, number: 1)
        var fields: [RecordField: String] = [:]
        for field in RecordField.allCases {
            if let value = view.string(field) { fields[field] = value }
        }
        return AccessLogOutcome(result: result, record: record, fields: fields)
    }
}

enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        let url = directory.appendingPathComponent(name)
        if name.hasSuffix(".gz") {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["gzip", "-dc", url.path]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return [UInt8](data)
        }
        return [UInt8](try Data(contentsOf: url))
    }

    /// The file's lines without their newlines (a final newline makes no empty last line).
    static func lines(_ name: String) throws -> [ArraySlice<UInt8>] {
        var lines = try bytes(name).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }
}
