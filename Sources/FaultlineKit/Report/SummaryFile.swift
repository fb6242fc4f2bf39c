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
            try stream(summary, into: file, path: path)
        } catch let error as FaultlineError {
            throw error
        } catch {
            throw FaultlineError(.writeFailed, input: path, reason: "cannot encode the summary: \(error)")
        }
        try file.flush()
    }

    private static func stream(_ summary: Summary, into file: OutputFile, path: String) throws {
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
        guard let members = members(of: head[...]) else {
            throw FaultlineError(.writeFailed, input: path, reason: "cannot encode the summary: not a JSON object")
        }
        for (nameBytes, value) in members {
            let name = String(decoding: nameBytes, as: UTF8.self)
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

    /// The members of one JSON object: each name's bytes (between its quotes, escapes left as they are) and its
    /// value's bytes; nil when `object` is not one object. Values are delimited, not checked: a decoder does that.
    static func members(of object: ArraySlice<UInt8>) -> [(name: ArraySlice<UInt8>, value: ArraySlice<UInt8>)]? {
        let end = object.endIndex
        func skipSpace(_ index: Int) -> Int {
            var index = index
            while index < end,
                object[index] == 0x20 || object[index] == 0x0a || object[index] == 0x0d
                    || object[index] == 0x09
            {
                index += 1
            }
            return index
        }
        var index = skipSpace(object.startIndex)
        guard index < end, object[index] == UInt8(ascii: "{") else { return nil }
        index = skipSpace(index + 1)
        var result: [(name: ArraySlice<UInt8>, value: ArraySlice<UInt8>)] = []
        if index < end, object[index] == UInt8(ascii: "}") { return skipSpace(index + 1) == end ? result : nil }
        while true {
            guard index < end, object[index] == UInt8(ascii: "\"") else { return nil }
            let nameEnd = endOfString(object, from: index + 1)
            guard nameEnd < end else { return nil }
            let name = object[(index + 1)..<nameEnd]
            index = skipSpace(nameEnd + 1)
            guard index < end, object[index] == UInt8(ascii: ":") else { return nil }
            index = skipSpace(index + 1)
            let valueStart = index
            var depth = 0
            scan: while index < end {
                switch object[index] {
                case UInt8(ascii: "\""):
                    index = endOfString(object, from: index + 1)
                    guard index < end else { return nil }
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if depth == 0 { break scan }
                    depth -= 1
                case UInt8(ascii: ","):
                    if depth == 0 { break scan }
                default:
                    break
                }
                index += 1
            }
            guard index < end else { return nil }
            var valueEnd = index
            while valueEnd > valueStart, skipSpace(valueEnd - 1) == valueEnd { valueEnd -= 1 }
            guard valueEnd > valueStart else { return nil }
            result.append((name, object[valueStart..<valueEnd]))
            if object[index] == UInt8(ascii: "}") { return skipSpace(index + 1) == end ? result : nil }
            guard object[index] == UInt8(ascii: ",") else { return nil }
            index = skipSpace(index + 1)
        }
    }

    /// Decodes a summary file, the large tables one entry at a time: decoded whole, a 21 MB summary took
    /// 143 MB. Falls back to decoding it whole when the file is not shaped as `write` makes it.
    static func decode(_ bytes: [UInt8]) throws -> Summary {
        let decoder = JSONDecoder()
        let tableNames = Set(Summary.Scope.allCases.map(\.codingName) + ["groups"])
        guard let top = members(of: bytes[...]) else { return try decoder.decode(Summary.self, from: Data(bytes)) }
        // Everything but the large tables, decoded as one with the tables left empty.
        var rest: [UInt8] = [UInt8(ascii: "{")]
        var tables: [(name: String, entries: ArraySlice<UInt8>)] = []
        for (index, (nameBytes, value)) in top.enumerated() {
            if index > 0 { rest.append(UInt8(ascii: ",")) }
            rest.append(UInt8(ascii: "\""))
            rest += nameBytes
            rest += Array("\":".utf8)
            let name = String(decoding: nameBytes, as: UTF8.self)
            if tableNames.contains(name) && value.first == UInt8(ascii: "{") {
                rest += Array("{}".utf8)
                tables.append((name, value))
            } else {
                rest += value
            }
        }
        rest.append(UInt8(ascii: "}"))
        var parsed: [(name: String, members: [(name: ArraySlice<UInt8>, value: ArraySlice<UInt8>)])] = []
        for (name, object) in tables {
            guard let members = members(of: object) else { return try decoder.decode(Summary.self, from: Data(bytes)) }
            parsed.append((name, members))
        }
        var summary = try decoder.decode(Summary.self, from: Data(rest))
        // Decoded 512 entries at a time: one decoder call per entry doubled the time, the whole table at once
        // is what took the memory.
        func table<Value: Decodable>(
            _ members: [(name: ArraySlice<UInt8>, value: ArraySlice<UInt8>)], of _: Value.Type
        ) throws -> [String: Value] {
            var table = [String: Value](minimumCapacity: members.count)
            var start = 0
            while start < members.count {
                let batch = members[start..<min(start + 512, members.count)]
                var object: [UInt8] = [UInt8(ascii: "{")]
                for (index, (name, value)) in batch.enumerated() {
                    if index > 0 { object.append(UInt8(ascii: ",")) }
                    object.append(UInt8(ascii: "\""))
                    object += name
                    object += Array("\":".utf8)
                    object += value
                }
                object.append(UInt8(ascii: "}"))
                table.merge(try decoder.decode([String: Value].self, from: Data(object))) { $1 }
                start += batch.count
            }
            return table
        }
        for (name, members) in parsed {
            if name == "groups" {
                summary.groups = try table(members, of: GroupStats.self)
            } else if let scope = Summary.Scope.allCases.first(where: { $0.codingName == name }) {
                summary[keyPath: scope.path] = try table(members, of: ScopeStats.self)
            }
        }
        return summary
    }

    /// The index of the quote that ends a JSON string whose contents start at `start`.
    private static func endOfString(_ bytes: ArraySlice<UInt8>, from start: Int) -> Int {
        var index = start
        while index < bytes.endIndex && bytes[index] != UInt8(ascii: "\"") {
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
            summary = try decode(bytes)
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
