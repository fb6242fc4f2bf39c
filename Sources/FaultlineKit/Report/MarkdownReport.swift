/// Renders findings as Markdown for a support ticket: exact errors, times with their zone, request IDs, no secrets.
public enum MarkdownReport {
    /// The report's text, through the redactor.
    public static func render(_ findings: Findings, options: ReportOptions = ReportOptions()) -> String {
        var digest = ReportDigest(findings, options: options)
        var out = MarkdownWriter()
        let summary = findings.summary
        out.line("# faultline report")
        out.blank()
        out.line("- **Range:** \(digest.rangeText)")
        out.line("- **Times are in:** \(MarkdownWriter.escape(digest.zoneLabel))")
        out.line("- **Timeline window:** \(Duration.describe(findings.windowMillis))")
        out.line(
            "- **Requests:** \(summary.requests), **failed:** \(summary.failed) "
                + "(\(ReportDigest.percent(summary.failed, of: summary.requests)))")
        out.line("- **Incidents:** \(findings.incidents.count)")
        out.blank()

        out.heading(2, "Totals")
        out.table(digest.totalsTable())
        if !summary.byStatus.isEmpty { out.table(digest.statusTable()) }
        if !summary.byCause.isEmpty { out.table(digest.causeTable()) }

        out.heading(2, findings.incidents.isEmpty ? "Incidents: none found" : "Incidents (\(findings.incidents.count))")
        for incident in findings.incidents {
            incidentSection(incident, digest: &digest, out: &out)
        }

        out.heading(2, "Timeline of failures (per \(Duration.describe(findings.windowMillis)), \(digest.zoneLabel))")
        let timeline = digest.timelineTable()
        if timeline.rows.isEmpty {
            out.line("No window had failures.")
            out.blank()
        } else {
            out.table(timeline)
        }

        out.heading(2, "Keys")
        out.line("Keys are never shown: only their fingerprint (`key_id`) and public hint.")
        out.blank()
        out.table(digest.keyTable())
        out.heading(2, "Orgs")
        out.table(digest.orgTable())
        out.heading(2, "Models")
        out.table(digest.scopeTable("model", summary.models))
        out.heading(2, "Endpoints")
        out.table(digest.scopeTable("endpoint", summary.endpoints))
        out.heading(2, "SDKs and user agents")
        out.table(digest.scopeTable("user agent", summary.userAgents))
        out.heading(2, "Retries")
        out.table(digest.retryTable())

        out.heading(2, "Inputs")
        out.table(digest.inputTable())
        let skipped = digest.skippedTable()
        if !skipped.rows.isEmpty {
            out.heading(3, "Skipped lines")
            out.table(skipped)
        }
        for note in digest.inputNotes { out.line("- " + MarkdownWriter.escape(note)) }
        if !digest.inputNotes.isEmpty { out.blank() }
        out.line("---")
        out.blank()
        out.line("_\(MarkdownWriter.escape(ReportDigest.footer))_")
        // Values were cleaned one by one; this last pass covers the text the report itself wrote.
        var redactor = digest.redactor
        return redactor.clean(out.text)
    }

    private static func incidentSection(_ incident: Incident, digest: inout ReportDigest, out: inout MarkdownWriter) {
        let facts = digest.facts(incident)
        out.heading(3, "\(incident.id). \(facts.title): \(facts.scope)")
        out.line("> " + MarkdownWriter.prose(facts.summary))
        out.blank()
        var table = ReportTable(headers: ["field", "value"], numeric: [])
        table.rows = facts.facts.map { [.text($0.label), $0.value] }
        out.table(table)
        if let message = facts.message {
            out.line("First error message (sanitised):")
            out.blank()
            out.codeBlock(message)
        }
        if !facts.nextSteps.isEmpty {
            out.line("**Next steps**")
            out.blank()
            for step in facts.nextSteps { out.line("- " + MarkdownWriter.prose(step)) }
            out.blank()
        }
        if !facts.ruledOut.isEmpty {
            out.line("**Ruled out / notes**")
            out.blank()
            for line in facts.ruledOut { out.line("- " + MarkdownWriter.prose(line)) }
            out.blank()
        }
    }
}

/// Builds Markdown text, escaping every value so data cannot change the document's structure.
struct MarkdownWriter {
    private(set) var text = ""

    mutating func line(_ value: String) {
        text += value + "\n"
    }

    mutating func blank() {
        text += "\n"
    }

    mutating func heading(_ level: Int, _ value: String) {
        text += String(repeating: "#", count: level) + " " + Self.escape(value) + "\n\n"
    }

    /// A fenced block longer than any backtick run inside, so the message cannot close it.
    mutating func codeBlock(_ value: String) {
        let fence = String(repeating: "`", count: max(3, Self.longestBacktickRun(value) + 1))
        // "\r\n" is one Character in Swift, so line ends are normalised scalar by scalar.
        var body = ""
        for scalar in value.unicodeScalars where scalar != "\r" { body.unicodeScalars.append(scalar) }
        text += fence + "text\n" + body + "\n" + fence + "\n\n"
    }

    /// A GitHub table; every cell is escaped and kept on one line.
    mutating func table(_ table: ReportTable) {
        guard !table.rows.isEmpty else {
            line("_none_")
            blank()
            return
        }
        line("| " + table.headers.map { Self.cellText(.text($0)) }.joined(separator: " | ") + " |")
        let rule = table.headers.indices.map { table.numeric.contains($0) ? "---:" : "---" }
        line("| " + rule.joined(separator: " | ") + " |")
        for row in table.rows {
            line("| " + row.map(Self.cellText).joined(separator: " | ") + " |")
        }
        blank()
        if let note = table.note {
            line("_" + Self.escape(note) + "_")
            blank()
        }
    }

    static func cellText(_ cell: ReportCell) -> String {
        let raw: String
        switch cell {
        case .text(let value): raw = escape(value)
        case .code(let value): raw = code(value)
        case .codes(let values): raw = values.map(code).joined(separator: ", ")
        case .number(let value): raw = String(value)
        case .empty: raw = ""
        }
        // GitHub splits table cells at `|` even inside code spans, so it is escaped everywhere in a cell.
        return raw.replacingEvery("|", with: "\\|")
    }

    /// An inline code span that holds any value literally: the fence is longer than any backtick run inside.
    static func code(_ value: String) -> String {
        let flat = oneLine(value)
        guard !flat.isEmpty else { return "" }
        let fence = String(repeating: "`", count: longestBacktickRun(flat) + 1)
        let padded = flat.hasPrefix("`") || flat.hasSuffix("`") || flat.hasPrefix(" ") ? " \(flat) " : flat
        return fence + padded + fence
    }

    /// Plain text with every Markdown-special character escaped.
    static func escape(_ value: String) -> String {
        var out = ""
        for char in oneLine(value) {
            if special.contains(char) { out.append("\\") }
            out.append(char)
        }
        return out
    }

    /// Prose from the analysis: its code spans (`Authorization: Bearer <key>`) stay code, the rest is escaped.
    static func prose(_ value: String) -> String {
        let chars = Array(oneLine(value))
        var out = ""
        var index = 0
        while index < chars.count {
            guard chars[index] == "`" else {
                if special.contains(chars[index]) { out.append("\\") }
                out.append(chars[index])
                index += 1
                continue
            }
            var run = 0
            while index + run < chars.count && chars[index + run] == "`" { run += 1 }
            // CommonMark: a span closes at the next run of exactly the same length.
            var close: Int?
            var probe = index + run
            while probe < chars.count {
                if chars[probe] == "`" {
                    var length = 0
                    while probe + length < chars.count && chars[probe + length] == "`" { length += 1 }
                    if length == run {
                        close = probe
                        break
                    }
                    probe += length
                } else {
                    probe += 1
                }
            }
            if let close {
                out += String(chars[index..<(close + run)])
                index = close + run
            } else {
                out += String(repeating: "\\`", count: run)
                index += run
            }
        }
        return out
    }

    private static let special: Set<Character> = [
        "\\", "`", "*", "_", "[", "]", "<", ">", "#", "|", "~", "!", "{", "}", "&",
    ]

    static func oneLine(_ value: String) -> String {
        String(value.map { $0.isNewline ? " " : $0 })
    }

    static func longestBacktickRun(_ value: String) -> Int {
        var longest = 0
        var run = 0
        for char in value {
            run = char == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        return longest
    }
}

extension String {
    /// Every `target` replaced; a small helper so the report code needs no Foundation.
    func replacingEvery(_ target: Character, with replacement: String) -> String {
        var out = ""
        for char in self {
            if char == target { out += replacement } else { out.append(char) }
        }
        return out
    }
}
