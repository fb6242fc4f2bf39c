#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Reads and writes `--summary-out` files: a `Summary` as JSON, redacted like every other output.
public enum SummaryFile {
    /// Writes `summary` to `path`.
    public static func write(_ summary: Summary, to path: String) throws(FaultlineError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var bytes: [UInt8]
        do {
            bytes = Array(try encoder.encode(summary))
        } catch {
            throw FaultlineError(.writeFailed, input: path, reason: "cannot encode the summary: \(error)")
        }
        var redactor = Redactor()
        _ = redactor.clean(&bytes)
        let file = try OutputFile(path: path)
        try file.write(String(decoding: bytes, as: UTF8.self))
        try file.flush()
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
