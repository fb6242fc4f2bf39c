/// An episode of failures of one category and cause within one scope, with its evidence.
public struct Incident: Sendable {
    /// Where an incident applies.
    public struct Scope: Sendable, Equatable {
        /// `global`, `key`, `org`, `model`, `endpoint` or `host`.
        public var kind: String
        /// The key id, org, model, endpoint or host (`""` for global).
        public var value: String
    }

    /// 1-based, in time order.
    public var id = 0
    /// The category.
    public var category: Category
    /// The cause (a diagnosis over time for keys and orgs).
    public var cause: Cause
    /// Where it applies.
    public var scope: Scope
    /// The first failure.
    public var start: Int64
    /// The last failure.
    public var end: Int64
    /// Whether it lasted to the end of the data with no success after it in its scope.
    public var ongoing: Bool
    /// When its scope succeeded again, if it did.
    public var recoveredAt: Int64?
    /// Failures in it.
    public var failures: Int
    /// Failures per status.
    public var byStatus: [Int: Int]
    /// Failures per error code.
    public var errorCodes: [String: Int]
    /// Key ids involved, most failures first.
    public var keys: [String]
    /// Orgs involved.
    public var orgs: [String]
    /// Models involved.
    public var models: [String]
    /// Endpoints involved.
    public var endpoints: [String]
    /// Hosts involved.
    public var hosts: [String]
    /// User agents (SDKs) involved.
    public var userAgents: [String]
    /// Sample request IDs: the first and last few.
    public var sampleRequestIDs: [String]
    /// The first error message (redacted on output).
    public var message: String?
    /// The strongest evidence the failures were classified on.
    public var evidence: Evidence
    /// One sentence a person reads first.
    public var summary: String
    /// What to do next.
    public var nextSteps: [String]
    /// What the evidence rules out.
    public var ruledOut: [String]
}

/// Finds incidents in a finished summary.
struct IncidentDetector {
    let summary: Summary
    let window: Int64
    let keys: [Findings.KeyFinding]
    let orgs: [Findings.OrgFinding]
    /// The groups in a fixed order: dictionary order differs from run to run, reports must not.
    let groupList: [GroupStats]
    /// Positions in `groupList` by dimension, made once: incidents look groups up by dimension again and again,
    /// and a pass over all groups that copied each one was most of a report's time.
    private let positions: [String: [Int]]

    /// The zone offset the sentences print times in.
    let offsetSeconds: Int

    init(
        summary: Summary, window: Int64, keys: [Findings.KeyFinding], orgs: [Findings.OrgFinding],
        offsetSeconds: Int = 0
    ) {
        self.offsetSeconds = offsetSeconds
        self.summary = summary
        self.window = window
        self.keys = keys
        self.orgs = orgs
        groupList = summary.groups.keys.sorted().map { summary.groups[$0]! }
        var positions: [String: [Int]] = [:]
        for index in groupList.indices { positions[groupList[index].dimension, default: []].append(index) }
        self.positions = positions
    }

    /// The fewest failures an incident has.
    static let minimumFailures = 3
    /// The fewest failures a burst (rate limit, outage, client errors) has.
    static let minimumBurst = 10
    /// The share of an episode's failures one value must hold to be its scope.
    static let dominantShare = 0.9

    func detect() -> [Incident] {
        var incidents: [Incident] = []
        incidents += keyIncidents()
        incidents += orgIncidents()
        incidents += burstIncidents()
        return incidents
    }

    private var dataEnd: Int64 { summary.last ?? 0 }

    private func groups(category: Category, cause: Cause? = nil, dimension: String) -> [GroupStats] {
        (positions[dimension] ?? []).compactMap { index in
            groupList[index].category == category && (cause == nil || groupList[index].cause == cause!)
                ? groupList[index] : nil
        }
    }

    private func related(
        _ category: Category, _ causes: Set<Cause>, dimension: String, from: Int64, to: Int64
    )
        -> [String]
    {
        var counts: [String: Int] = [:]
        // By position, not a filtered copy: a copy of each matching group retained all it holds.
        for index in positions[dimension] ?? []
        where groupList[index].category == category && causes.contains(groupList[index].cause)
            && groupList[index].last >= from && groupList[index].first <= to
        {
            counts[groupList[index].value, default: 0] += count(groupList[index], from: from, to: to)
        }
        return counts.filter { $0.value > 0 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(10).map(\.key)
    }

    /// A group's failures in windows overlapping [from, to].
    private func count(_ group: GroupStats, from: Int64, to: Int64) -> Int {
        if group.first >= from && group.last <= to { return group.count }
        if group.windows.isEmpty { return group.last >= from && group.first <= to ? group.count : 0 }
        return group.windows.failures(from: Findings.floor(from, summary.windowMillis), through: to)
    }

    /// The first and last failure of groups in windows overlapping [from, to].
    private func bounds(_ groups: [GroupStats], from: Int64, to: Int64) -> (first: Int64, last: Int64)? {
        let low = Findings.floor(from, summary.windowMillis)
        var first = Int64.max
        var last = Int64.min
        for group in groups {
            guard let span = group.windows.span(from: low, through: to) else { continue }
            first = min(first, span.first)
            last = max(last, span.last)
        }
        return first <= last ? (first, last) : nil
    }

    private func make(
        category: Category, cause: Cause, scope: Incident.Scope, start: Int64, end: Int64, failures: Int,
        evidence groups: [GroupStats], causes: Set<Cause>, ongoing: Bool, recoveredAt: Int64?
    ) -> Incident {
        var byStatus: [Int: Int] = [:]
        var codes: [String: Int] = [:]
        var agents: [String: Int] = [:]
        var evidence: [String: Int] = [:]
        var samples: [String] = []
        var message: (String, Int64)?
        let low = Findings.floor(start, summary.windowMillis)
        for group in groups {
            if group.first >= low && group.last <= end || group.windows.isEmpty {
                for (status, count) in group.byStatus { byStatus[status, default: 0] += count }
                for (code, count) in group.errorCodes { codes[code, default: 0] += count }
            } else {
                for (windowStart, stat) in group.windows where windowStart >= low && windowStart <= end {
                    for tally in stat.statuses { byStatus[tally.value, default: 0] += tally.count }
                    for tally in stat.codes { codes[tally.value, default: 0] += tally.count }
                }
            }
            for (agent, count) in group.userAgents { agents[agent, default: 0] += count }
            for (kind, count) in group.evidence { evidence[kind, default: 0] += count }
            for id in group.firstRequestIDs + group.lastRequestIDs where samples.count < 6 && !samples.contains(id) {
                samples.append(id)
            }
            if let text = group.message, let time = group.messageTime, message.map({ time < $0.1 }) ?? true {
                message = (text, time)
            }
        }
        let strongest = Evidence.allCases.first { (evidence[$0.rawValue] ?? 0) > 0 } ?? .statusOnly
        var incident = Incident(
            category: category, cause: cause, scope: scope, start: start, end: end, ongoing: ongoing,
            recoveredAt: recoveredAt, failures: failures, byStatus: byStatus, errorCodes: codes,
            keys: related(category, causes, dimension: "key", from: start, to: end),
            orgs: related(category, causes, dimension: "org", from: start, to: end),
            models: related(category, causes, dimension: "model", from: start, to: end),
            endpoints: related(category, causes, dimension: "endpoint", from: start, to: end),
            hosts: related(category, causes, dimension: "host", from: start, to: end),
            userAgents: agents.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(5).map(\.key),
            sampleRequestIDs: samples, message: message?.0, evidence: strongest, summary: "", nextSteps: [],
            ruledOut: [])
        if scope.kind == "key" { incident.keys = [scope.value] }
        if scope.kind == "org" { incident.orgs = [scope.value] }
        Advice.explain(&incident, summary: summary, offsetSeconds: offsetSeconds)
        return incident
    }

    // MARK: - Keys

    private func keyIncidents() -> [Incident] {
        var incidents: [Incident] = []
        for key in keys {
            guard let diagnosis = key.diagnosis, Cause.allowed(in: .auth).contains(diagnosis) else { continue }
            let authGroups = groups(category: .auth, dimension: "key").filter { $0.value == key.keyID }
            var failures = authGroups.reduce(0) { $0 + $1.count }
            var start = authGroups.map(\.first).min() ?? 0
            if diagnosis == .revokedKey, let since = key.since {
                start = since
                failures = key.stats.failuresAfterSuccess
            }
            guard failures >= Self.minimumFailures else { continue }
            let end = authGroups.map(\.last).max() ?? start
            let recovered = key.stats.lastSuccess.map { $0 > end } ?? false
            var scope = Incident.Scope(kind: "key", value: key.keyID)
            if key.keyID == "none" {
                scope = concentrated(authGroups: .auth, cause: diagnosis) ?? Incident.Scope(kind: "global", value: "")
            }
            let causes = Set(authGroups.map(\.cause))
            var incident = make(
                category: .auth, cause: diagnosis, scope: scope, start: start, end: end, failures: failures,
                evidence: authGroups, causes: causes, ongoing: !recovered && end >= dataEnd - window,
                recoveredAt: nil)
            if recovered { incident.ruledOut.append("the key succeeded again after its last failure") }
            if key.keyID == "none" { incident.keys = ["none"] }
            if let note = key.note { incident.ruledOut.insert(note, at: 0) }
            incidents.append(incident)
        }
        return incidents
    }

    /// For failures without a key: the host or endpoint they come from, when one dominates.
    private func concentrated(authGroups category: Category, cause: Cause) -> Incident.Scope? {
        for dimension in ["host", "endpoint"] {
            let candidates = groups(category: category, cause: cause, dimension: dimension)
            let total = candidates.reduce(0) { $0 + $1.count }
            if let top = candidates.max(by: { ($0.count, $1.value) < ($1.count, $0.value) }), total > 0,
                Double(top.count) >= Self.dominantShare * Double(total), scopeHasOthers(dimension)
            {
                return Incident.Scope(kind: dimension, value: top.value)
            }
        }
        return nil
    }

    private func scopeHasOthers(_ dimension: String) -> Bool {
        let values: [String: ScopeStats]
        switch dimension {
        case "host": values = summary.hosts
        case "endpoint": values = summary.endpoints
        case "model": values = summary.models
        case "org": values = summary.orgs
        case "key": values = summary.keys
        default: return false
        }
        let total = max(summary.requests, 1)
        return values.values.filter { Double($0.requests) >= 0.01 * Double(total) }.count >= 2
    }

    // MARK: - Orgs

    private func orgIncidents() -> [Incident] {
        var incidents: [Incident] = []
        for org in orgs {
            guard let diagnosis = org.diagnosis else { continue }
            let billing = groups(category: .billing, dimension: "org").filter { $0.value == org.org }
            let failures = billing.reduce(0) { $0 + $1.count }
            guard failures >= Self.minimumFailures else { continue }
            let start = billing.map(\.first).min() ?? 0
            let end = billing.map(\.last).max() ?? start
            incidents.append(
                make(
                    category: .billing, cause: diagnosis, scope: Incident.Scope(kind: "org", value: org.org),
                    start: start, end: end, failures: failures, evidence: billing, causes: Set(billing.map(\.cause)),
                    ongoing: org.recoveredAt == nil && end >= dataEnd - window, recoveredAt: org.recoveredAt))
        }
        // Billing failures with no org in the log: by key.
        for key in keys where key.diagnosis.map({ Cause.allowed(in: .billing).contains($0) }) ?? false {
            let billing = groups(category: .billing, dimension: "key").filter { $0.value == key.keyID }
            let related = key.stats.related
            let orgless = groupList.contains {
                $0.category == .billing && $0.dimension == "org" && related.contains($0.value)
            }
            guard !orgless, related.isEmpty else { continue }
            let failures = billing.reduce(0) { $0 + $1.count }
            guard failures >= Self.minimumFailures, let diagnosis = key.diagnosis else { continue }
            let start = billing.map(\.first).min() ?? 0
            let end = billing.map(\.last).max() ?? start
            let recovered = key.stats.lastSuccess.map { $0 > end } ?? false
            incidents.append(
                make(
                    category: .billing, cause: diagnosis, scope: Incident.Scope(kind: "key", value: key.keyID),
                    start: start, end: end, failures: failures, evidence: billing, causes: Set(billing.map(\.cause)),
                    ongoing: !recovered && end >= dataEnd - window, recoveredAt: nil))
        }
        return incidents
    }

    // MARK: - Bursts

    /// Rate limits, outages and client errors: episodes well above their own background.
    ///
    /// An outage mixes 500s, 502s, 503s and 529s, so upstream failures are found as one category and
    /// named by their most common cause; rate limits and client errors are found cause by cause.
    private func burstIncidents() -> [Incident] {
        var incidents: [Incident] = []
        guard let first = summary.first, let last = summary.last else { return [] }
        let windowCount = max(1, (last - first) / window + 1)
        let globals = groupList.filter {
            $0.dimension == "all" && ($0.category == .rateLimit || $0.category == .upstream || $0.category == .client)
        }
        var units: [String: [GroupStats]] = [:]
        for group in globals {
            let unit = group.category == .upstream ? "upstream" : "\(group.category.rawValue)/\(group.cause.rawValue)"
            units[unit, default: []].append(group)
        }
        for name in units.keys.sorted() {
            let members = units[name]!
            let category = members[0].category
            let causes = Set(members.map(\.cause))
            var perWindow: [Int64: Int] = [:]
            for group in members {
                for (start, stat) in group.windows {
                    perWindow[Findings.floor(start, window), default: 0] += stat.count
                }
            }
            // The background is what most windows see (the 75th percentile, empty windows included), so an
            // outage elsewhere in the log does not raise the bar for this one.
            let sorted = perWindow.values.sorted()
            let empty = Int(windowCount) - sorted.count
            let rank = Int(Double(windowCount) * 0.75)
            let baseline = Double(rank < empty ? 0 : sorted[min(sorted.count - 1, rank - empty)])
            let threshold = max(3, Int((4 * baseline).rounded(.up)))
            let active = perWindow.filter { $0.value >= threshold }.keys.sorted()
            var episodes: [(Int64, Int64)] = []
            for start in active {
                if let lastEpisode = episodes.last, start - lastEpisode.1 <= 3 * window {
                    episodes[episodes.count - 1].1 = start
                } else {
                    episodes.append((start, start))
                }
            }
            for (activeFrom, activeTo) in episodes {
                // An episode's edges are often in windows it only partly covers: take them in when they stand
                // above the background.
                var from = activeFrom
                var to = activeTo
                if (perWindow[from - window] ?? 0) > Int(2 * baseline) { from -= window }
                if (perWindow[to + window] ?? 0) > Int(2 * baseline) { to += window }
                let failures = perWindow.reduce(0) { $0 + ($1.key >= from && $1.key <= to ? $1.value : 0) }
                guard failures >= Self.minimumBurst else { continue }
                // Failures must stand out from the traffic of the same windows, not just from their own past.
                let requests = requestsBetween(from, to)
                let share = category == .client ? 0.2 : 0.05
                guard Double(failures) >= share * Double(max(requests, 1)) else { continue }
                let upper = to + window - 1
                let inside = members.map { ($0, count($0, from: from, to: upper)) }.filter { $0.1 > 0 }
                let cause =
                    inside.max { ($0.1, $1.0.cause.rawValue) < ($1.1, $0.0.cause.rawValue) }?.0.cause
                    ?? members[0].cause
                let exact = bounds(inside.map(\.0), from: from, to: upper)
                let start = exact?.first ?? from
                let end = exact?.last ?? upper
                let scope = burstScope(category: category, causes: causes, from: from, to: upper, failures: failures)
                var evidence = inside.map(\.0)
                if scope.kind != "global" {
                    evidence = causes.sorted().compactMap {
                        summary.groups[GroupStats.key(category, $0, scope.kind, scope.value)]
                    }
                }
                var incident = make(
                    category: category, cause: cause, scope: scope, start: start, end: end, failures: failures,
                    evidence: evidence, causes: causes, ongoing: end >= dataEnd - window, recoveredAt: nil)
                if category == .upstream {
                    if scope.kind == "global" && incident.keys.count > 1 {
                        incident.ruledOut.append(
                            "not one key's problem: \(incident.keys.count) keys and \(max(incident.orgs.count, 1)) "
                                + "org(s) failed in the same minutes")
                    } else if scope.kind == "model" {
                        incident.ruledOut.append(
                            "not a provider-wide outage: other models succeeded in the same minutes")
                    }
                }
                incidents.append(incident)
            }
        }
        return incidents
    }

    private func requestsBetween(_ from: Int64, _ to: Int64) -> Int {
        summary.timeline.reduce(0) { $0 + ($1.key >= from && $1.key < to + window ? $1.value.total : 0) }
    }

    private func burstScope(
        category: Category, causes: Set<Cause>, from: Int64, to: Int64, failures: Int
    )
        -> Incident.Scope
    {
        let order: [String] =
            category == .upstream ? ["model", "endpoint", "host"] : ["org", "key", "model", "endpoint", "host"]
        for dimension in order where scopeHasOthers(dimension) {
            var totals: [String: Int] = [:]
            for index in positions[dimension] ?? []
            where groupList[index].category == category && causes.contains(groupList[index].cause) {
                totals[groupList[index].value, default: 0] += count(groupList[index], from: from, to: to)
            }
            if let best = totals.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }),
                Double(best.value) >= Self.dominantShare * Double(failures)
            {
                return Incident.Scope(kind: dimension, value: best.key)
            }
        }
        return Incident.Scope(kind: "global", value: "")
    }
}
