/// One cell of a report table, as Markdown and HTML both render it.
enum ReportCell: Equatable {
    /// Prose.
    case text(String)
    /// A value from the data, shown literally (an ID, a model, a user agent).
    case code(String)
    /// Several literal values.
    case codes([String])
    /// A count, right-aligned.
    case number(Int)
    /// Nothing to show.
    case empty
}

/// A table both the Markdown and the HTML report render, so the two forms hold the same facts.
struct ReportTable {
    /// Column titles.
    var headers: [String]
    /// Which columns hold numbers (right-aligned).
    var numeric: Set<Int> = []
    /// The rows, each as wide as `headers`.
    var rows: [[ReportCell]] = []
    /// A note under the table (what was left out).
    var note: String?
}

/// One incident's facts as label and value rows, shared by the Markdown and HTML reports.
struct IncidentFacts {
    /// `billing / quota_exhausted`.
    var title: String
    /// The scope in words.
    var scope: String
    /// The one sentence a person reads first.
    var summary: String
    /// Label and value rows.
    var facts: [(label: String, value: ReportCell)]
    /// The first error message, sanitised.
    var message: String?
    /// What to do next.
    var nextSteps: [String]
    /// What the evidence rules out.
    var ruledOut: [String]
}

/// Everything the Markdown and HTML reports show, worked out once from the findings.
///
/// Every string from the data passes the redactor here, before any escaping: escaping first could split a
/// token (`sk-abc\_def`) so the redactor would miss its tail.
struct ReportDigest {
    let findings: Findings
    let options: ReportOptions
    private(set) var redactor = Redactor()
    private let hints: [String: String]

    /// The most timeline rows a report table shows.
    static let timelineRowLimit = 50
    /// The most rows of a scope table (models, endpoints, user agents).
    static let scopeRowLimit = 10

    init(_ findings: Findings, options: ReportOptions) {
        self.findings = findings
        self.options = options
        var hints: [String: String] = [:]
        for key in findings.keys where !key.hint.isEmpty { hints[key.keyID] = key.hint }
        self.hints = hints
    }

    var summary: Summary { findings.summary }

    /// A data value with secrets masked.
    mutating func clean(_ value: String) -> String {
        redactor.clean(value)
    }

    mutating func clean(_ values: [String]) -> [String] {
        values.map { redactor.clean($0) }
    }

    // MARK: - Times

    /// The zone as the reader should see it: `UTC`, or the name given with its offset.
    var zoneLabel: String {
        let offset = Self.offsetText(options.offsetSeconds)
        if options.offsetSeconds == 0 { return options.zoneName == "UTC" ? "UTC" : "\(options.zoneName) (UTC)" }
        return options.zoneName == offset ? "UTC\(offset)" : "\(options.zoneName) (UTC\(offset))"
    }

    /// `+02:00`.
    static func offsetText(_ seconds: Int) -> String {
        let magnitude = abs(seconds)
        let hours = magnitude / 3600
        let minutes = magnitude / 60 % 60
        return (seconds < 0 ? "-" : "+") + (hours < 10 ? "0" : "") + "\(hours):" + (minutes < 10 ? "0" : "")
            + "\(minutes)"
    }

    /// `2025-03-10 13:12:00 UTC` or `2025-03-10 15:12:00 +02:00`: a time that says its zone.
    func stamp(_ millis: Int64?, precise: Bool = false) -> String {
        guard let millis else { return "-" }
        let text = Timestamp.format(millis, fractional: precise, offsetSeconds: options.offsetSeconds)
        let spaced = text.replacingFirst("T", with: " ")
        if spaced.hasSuffix("Z") { return String(spaced.dropLast()) + " UTC" }
        return String(spaced.dropLast(6)) + " " + String(spaced.suffix(6))
    }

    /// `2025-03-10 13:12`: a short time for chart axes, whose caption names the zone.
    func shortStamp(_ millis: Int64) -> String {
        String(stamp(millis).prefix(16))
    }

    // MARK: - Header

    /// The range of the data, with its zone.
    var rangeText: String {
        guard let first = summary.first, let last = summary.last else { return "no records" }
        return "\(stamp(first)) to \(stamp(last))"
    }

    /// Failed requests as a share of all.
    static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "0.0%" }
        let tenths = Int((Double(part) * 1000 / Double(whole)).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// Requests per category, with a total row.
    func totalsTable() -> ReportTable {
        var table = ReportTable(headers: ["category", "requests", "share"], numeric: [1, 2])
        for category in Category.allCases {
            let count = summary.byCategory[category]
            table.rows.append([
                .code(category.rawValue), .number(count), .text(Self.percent(count, of: summary.requests)),
            ])
        }
        table.rows.append([.text("total"), .number(summary.requests), .text(summary.requests > 0 ? "100.0%" : "0.0%")])
        return table
    }

    /// Failures per HTTP status.
    func statusTable() -> ReportTable {
        var table = ReportTable(headers: ["status", "requests"], numeric: [1])
        for (status, count) in summary.byStatus.sorted(by: { $0.key < $1.key }) {
            table.rows.append([.code(String(status)), .number(count)])
        }
        return table
    }

    /// Failures per `category/cause`.
    mutating func causeTable() -> ReportTable {
        var table = ReportTable(headers: ["category / cause", "failures"], numeric: [1])
        for (cause, count) in Self.byWeight(summary.byCause) {
            table.rows.append([.code(clean(cause)), .number(count)])
        }
        return table
    }

    // MARK: - Incidents

    /// `key sha256:… (sk-proj-…9f2A)`, `org org-…`, `all traffic`.
    func scopeText(_ scope: Incident.Scope) -> String {
        switch scope.kind {
        case "global": return "all traffic"
        case "key": return "key \(keyLabel(scope.value))"
        default: return "\(scope.kind) \(scope.value)"
        }
    }

    /// A key id with its hint: never the key.
    func keyLabel(_ keyID: String) -> String {
        guard let hint = hints[keyID] else { return keyID }
        return "\(keyID) (\(hint))"
    }

    /// Error types behind an incident, from the failure groups of its scope and time (incidents keep codes only).
    func errorTypes(_ incident: Incident) -> [String: Int] {
        let dimension = incident.scope.kind == "global" ? "all" : incident.scope.kind
        let candidates = summary.groups.values.filter {
            $0.category == incident.category && $0.dimension == dimension && $0.value == incident.scope.value
                && $0.first <= incident.end && $0.last >= incident.start
        }
        // A diagnosis over time (revoked_key) differs from the per-request cause; fall back to the category.
        let exact = candidates.filter { $0.cause == incident.cause }
        var types: [String: Int] = [:]
        for group in exact.isEmpty ? candidates : exact {
            for (type, count) in group.errorTypes { types[type, default: 0] += count }
        }
        return types
    }

    /// An incident's facts, cleaned of secrets.
    mutating func facts(_ incident: Incident) -> IncidentFacts {
        var facts: [(label: String, value: ReportCell)] = []
        facts.append(("category / cause", .code("\(incident.category.rawValue) / \(incident.cause.rawValue)")))
        facts.append(("scope", .code(clean(scopeText(incident.scope)))))
        facts.append(("first failure", .text(stamp(incident.start, precise: true))))
        let last = stamp(incident.end, precise: true)
        facts.append(("last failure", .text(incident.ongoing ? "\(last) (ongoing at the end of the log)" : last)))
        if let recovered = incident.recoveredAt { facts.append(("recovered", .text(stamp(recovered, precise: true)))) }
        facts.append(("failures", .number(incident.failures)))
        let statuses = incident.byStatus.sorted { $0.key < $1.key }.map { "\($0.key) × \($0.value)" }
        facts.append(("HTTP status", statuses.isEmpty ? .empty : .codes(statuses)))
        let types = Self.byWeight(errorTypes(incident)).map { "\($0.key) × \($0.value)" }
        facts.append(("error type", types.isEmpty ? .text("none logged") : .codes(clean(types))))
        let codes = Self.byWeight(incident.errorCodes).map { "\($0.key) × \($0.value)" }
        facts.append(("error code", codes.isEmpty ? .text("none logged") : .codes(clean(codes))))
        facts.append(("evidence", .code(incident.evidence.rawValue)))
        facts.append(("sample request IDs", list(incident.sampleRequestIDs)))
        facts.append(("models", list(incident.models)))
        facts.append(("endpoints", list(incident.endpoints)))
        facts.append(("SDK / user agents", list(incident.userAgents)))
        facts.append(("keys", list(incident.keys.map(keyLabel))))
        facts.append(("orgs", list(incident.orgs)))
        if !incident.hosts.isEmpty { facts.append(("hosts", list(incident.hosts))) }
        return IncidentFacts(
            title: "\(incident.category.rawValue) / \(incident.cause.rawValue)",
            scope: clean(scopeText(incident.scope)),
            summary: clean(incident.summary), facts: facts, message: incident.message.map { clean($0) },
            nextSteps: clean(incident.nextSteps), ruledOut: clean(incident.ruledOut))
    }

    private mutating func list(_ values: [String]) -> ReportCell {
        values.isEmpty ? .text("none logged") : .codes(clean(values))
    }

    // MARK: - Timeline

    /// Windows with failures, the heaviest `timelineRowLimit` in time order, and how many were left out.
    func failureWindows() -> (rows: [Findings.TimelineRow], omitted: Int) {
        let failing = findings.timeline.filter { $0.counts.failed > 0 }
        guard failing.count > Self.timelineRowLimit else { return (failing, 0) }
        let heaviest = failing.sorted { ($0.counts.failed, $1.start) > ($1.counts.failed, $0.start) }
            .prefix(Self.timelineRowLimit)
        return (heaviest.sorted { $0.start < $1.start }, failing.count - Self.timelineRowLimit)
    }

    /// The timeline table: windows with failures only.
    func timelineTable() -> ReportTable {
        let (rows, omitted) = failureWindows()
        var table = ReportTable(
            headers: ["window start", "requests", "failed"] + Category.failures.map(\.rawValue),
            numeric: Set(1..<(3 + Category.failures.count)))
        for row in rows {
            var cells: [ReportCell] = [.text(stamp(row.start)), .number(row.counts.total), .number(row.counts.failed)]
            cells += Category.failures.map { .number(row.counts[$0]) }
            table.rows.append(cells)
        }
        let quiet = findings.timeline.count - rows.count - omitted
        var notes: [String] = []
        if omitted > 0 {
            notes.append("\(omitted) more windows with failures omitted (the lightest; the table keeps the heaviest)")
        }
        if quiet > 0 { notes.append("\(quiet) windows without failures not shown") }
        table.note = notes.isEmpty ? nil : notes.joined(separator: "; ") + "."
        return table
    }

    // MARK: - Scopes

    /// Keys: fingerprint and hint only.
    mutating func keyTable() -> ReportTable {
        var table = ReportTable(
            headers: ["key_id", "hint", "requests", "failed", "last success", "diagnosis", "since", "note"],
            numeric: [2, 3])
        for key in findings.keys {
            table.rows.append([
                .code(key.keyID), key.hint.isEmpty ? .empty : .code(clean(key.hint)), .number(key.stats.requests),
                .number(key.stats.failed), .text(stamp(key.stats.lastSuccess)),
                key.diagnosis.map { .code($0.rawValue) } ?? .empty, .text(stamp(key.since)),
                key.note.map { .text(clean($0)) } ?? .empty,
            ])
        }
        if findings.keysCut > 0 { table.note = "\(findings.keysCut) more keys not shown." }
        return table
    }

    /// Orgs, with billing diagnoses and recoveries.
    mutating func orgTable() -> ReportTable {
        var table = ReportTable(
            headers: ["org", "requests", "failed", "keys", "diagnosis", "since", "recovered"], numeric: [1, 2, 3])
        for org in findings.orgs {
            table.rows.append([
                .code(clean(org.org)), .number(org.stats.requests), .number(org.stats.failed),
                .number(org.stats.related.count), org.diagnosis.map { .code($0.rawValue) } ?? .empty,
                .text(stamp(org.since)), .text(stamp(org.recoveredAt)),
            ])
        }
        if findings.orgsCut > 0 { table.note = "\(findings.orgsCut) more orgs not shown." }
        return table
    }

    /// The most failing values of one dimension (models, endpoints, user agents).
    mutating func scopeTable(_ title: String, _ map: [String: ScopeStats]) -> ReportTable {
        var table = ReportTable(
            headers: [title, "requests", "failed"] + Category.failures.map(\.rawValue),
            numeric: Set(1..<(3 + Category.failures.count)))
        let sorted = map.sorted {
            ($0.value.failed, $0.value.requests, $1.key) > ($1.value.failed, $1.value.requests, $0.key)
        }
        for (name, stats) in sorted.prefix(Self.scopeRowLimit) {
            table.rows.append(
                [.code(clean(name)), .number(stats.requests), .number(stats.failed)]
                    + Category.failures.map { .number(stats.byCategory[$0]) })
        }
        if sorted.count > Self.scopeRowLimit {
            table.note = "\(sorted.count - Self.scopeRowLimit) more not shown (fewest failures)."
        }
        return table
    }

    /// Retry chains by request ID.
    func retryTable() -> ReportTable {
        let retries = summary.retries
        var table = ReportTable(headers: ["retries", "count"], numeric: [1])
        let rows: [(String, Int)] = [
            ("distinct request IDs", retries.requestIDs),
            ("request IDs retried", retries.retried),
            ("most attempts of one request ID", retries.maxAttempts),
            ("retried after a failure retrying cannot fix", retries.retriedNonTransient),
            ("retried sooner than retry-after or without growing backoff", retries.retriedWithoutBackoff),
            ("succeeded after retrying", retries.succeededAfterRetry),
            ("gave up (last attempt failed)", retries.gaveUp),
        ]
        table.rows = rows.map { [.text($0.0), .number($0.1)] }
        if retries.evicted > 0 {
            table.note =
                "\(retries.evicted) request IDs were forgotten to bound memory; their later attempts count as new."
        }
        return table
    }

    // MARK: - Inputs

    /// What was read of each input.
    mutating func inputTable() -> ReportTable {
        var table = ReportTable(
            headers: ["input", "format", "compression", "bytes", "lines", "records", "skipped", "read whole"],
            numeric: [3, 4, 5, 6])
        for input in summary.inputs {
            var whole = input.complete ? "yes" : "no"
            if let error = input.error { whole += ": " + clean(error) }
            if let offset = input.errorOffset { whole += " (byte \(offset))" }
            table.rows.append([
                .code(clean(input.name)), .code(clean(input.format)), .text(input.compression),
                .number(Int(input.bytes)),
                .number(input.lines), .number(input.records), .number(input.skipped), .text(whole),
            ])
        }
        return table
    }

    /// Skipped lines by input and reason, with the first line numbers seen.
    mutating func skippedTable() -> ReportTable {
        var table = ReportTable(headers: ["input", "reason", "lines", "first line numbers"], numeric: [2])
        for input in summary.inputs {
            for (reason, count) in Self.byWeight(input.skippedByReason) {
                let lines = input.skippedExamples.filter { $0.reason == reason }.map { String($0.line) }
                table.rows.append([
                    .code(clean(input.name)), .code(reason), .number(count),
                    lines.isEmpty
                        ? .text("beyond the first \(InputStats.exampleCap) examples")
                        : .text(lines.joined(separator: ", ")),
                ])
            }
        }
        return table
    }

    /// Sentences about what was bounded or assumed.
    var inputNotes: [String] {
        var notes: [String] = []
        if summary.timeAssumedUTC > 0 {
            notes.append("\(summary.timeAssumedUTC) timestamps had no zone and were read as UTC.")
        }
        for (map, count) in summary.dropped.sorted(by: { $0.key < $1.key }) {
            notes.append("\(count) \(map) beyond the cap were not tracked individually.")
        }
        if findings.incidentsCut > 0 { notes.append("\(findings.incidentsCut) smaller incidents not shown.") }
        return notes
    }

    /// The footer line.
    static var footer: String { "generated by faultline \(faultlineVersion); keys are shown as fingerprints" }

    /// Counts, largest first, ties by name: deterministic output.
    static func byWeight(_ map: [String: Int]) -> [(key: String, value: Int)] {
        map.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
    }
}

extension String {
    /// The string with the first `target` replaced.
    fileprivate func replacingFirst(_ target: Character, with replacement: String) -> String {
        guard let index = firstIndex(of: target) else { return self }
        return String(self[..<index]) + replacement + String(self[self.index(after: index)...])
    }
}
