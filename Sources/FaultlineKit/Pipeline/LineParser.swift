/// Parses the lines of one input in the format chosen or sniffed for it.
struct LineParser: Sendable {
    private var json: JSONLineParser?
    /// The format's name for reports.
    let name: String

    static let presetNames: [String] = []

    init(json overrides: [FieldAliases.Alias]) {
        json = JSONLineParser(overrides: overrides)
        name = "jsonl"
    }

    /// Builds the parser for an explicit choice.
    static func make(_ choice: FormatChoice, overrides: [FieldAliases.Alias]) throws(FaultlineError) -> LineParser? {
        switch choice {
        case .auto: return nil
        case .jsonl: return LineParser(json: overrides)
        case .preset(let name), .nginx(let name):
            throw FaultlineError(.badOption, reason: "access-log format '\(name)' is not available yet")
        }
    }

    /// Chooses a format from the first lines of an input; the reason says why.
    static func sniff(_ lines: [[UInt8]], overrides: [FieldAliases.Alias]) -> (parser: LineParser, reason: String) {
        let samples = lines.filter { line in line.contains { $0 != 0x20 && $0 != 0x09 && $0 != 0x0d } }
        let json = samples.filter { $0.first(where: { $0 != 0x20 && $0 != 0x09 }) == UInt8(ascii: "{") }.count
        if samples.isEmpty {
            return (LineParser(json: overrides), "no lines to sniff; assumed JSON lines")
        }
        if json * 2 >= samples.count {
            return (LineParser(json: overrides), "\(json) of the first \(samples.count) lines are JSON objects")
        }
        return (
            LineParser(json: overrides),
            "no format matched the first \(samples.count) lines; tried JSON lines (\(json) matched)"
        )
    }

    @inline(__always)
    mutating func parse(_ line: UnsafeMutableRawBufferPointer, into record: inout RequestRecord) -> ParseResult {
        if json != nil { return json!.parse(line, into: &record) }
        return .skipped(.formatMismatch)
    }
}
