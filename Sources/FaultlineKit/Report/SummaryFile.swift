#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Reads and writes `--summary-out` files: a `Summary` as JSON, redacted like every other output.
public enum SummaryFile {
    /// Writes `summary` to `path`, the same bytes for the same summary.
    ///
    /// The large tables (scopes, groups, timeline) are written one entry at a time, in order: encoded whole,
    /// a 20,000-key summary took 150 MB more than the analysis itself, and dictionaries came out in an order
    /// that changed from one process to the next.
    public static func write(_ summary: Summary, to path: String) throws(FaultlineError) {
        let file = try OutputFile(path: path)
        do {
            try stream(summary, into: file)
        } catch let error as FaultlineError {
            throw error
        } catch {
            throw FaultlineError(.writeFailed, input: path, reason: "cannot encode the summary: \(error)")
        }
        try file.flush()
    }

    private static func stream(_ summary: Summary, into file: OutputFile) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var redactor = Redactor()
        func emit(_ bytes: inout [UInt8]) throws {
            _ = redactor.clean(&bytes)
            try file.write(bytes: bytes)
        }
        // Everything but the large tables is small: encoded as one, then its members copied, the large
        // tables' empty placeholders replaced by their entries.
        var rest = summary
        for scope in Summary.Scope.allCases { rest[keyPath: scope.path] = [:] }
        rest.groups = [:]
        rest.timeline = [:]
        let head = Array(try encoder.encode(rest))
        var separator = UInt8(ascii: "{")
        for (name, value) in members(of: head) {
            var bytes = [separator]
            separator = UInt8(ascii: ",")
            bytes += try encoder.encode(name)
            bytes.append(UInt8(ascii: ":"))
            switch name {
            case "timeline":
                bytes.append(UInt8(ascii: "["))
                for (index, start) in summary.timeline.keys.sorted().enumerated() {
                    if index > 0 { bytes.append(UInt8(ascii: ",")) }
                    bytes += Array("\(start),".utf8)
                    bytes += try encoder.encode(summary.timeline[start]!)
                    try emit(&bytes)
                    bytes = []
                }
                bytes.append(UInt8(ascii: "]"))
            case "groups":
                try streamTable(summary.groups, into: &bytes, encoder, emit)
            default:
                if let scope = Summary.Scope.allCases.first(where: { $0.codingName == name }) {
                    try streamTable(summary[keyPath: scope.path], into: &bytes, encoder, emit)
                } else {
                    bytes += value
                }
            }
            try emit(&bytes)
        }
        var end = [UInt8(ascii: "}")]
        try emit(&end)
    }

    /// Writes a table as a JSON object, one entry at a time, in name order; `bytes` holds what comes before.
    private static func streamTable<Value: Encodable>(
        _ table: [String: Value], into bytes: inout [UInt8], _ encoder: JSONEncoder,
        _ emit: (inout [UInt8]) throws -> Void
    ) throws {
        bytes.append(UInt8(ascii: "{"))
        for (index, name) in table.keys.sorted().enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += try encoder.encode(name)
            bytes.append(UInt8(ascii: ":"))
            bytes += try encoder.encode(table[name]!)
            try emit(&bytes)
            bytes = []
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// The members of a JSON object as the encoder writes it (no white space): each name and its value's bytes.
    static func members(of object: [UInt8]) -> [(name: String, value: ArraySlice<UInt8>)] {
        var result: [(String, ArraySlice<UInt8>)] = []
        var index = 1
        while index < object.count && object[index] == UInt8(ascii: "\"") {
            let nameStart = index + 1
            index = endOfString(object, from: nameStart)
            let name = String(decoding: object[nameStart..<index], as: UTF8.self)
            index += 2  // the closing quote and the colon
            let valueStart = index
            var depth = 0
            while index < object.count {
                let byte = object[index]
                if byte == UInt8(ascii: "\"") {
                    index = endOfString(object, from: index + 1) + 1
                    continue
                }
                if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                    depth += 1
                } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                    if depth == 0 { break }
                    depth -= 1
                } else if byte == UInt8(ascii: ","), depth == 0 {
                    break
                }
                index += 1
            }
            result.append((name, object[valueStart..<index]))
            index += 1  // the comma, or the closing brace
        }
        return result
    }

    /// The index of the quote that ends a JSON string whose contents start at `start`.
    private static func endOfString(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count && bytes[index] != UInt8(ascii: "\"") {
            index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
        }
        return index
    }

    /// Reads a summary written by `write`.
    public static func read(_ path: String) throws(FaultlineError) -> Summary {
        let reader = try FileReader(InputSource(path: path))
        var bytes: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let count = try reader.read(into: chunk)
            if count == 0 { break }
            bytes += chunk[0..<count]
        }
        let summary: Summary
        do {
            summary = try JSONDecoder().decode(Summary.self, from: Data(bytes))
        } catch {
            throw FaultlineError(
                .badSummary, input: path, reason: "not a faultline summary: \(error)",
                hint: "give files written by 'faultline analyze --summary-out'")
        }
        guard summary.schema == Summary.schemaName else {
            throw FaultlineError(
                .badSummary, input: path, reason: "schema '\(summary.schema)' is not \(Summary.schemaName)",
                hint: "write the summaries with this version of faultline")
        }
        return summary
    }
}
