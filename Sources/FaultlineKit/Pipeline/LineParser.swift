/// Parses the lines of one input in the format chosen or sniffed for it.
///
/// Both parsers are stored, the unused one idle, rather than either as an optional: a mutating call through `!`
/// copied the optional parser, with a retain of each of its tables, at every line.
struct LineParser: Sendable {
    private var json: JSONLineParser
    private var access: AccessLogFormat
    private var accessCache = AccessLogFormat.Cache()
    /// The format's name for reports.
    let name: String
    /// Whether this reads JSON lines (and so may meet objects spread over lines).
    let isJSON: Bool

    /// The parser a sink holds before it has sniffed its input's format.
    static let unchosen = LineParser(json: [])

    /// The JSON parser an access-log parser holds unused.
    private static let idleJSON = JSONLineParser(overrides: [])

    static var presetNames: [String] { AccessLogFormat.presets.map(\.name) }

    init(json overrides: [FieldAliases.Alias]) {
        var parser = JSONLineParser(overrides: overrides)
        // Kubernetes and Docker wrap access-log lines in JSON: `{"log": "<line>", "stream": ...}`.
        parser.wrappedParser = { line, record in
            var cache = AccessLogFormat.Cache()
            for format in AccessLogFormat.presets {
                if case .record = format.parse(line, into: &record, cache: &cache) { return .record }
            }
            return .skipped(.formatMismatch)
        }
        json = parser
        access = AccessLogFormat.presets[0]
        name = "jsonl"
        isJSON = true
    }

    init(access format: AccessLogFormat) {
        access = format
        json = Self.idleJSON
        name = format.name
        isJSON = false
    }

    /// Builds the parser for an explicit choice; `nil` for `auto`.
    static func make(_ choice: FormatChoice, overrides: [FieldAliases.Alias]) throws(FaultlineError) -> LineParser? {
        switch choice {
        case .auto: return nil
        case .jsonl: return LineParser(json: overrides)
        case .preset(let name):
            guard let format = AccessLogFormat.preset(named: name) else {
                throw FaultlineError(
                    .badOption, reason: "unknown format '\(name)'",
                    hint: "use auto, jsonl, \(presetNames.joined(separator: ", ")) or 'nginx:<log_format>'")
            }
            return LineParser(access: format)
        case .nginx(let layout):
            return LineParser(access: try AccessLogFormat(nginxLogFormat: layout))
        }
    }

    /// Chooses a format from the first lines of an input; the reason says why.
    static func sniff(_ lines: [[UInt8]], overrides: [FieldAliases.Alias]) -> (parser: LineParser, reason: String) {
        let samples = lines.filter { line in line.contains { $0 != 0x20 && $0 != 0x09 && $0 != 0x0d } }
        if samples.isEmpty {
            return (LineParser(json: overrides), "no lines to sniff; assumed JSON lines")
        }
        let json = samples.filter { $0.first(where: { $0 != 0x20 && $0 != 0x09 }) == UInt8(ascii: "{") }.count
        if json * 2 >= samples.count {
            let sure = json == samples.count ? "" : " (unsure: \(samples.count - json) are not)"
            return (LineParser(json: overrides), "\(json) of the first \(samples.count) lines are JSON objects\(sure)")
        }
        if let best = AccessLogFormat.sniff(samples.map { $0[...] }), best.matched > 0 {
            let sure = best.matched == samples.count ? "" : " (unsure)"
            return (
                LineParser(access: best.format),
                "\(best.matched) of the first \(samples.count) lines match \(best.name)\(sure)"
            )
        }
        return (
            LineParser(json: overrides),
            "no format matched the first \(samples.count) lines (\(json) were JSON objects, none matched an access-log "
                + "preset); read as JSON lines; give --format"
        )
    }

    @inline(__always)
    mutating func parse(_ line: UnsafeMutableRawBufferPointer, into record: inout RequestRecord) -> ParseResult {
        if isJSON { return json.parse(line, into: &record) }
        return access.parse(line, into: &record, cache: &accessCache)
    }
}
