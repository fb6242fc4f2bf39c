/// Renders findings as one self-contained HTML page: inline CSS, an inline SVG timeline, no scripts, no fetches.
public enum HTMLReport {
    /// The page, through the redactor.
    public static func render(_ findings: Findings, options: ReportOptions = ReportOptions()) -> String {
        var digest = ReportDigest(findings, options: options)
        let summary = findings.summary
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>faultline report</title>\n<style>\n\(style)</style>\n</head>\n<body>\n<main>\n"
        out += "<header>\n<h1>faultline report</h1>\n<p class=\"meta\">"
        out += "<span><b>Range</b> \(esc(digest.rangeText))</span> "
        out += "<span><b>Times in</b> \(esc(digest.zoneLabel))</span> "
        out += "<span><b>Window</b> \(esc(Duration.describe(findings.windowMillis)))</span> "
        out += "<span><b>Requests</b> \(summary.requests)</span> "
        let failedShare = ReportDigest.percent(summary.failed, of: summary.requests)
        out += "<span><b>Failed</b> \(summary.failed) (\(failedShare))</span>"
        out += "</p>\n</header>\n"

        out += "<section class=\"cards\">\n"
        for category in Category.allCases {
            let count = summary.byCategory[category]
            out += "<div class=\"card\" style=\"border-top-color:\(HTMLChart.color(category))\">"
            out += "<div class=\"name\">\(esc(category.rawValue))</div><div class=\"count\">\(count)</div>"
            out += "<div class=\"share\">\(ReportDigest.percent(count, of: summary.requests))</div></div>\n"
        }
        out += "</section>\n"

        out += "<section>\n<h2>Failures over time</h2>\n"
        out += HTMLChart(digest: digest).render()
        out += "</section>\n"

        let incidentTitle =
            findings.incidents.isEmpty ? "Incidents: none found" : "Incidents (\(findings.incidents.count))"
        out += "<section>\n<h2>\(incidentTitle)</h2>\n"
        for incident in findings.incidents { out += incidentHTML(incident, digest: &digest) }
        out += "</section>\n"

        out += tableSection(
            "Keys", digest.keyTable(), intro: "Keys are never shown: only their fingerprint (key_id) and public hint.")
        out += tableSection("Orgs", digest.orgTable())
        out += tableSection("Models", digest.scopeTable("model", summary.models))
        out += tableSection("Endpoints", digest.scopeTable("endpoint", summary.endpoints))
        out += tableSection("SDKs and user agents", digest.scopeTable("user agent", summary.userAgents))
        out += tableSection("Status codes", digest.statusTable())
        out += tableSection("Causes", digest.causeTable())
        out += tableSection("Retries", digest.retryTable())
        out += tableSection("Inputs", digest.inputTable())
        out += tableSection("Skipped lines", digest.skippedTable())
        if !digest.inputNotes.isEmpty {
            out += "<ul class=\"notes\">" + digest.inputNotes.map { "<li>\(esc($0))</li>" }.joined() + "</ul>\n"
        }
        let timeline = digest.timelineTable()
        out +=
            "<section>\n<details>\n<summary>Timeline table: windows with failures (\(timeline.rows.count))</summary>\n"
        out += table(timeline) + "</details>\n</section>\n"
        out += "<footer>\(esc(ReportDigest.footer))</footer>\n</main>\n</body>\n</html>\n"
        // Values were cleaned one by one; this last pass covers the text the report itself wrote.
        var redactor = digest.redactor
        return redactor.clean(out)
    }

    private static func incidentHTML(_ incident: Incident, digest: inout ReportDigest) -> String {
        let facts = digest.facts(incident)
        let color = HTMLChart.color(incident.category)
        var out = "<article class=\"incident\" id=\"incident-\(incident.id)\" style=\"border-left-color:\(color)\">\n"
        out += "<h3><span class=\"badge\" style=\"background:\(color)\">#\(incident.id)</span> "
        out += "\(esc(facts.title)) <small>\(esc(facts.scope))</small>"
        if incident.ongoing { out += " <span class=\"ongoing\">ongoing</span>" }
        out += "</h3>\n<p class=\"summary\">\(esc(facts.summary))</p>\n<table class=\"facts\">\n"
        for fact in facts.facts { out += "<tr><th>\(esc(fact.label))</th><td>\(cell(fact.value))</td></tr>\n" }
        out += "</table>\n"
        if let message = facts.message {
            out += "<h4>First error message (sanitised)</h4>\n<pre>\(esc(message))</pre>\n"
        }
        if !facts.nextSteps.isEmpty {
            out += "<h4>Next steps</h4>\n<ul>" + facts.nextSteps.map { "<li>\(esc($0))</li>" }.joined() + "</ul>\n"
        }
        if !facts.ruledOut.isEmpty {
            out +=
                "<h4>Ruled out / notes</h4>\n<ul>" + facts.ruledOut.map { "<li>\(esc($0))</li>" }.joined() + "</ul>\n"
        }
        return out + "</article>\n"
    }

    private static func tableSection(_ title: String, _ table: ReportTable, intro: String? = nil) -> String {
        let slug = String(title.lowercased().map { $0.isLetter ? $0 : "-" })
        var out = "<section id=\"\(esc(slug))\">\n<h2>\(esc(title))</h2>\n"
        if let intro { out += "<p>\(esc(intro))</p>\n" }
        return out + Self.table(table) + "</section>\n"
    }

    static func table(_ table: ReportTable) -> String {
        guard !table.rows.isEmpty else { return "<p class=\"none\">none</p>\n" }
        var out = "<div class=\"scroll\"><table>\n<thead><tr>"
        for (index, header) in table.headers.enumerated() {
            out += table.numeric.contains(index) ? "<th class=\"num\">" : "<th>"
            out += esc(header) + "</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            out += "<tr>"
            for (index, value) in row.enumerated() {
                out += table.numeric.contains(index) ? "<td class=\"num\">" : "<td>"
                out += cell(value) + "</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table></div>\n"
        if let note = table.note { out += "<p class=\"note\">\(esc(note))</p>\n" }
        return out
    }

    static func cell(_ value: ReportCell) -> String {
        switch value {
        case .text(let text): esc(text)
        case .code(let text): "<code>\(esc(text))</code>"
        case .codes(let texts): texts.map { "<code>\(esc($0))</code>" }.joined(separator: " ")
        case .number(let number): String(number)
        case .empty: ""
        }
    }

    /// HTML-escapes text for element content and quoted attributes alike.
    static func esc(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than tab and newline are not allowed in HTML text.
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    private static let style = """
        :root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #fff; color: var(--ink);
          font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
        main { max-width: 1200px; margin: 0 auto; padding: 24px; }
        h1 { font-size: 26px; margin: 0 0 6px; }
        h2 { font-size: 19px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
        h3 { font-size: 16px; margin: 0 0 6px; }
        h3 small { color: var(--muted); font-weight: normal; font-size: 14px; }
        h4 { font-size: 13px; margin: 12px 0 4px; text-transform: uppercase; letter-spacing: .04em;
          color: var(--muted); }
        .meta { color: var(--muted); margin: 0; display: flex; flex-wrap: wrap; gap: 4px 18px; }
        .meta b { color: var(--ink); font-weight: 600; margin-right: 4px; }
        .cards { display: grid; grid-template-columns: repeat(6, 1fr); gap: 10px; margin-top: 18px; }
        .card { border: 1px solid var(--line); border-top: 4px solid; border-radius: 6px; padding: 8px 10px; }
        .card .name { color: var(--muted); font-size: 12px; }
        .card .count { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
        .card .share { color: var(--muted); font-size: 12px; }
        .legend { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 0 0 6px; font-size: 13px; }
        .legend i { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 5px;
          vertical-align: -1px; }
        .legend .span { border: 1px dashed #59636e; background: rgba(89, 99, 110, .12); }
        svg.chart { width: 100%; height: auto; display: block; border: 1px solid var(--line); border-radius: 6px; }
        svg.chart text { font: 11px -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; fill: #59636e; }
        svg.chart .label { font-weight: 600; }
        .incident { border: 1px solid var(--line); border-left: 6px solid; border-radius: 6px; padding: 12px 16px;
          margin: 0 0 14px; }
        .badge { color: #fff; border-radius: 10px; padding: 1px 8px; font-size: 13px; }
        .ongoing { background: #cf222e; color: #fff; border-radius: 10px; padding: 1px 8px; font-size: 12px;
          font-weight: normal; }
        .summary { margin: 4px 0 10px; }
        table { border-collapse: collapse; font-size: 13px; }
        th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
        thead th { background: var(--soft); }
        tbody tr:nth-child(even) { background: #fbfcfd; }
        table.facts th { background: var(--soft); white-space: nowrap; font-weight: 600; width: 170px; }
        table.facts td code { margin-right: 4px; }
        .num { text-align: right; font-variant-numeric: tabular-nums; }
        .scroll { overflow-x: auto; }
        code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--soft);
          border-radius: 4px; padding: 1px 4px; overflow-wrap: break-word; }
        .scroll td { white-space: nowrap; }
        .scroll td:first-child, .scroll td:last-child:not(.num) { white-space: normal; min-width: 12em;
          max-width: 36em; }
        .scroll td:first-child code { overflow-wrap: anywhere; }
        pre { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--soft);
          border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; white-space: pre-wrap;
          word-break: break-word; margin: 0; }
        .note, .none { color: var(--muted); font-style: italic; margin: 4px 0; }
        details summary { cursor: pointer; font-weight: 600; margin: 8px 0; }
        footer { margin-top: 32px; padding-top: 8px; border-top: 1px solid var(--line); color: var(--muted);
          font-size: 12px; }
        @media print { .incident { break-inside: avoid; } }

        """
}
