/// Renders findings for a terminal: what happened first, the evidence after, input statistics last.
public enum TextReport {
    /// The report's text, through the redactor.
    public static func render(_ findings: Findings, options: ReportOptions = ReportOptions()) -> String {
        var out = TextCanvas(color: options.color)
        let summary = findings.summary
        out.heading("faultline \(faultlineVersion): \(summary.requests) requests, \(summary.failed) failed")
        if let first = summary.first, let last = summary.last {
            out.line("range  \(options.time(first)) .. \(options.time(last))  (\(options.zoneName))")
        }
        out.line("window \(Duration.describe(findings.windowMillis))")
        out.blank()
        out.heading("By category")
        let total = max(summary.requests, 1)
        for category in Category.allCases {
            let count = summary.byCategory[category]
            let share = Double(count) * 100 / Double(total)
            out.line(
                "  " + TextCanvas.pad(category.rawValue, 11) + TextCanvas.padLeft(String(count), 10) + "  "
                    + TextCanvas.padLeft(TextCanvas.percent(share), 6), tint: category == .success ? nil : category)
        }
        out.blank()
        out.heading(findings.incidents.isEmpty ? "Incidents: none found" : "Incidents (\(findings.incidents.count))")
        for incident in findings.incidents {
            let scope = incident.scope.kind == "global" ? "global" : "\(incident.scope.kind) \(incident.scope.value)"
            let end = incident.ongoing ? "ongoing" : options.time(incident.end)
            out.line(
                "  #\(incident.id) \(incident.category.rawValue)/\(incident.cause.rawValue)  [\(scope)]",
                tint: incident.category)
            out.line("     \(options.time(incident.start)) .. \(end)   \(incident.failures) failures")
            for line in TextCanvas.wrap(incident.summary, width: options.width - 5) { out.line("     " + line) }
            let statuses = incident.byStatus.keys.sorted().map { "\($0)×\(incident.byStatus[$0]!)" }.joined(
                separator: " ")
            out.line("     status \(statuses)")
            if !incident.errorCodes.isEmpty {
                let codes = incident.errorCodes.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(4)
                    .map { "\($0.key)×\($0.value)" }.joined(separator: " ")
                out.line("     codes  \(codes)")
            }
            if let message = incident.message { out.line("     message \"\(TextCanvas.clip(message, 84))\"") }
            if !incident.sampleRequestIDs.isEmpty {
                out.line("     request ids \(incident.sampleRequestIDs.prefix(2).joined(separator: " "))")
            }
            if let step = incident.nextSteps.first { out.line("     next: \(TextCanvas.clip(step, 90))") }
        }
        out.blank()
        if !findings.timeline.isEmpty {
            out.heading("Timeline of failures (per \(Duration.describe(findings.windowMillis)))")
            for category in Category.failures {
                let values = findings.timeline.map { $0.counts[category] }
                guard values.contains(where: { $0 > 0 }) else { continue }
                out.line(
                    "  " + TextCanvas.pad(category.rawValue, 11) + TextCanvas.sparkline(values, width: 72) + " "
                        + String(values.max() ?? 0) + " max", tint: category)
            }
            out.line(
                "  " + TextCanvas.pad("", 11) + options.time(findings.timeline.first!.start) + " .. "
                    + options.time(findings.timeline.last!.start))
            out.blank()
        }
        let failingKeys = findings.keys.filter { $0.stats.failed > 0 }
        if !failingKeys.isEmpty {
            out.heading("Keys with failures")
            for key in failingKeys.prefix(10) {
                let diagnosis =
                    key.diagnosis.map { "  \($0.rawValue)" + (key.since.map { " since \(options.time($0))" } ?? "") }
                    ?? ""
                out.line(
                    "  " + TextCanvas.pad(key.keyID, 20) + TextCanvas.pad(key.hint, 18)
                        + TextCanvas.padLeft("\(key.stats.failed)/\(key.stats.requests)", 14) + diagnosis)
            }
            out.blank()
        }
        let failingOrgs = findings.orgs.filter { $0.stats.failed > 0 }
        if !failingOrgs.isEmpty {
            out.heading("Orgs with failures")
            for org in failingOrgs.prefix(10) {
                var diagnosis = org.diagnosis.map { "  \($0.rawValue)" } ?? ""
                if let since = org.since { diagnosis += " since \(options.time(since))" }
                if let recovered = org.recoveredAt { diagnosis += ", recovered \(options.time(recovered))" }
                out.line(
                    "  " + TextCanvas.pad(org.org, 32)
                        + TextCanvas.padLeft("\(org.stats.failed)/\(org.stats.requests)", 14) + diagnosis)
            }
            out.blank()
        }
        let models = summary.models.filter { $0.value.failed > 0 }.sorted {
            ($0.value.failed, $1.key) > ($1.value.failed, $0.key)
        }
        if !models.isEmpty {
            out.heading("Models with failures")
            for (model, stats) in models.prefix(8) {
                out.line("  " + TextCanvas.pad(model, 32) + TextCanvas.padLeft("\(stats.failed)/\(stats.requests)", 14))
            }
            out.blank()
        }
        let retries = summary.retries
        if retries.retried > 0 {
            out.heading("Retries")
            out.line(
                "  \(retries.retried) of \(retries.requestIDs) request IDs retried (max \(retries.maxAttempts) attempts); "
                    + "\(retries.retriedNonTransient) retried after a failure retrying cannot fix; "
                    + "\(retries.retriedWithoutBackoff) without backoff")
            out.blank()
        }
        out.heading("Inputs")
        for input in summary.inputs {
            var line = "  \(input.name): \(input.format)"
            if input.compression != "none" { line += ", \(input.compression)" }
            line += ", \(input.lines) lines, \(input.records) records"
            if input.skipped > 0 {
                let reasons = input.skippedByReason.keys.sorted().map { "\($0) \(input.skippedByReason[$0]!)" }
                line += ", \(input.skipped) skipped (\(reasons.joined(separator: ", ")))"
            }
            out.line(line)
            if input.skipped > 0, !input.skippedExamples.isEmpty {
                out.line(
                    "    first skipped: "
                        + input.skippedExamples.map { "line \($0.line) \($0.reason)" }.joined(separator: ", "))
            }
            if let error = input.error { out.line("    INCOMPLETE: \(error)", tint: .auth) }
            if let reason = input.formatReason, input.records == 0 || input.skipped > input.records {
                out.line("    format: \(reason)")
            }
        }
        if summary.timeAssumedUTC > 0 {
            out.line("  \(summary.timeAssumedUTC) timestamps had no zone and were read as UTC")
        }
        for (map, count) in summary.dropped.sorted(by: { $0.key < $1.key }) {
            out.line("  bounded: \(count) \(map) beyond the cap were not tracked individually")
        }
        var redactor = Redactor()
        let text = redactor.clean(out.text)
        return text
    }
}

/// Text layout helpers: padding, sparklines, colour.
struct TextCanvas {
    private(set) var text = ""
    let color: Bool

    init(color: Bool) {
        self.color = color
    }

    static func tint(_ category: Category) -> String {
        switch category {
        case .success: "\u{1B}[32m"
        case .auth: "\u{1B}[31m"
        case .rateLimit: "\u{1B}[33m"
        case .billing: "\u{1B}[35m"
        case .upstream: "\u{1B}[36m"
        case .client: "\u{1B}[34m"
        }
    }

    mutating func heading(_ value: String) {
        text += color ? "\u{1B}[1m\(value)\u{1B}[0m\n" : value + "\n"
    }

    mutating func line(_ value: String, tint: Category? = nil) {
        if color, let tint {
            text += Self.tint(tint) + value + "\u{1B}[0m\n"
        } else {
            text += value + "\n"
        }
    }

    mutating func blank() { text += "\n" }

    static func pad(_ value: String, _ width: Int) -> String {
        value.count >= width
            ? String(value.prefix(width - 1)) + " " : value + String(repeating: " ", count: width - value.count)
    }

    static func padLeft(_ value: String, _ width: Int) -> String {
        value.count >= width ? value : String(repeating: " ", count: width - value.count) + value
    }

    static func clip(_ value: String, _ width: Int) -> String {
        let flat = value.map { $0.isNewline ? " " : $0 }
        return flat.count <= width ? String(flat) : String(flat.prefix(width - 1)) + "…"
    }

    /// Words filled into lines of at most `width` characters.
    static func wrap(_ value: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in value.split(separator: " ") {
            if !current.isEmpty && current.count + 1 + word.count > width {
                lines.append(current)
                current = ""
            }
            current += current.isEmpty ? String(word) : " " + word
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    static func percent(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// Values as block characters, resampled (by maximum) to at most `width` cells.
    static func sparkline(_ values: [Int], width: Int) -> String {
        guard !values.isEmpty else { return "" }
        let cells = min(width, values.count)
        var sampled: [Int] = []
        for cell in 0..<cells {
            let from = cell * values.count / cells
            let to = max(from + 1, (cell + 1) * values.count / cells)
            sampled.append(values[from..<to].max() ?? 0)
        }
        let peak = max(sampled.max() ?? 1, 1)
        let blocks: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        return String(
            sampled.map { $0 == 0 ? "·" : blocks[max(1, min(8, Int((Double($0) / Double(peak) * 8).rounded(.up))))] })
    }
}

/// Durations as people write them: `30s`, `5m`, `1h`, `2d`.
public enum Duration {
    /// `60000` → `1m`.
    public static func describe(_ millis: Int64) -> String {
        let seconds = millis / 1000
        if seconds % 86400 == 0 { return "\(seconds / 86400)d" }
        if seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }

    /// `30s`, `5m`, `1h`, `2d`, `1h30m`, `500ms` → milliseconds.
    public static func parse(_ text: String) -> Int64? {
        var total: Int64 = 0
        var number: Int64 = 0
        var sawDigit = false
        var chars = Array(text.lowercased())
        guard !chars.isEmpty else { return nil }
        if chars.allSatisfy(\.isNumber) { chars.append("s") }
        var index = 0
        while index < chars.count {
            let char = chars[index]
            if let digit = char.wholeNumberValue {
                number = number * 10 + Int64(digit)
                sawDigit = true
                guard number < 1_000_000_000 else { return nil }
                index += 1
                continue
            }
            guard sawDigit else { return nil }
            var unit: Int64
            if char == "m" && index + 1 < chars.count && chars[index + 1] == "s" {
                unit = 1
                index += 1
            } else {
                switch char {
                case "s": unit = 1000
                case "m": unit = 60_000
                case "h": unit = 3_600_000
                case "d": unit = 86_400_000
                case "w": unit = 604_800_000
                default: return nil
                }
            }
            total += number * unit
            number = 0
            sawDigit = false
            index += 1
        }
        guard !sawDigit else { return nil }
        return total
    }
}
