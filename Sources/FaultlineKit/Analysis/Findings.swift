/// What an analysis found: the finished, sorted, bounded view every report form renders.
public struct Findings: Sendable {
    /// The summary it was made from.
    public let summary: Summary
    /// The window the timeline is shown in.
    public let windowMillis: Int64
    /// Timeline rows, one per window from the first to the last (empty windows included).
    public let timeline: [TimelineRow]
    /// Keys, most failures first, bounded.
    public let keys: [KeyFinding]
    /// Keys left out by the bound.
    public let keysCut: Int
    /// Orgs, most failures first, bounded.
    public let orgs: [OrgFinding]
    /// Orgs left out by the bound.
    public let orgsCut: Int
    /// Incidents, in time order.
    public let incidents: [Incident]
    /// Incidents left out by the bound.
    public let incidentsCut: Int

    static let keyLimit = 50
    static let orgLimit = 50
    static let incidentLimit = 50
    static let timelineLimit = 2000

    /// One timeline window.
    public struct TimelineRow: Sendable, Equatable {
        /// Window start, ms since the epoch.
        public var start: Int64
        /// Requests per category.
        public var counts: CategoryCounts
    }

    /// A key, named by fingerprint and hint only.
    public struct KeyFinding: Sendable {
        /// `sha256:...`, `hmac:...` or `none`.
        public var keyID: String
        /// Public prefix and last four characters.
        public var hint: String
        /// What was seen of it.
        public var stats: ScopeStats
        /// The diagnosis over time, if the key has a problem.
        public var diagnosis: Cause?
        /// When the diagnosis began (a revoked key's turn).
        public var since: Int64?
        /// A sentence on how the diagnosis was reached.
        public var note: String?
    }

    /// An organization.
    public struct OrgFinding: Sendable {
        /// The org id or slug.
        public var org: String
        /// What was seen of it.
        public var stats: ScopeStats
        /// The diagnosis, if the org has a problem.
        public var diagnosis: Cause?
        /// When the problem began.
        public var since: Int64?
        /// When it ended: the first success after it, when there was one.
        public var recoveredAt: Int64?
    }

    /// Makes the findings of a summary; sentences print times at `offsetSeconds` from UTC (JSON keeps 0).
    public init(_ summary: Summary, windowMillis requested: Int64? = nil, offsetSeconds: Int = 0) {
        self.summary = summary
        let window = Self.displayWindow(summary, requested: requested)
        windowMillis = window
        timeline = Self.timeline(summary, window: window)
        let allKeys = Self.keyFindings(summary, offsetSeconds: offsetSeconds)
        keys = Array(allKeys.prefix(Self.keyLimit))
        keysCut = max(0, allKeys.count - Self.keyLimit)
        let allOrgs = Self.orgFindings(summary, window: window)
        orgs = Array(allOrgs.prefix(Self.orgLimit))
        orgsCut = max(0, allOrgs.count - Self.orgLimit)
        let allIncidents = IncidentDetector(
            summary: summary, window: window, keys: allKeys, orgs: allOrgs, offsetSeconds: offsetSeconds
        ).detect()
        // Keep the heaviest, shown in time order.
        let kept = allIncidents.sorted { ($0.failures, $1.start) > ($1.failures, $0.start) }.prefix(Self.incidentLimit)
        var ordered = kept.sorted {
            ($0.start, $0.category, $0.cause, $0.scope.value) < ($1.start, $1.category, $1.cause, $1.scope.value)
        }
        for index in ordered.indices { ordered[index].id = index + 1 }
        incidents = ordered
        incidentsCut = max(0, allIncidents.count - Self.incidentLimit)
    }

    /// The window shown: the one asked for, or one giving 60 to 200 rows (REPORT.md, `--window auto`).
    static func displayWindow(_ summary: Summary, requested: Int64?) -> Int64 {
        if let requested { return max(requested, summary.windowMillis) }
        guard let first = summary.first, let last = summary.last else { return max(60_000, summary.windowMillis) }
        let span = last - first
        let candidates = Summary.windowLadder.filter {
            $0 >= 30_000 && $0 >= summary.windowMillis && $0 % summary.windowMillis == 0
        }
        for window in candidates where span / window <= 200 { return window }
        return candidates.last ?? summary.windowMillis
    }

    @inline(__always)
    static func floor(_ time: Int64, _ window: Int64) -> Int64 {
        time >= 0 ? time / window * window : (time - window + 1) / window * window
    }

    private static func timeline(_ summary: Summary, window: Int64) -> [TimelineRow] {
        guard let first = summary.first, let last = summary.last else { return [] }
        var buckets: [Int64: CategoryCounts] = [:]
        for (start, counts) in summary.timeline { buckets[floor(start, window), default: CategoryCounts()].add(counts) }
        var rows: [TimelineRow] = []
        var start = floor(first, window)
        let end = floor(last, window)
        // A timeline of millions of empty windows helps nobody; past the limit only non-empty rows are kept.
        if (end - start) / window < Int64(timelineLimit) {
            while start <= end {
                rows.append(TimelineRow(start: start, counts: buckets[start] ?? CategoryCounts()))
                start += window
            }
        } else {
            rows = buckets.keys.sorted().map { TimelineRow(start: $0, counts: buckets[$0]!) }
        }
        return rows
    }

    /// The fields of a failure group a diagnosis reads: a copy of the whole group retained all it holds, for
    /// each of thousands of groups, and was most of the time a report took after the log was read.
    private struct GroupFacts {
        let category: Category
        let cause: Cause
        let count: Int
        let first: Int64
        let last: Int64

        init(_ group: GroupStats) {
            category = group.category
            cause = group.cause
            count = group.count
            first = group.first
            last = group.last
        }
    }

    private static func keyFindings(_ summary: Summary, offsetSeconds: Int) -> [KeyFinding] {
        var byKey: [String: [GroupFacts]] = [:]
        for index in summary.groups.values.indices where summary.groups.values[index].dimension == "key" {
            byKey[summary.groups.values[index].value, default: []].append(GroupFacts(summary.groups.values[index]))
        }
        var findings: [KeyFinding] = []
        for (keyID, stats) in summary.keys {
            var finding = KeyFinding(keyID: keyID, hint: stats.hint ?? "", stats: stats)
            let groups = (byKey[keyID] ?? []).sorted { ($0.count, $1.cause.rawValue) > ($1.count, $0.cause.rawValue) }
            Self.diagnose(&finding, groups: groups, offsetSeconds: offsetSeconds)
            findings.append(finding)
        }
        return findings.sorted { ($0.stats.failed, $1.keyID) > ($1.stats.failed, $0.keyID) }
    }

    private static func diagnose(_ finding: inout KeyFinding, groups: [GroupFacts], offsetSeconds: Int) {
        guard finding.keyID != SummaryBuilder.otherKeyID else { return }
        let stats = finding.stats
        let auth = groups.filter { $0.category == .auth }
        let authFailures = auth.reduce(0) { $0 + $1.count }
        guard authFailures > 0 else {
            if let billing = groups.first(where: { $0.category == .billing }), billing.count >= 3 {
                finding.diagnosis = billing.cause
                finding.since = billing.first
            }
            return
        }
        let dominant = auth[0]
        if finding.keyID == "none" {
            // Most logs never record keys; only evidence of a missing key (an empty header, the provider's
            // "You didn't provide an API key") makes keyless failures a missing key.
            if let missing = auth.first(where: { $0.cause == .missingKey }), missing.count >= 3 {
                finding.diagnosis = .missingKey
                finding.since = missing.first
                finding.note = "requests without a key were refused"
            }
            return
        }
        // Environment difference: the same key succeeds from some hosts and fails from others.
        let goodHosts = stats.hostOutcomes.filter { $0.value.ok > 0 }.keys.sorted()
        let badHosts = stats.hostOutcomes.filter { $0.value.ok == 0 && $0.value.failed > 0 }.keys.sorted()
        if let lastSuccess = stats.lastSuccess {
            let lastAuth = auth.map(\.last).max() ?? .min
            if lastAuth > lastSuccess, stats.failuresAfterSuccess >= 3, let turn = stats.firstFailureAfterSuccess,
                !(goodHosts.count > 0 && badHosts.count > 0 && stats.hostOutcomes[goodHosts[0]]!.ok > 0
                    && (stats.lastSuccess ?? 0) > turn)
            {
                let keyCauses: Set<Cause> = [.invalidKey, .unknown, .revokedKey, .accountDeactivated]
                if keyCauses.contains(dominant.cause) {
                    finding.diagnosis = .revokedKey
                    finding.since = turn
                    finding.note =
                        "succeeded until \(Timestamp.format(lastSuccess, offsetSeconds: offsetSeconds)), then only failed"
                    return
                }
                finding.diagnosis = dominant.cause
                finding.since = turn
                return
            }
            if !goodHosts.isEmpty && !badHosts.isEmpty {
                finding.diagnosis = dominant.cause == .unknown ? .invalidKey : dominant.cause
                finding.since = dominant.first
                finding.note =
                    "environment difference: fails from \(badHosts.prefix(3).joined(separator: ", ")) "
                    + "while it succeeds from \(goodHosts.prefix(3).joined(separator: ", "))"
                return
            }
            if authFailures >= 3 && dominant.cause != .unknown && dominant.cause != .invalidKey {
                finding.diagnosis = dominant.cause
                finding.since = dominant.first
            }
            return
        }
        finding.diagnosis = dominant.cause == .unknown ? .invalidKey : dominant.cause
        finding.since = dominant.first
        finding.note = "never succeeded"
    }

    private static func orgFindings(_ summary: Summary, window: Int64) -> [OrgFinding] {
        var byOrg: [String: [GroupFacts]] = [:]
        for index in summary.groups.values.indices where summary.groups.values[index].dimension == "org" {
            byOrg[summary.groups.values[index].value, default: []].append(GroupFacts(summary.groups.values[index]))
        }
        var findings: [OrgFinding] = []
        for (org, stats) in summary.orgs {
            var finding = OrgFinding(org: org, stats: stats)
            let groups = (byOrg[org] ?? []).sorted { ($0.count, $1.cause.rawValue) > ($1.count, $0.cause.rawValue) }
            if let billing = groups.first(where: { $0.category == .billing }), billing.count >= 3 {
                finding.diagnosis = billing.cause
                finding.since = billing.first
                finding.recoveredAt = recovery(of: stats, after: billing.last, window: window)
            }
            findings.append(finding)
        }
        return findings.sorted { ($0.stats.failed, $1.org) > ($1.stats.failed, $0.org) }
    }

    /// The first success after `time`, to a window's precision.
    static func recovery(of stats: ScopeStats, after time: Int64, window: Int64) -> Int64? {
        guard let lastSuccess = stats.lastSuccess, lastSuccess > time else { return nil }
        let base = floor(time, window)
        var candidates: [Int64] = []
        for (start, count) in stats.successWindows where count > 0 && floor(start, window) >= base {
            candidates.append(floor(start, window))
        }
        guard let first = candidates.min() else { return lastSuccess }
        return max(first, time + 1)
    }
}
