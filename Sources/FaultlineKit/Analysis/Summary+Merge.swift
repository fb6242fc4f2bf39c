extension Summary {
    /// The windows the timeline may be counted in: each a multiple of the one before, so counts coarsen exactly.
    static let windowLadder: [Int64] = [
        1, 5, 10, 30, 60, 300, 600, 1800, 3600, 7200, 21600, 43200, 86400, 172_800, 604_800,
    ].map { $0 * 1000 }

    /// The finest window counted when the user did not choose one: no report shows a finer one
    /// (`--window auto` aims at 60-200 rows of at least 30 s), and incidents keep exact first and last times.
    static let autoBaseWindow: Int64 = 30_000

    /// The most windows a timeline keeps before it coarsens to the next rung.
    static let maxWindows = 20_000

    /// This summary with windows of `window` milliseconds (a multiple of the current window).
    func coarsened(to window: Int64) -> Summary {
        guard window > windowMillis else { return self }
        return refloored(to: window)
    }

    /// Every window-keyed map floored to `window` (idempotent when already there).
    func refloored(to window: Int64) -> Summary {
        var copy = self
        copy.windowMillis = window
        func floor(_ start: Int64) -> Int64 {
            start >= 0 ? start / window * window : (start - window + 1) / window * window
        }
        var timeline: [Int64: CategoryCounts] = [:]
        for (start, counts) in self.timeline { timeline[floor(start), default: CategoryCounts()].add(counts) }
        copy.timeline = timeline
        for (name, org) in orgs where !org.successWindows.isEmpty {
            var windows: [Int64: Int] = [:]
            for (start, count) in org.successWindows { windows[floor(start), default: 0] += count }
            copy.orgs[name]!.successWindows = windows
        }
        for (name, group) in groups {
            var windows: [Int64: WindowStat] = [:]
            for (start, stat) in group.windows { windows[floor(start), default: WindowStat()].merge(stat) }
            copy.groups[name]!.windows = windows
        }
        return copy
    }

    /// Combines two summaries as if one run had read both inputs.
    public func merging(_ other: Summary) -> Summary {
        let window = max(windowMillis, other.windowMillis)
        var merged = coarsened(to: window)
        let right = other.coarsened(to: window)
        merged.windowFixed = windowFixed || other.windowFixed
        merged.inputs += right.inputs
        merged.requests += right.requests
        merged.byCategory.add(right.byCategory)
        for (status, count) in right.byStatus { merged.byStatus[status, default: 0] += count }
        for (cause, count) in right.byCause { merged.byCause[cause, default: 0] += count }
        for (kind, count) in right.byEvidence { merged.byEvidence[kind, default: 0] += count }
        merged.first = [first, right.first].compactMap { $0 }.min()
        merged.last = [last, right.last].compactMap { $0 }.max()
        merged.timeAssumedUTC += right.timeAssumedUTC
        for (start, counts) in right.timeline { merged.timeline[start, default: CategoryCounts()].add(counts) }
        Self.mergeScopes(&merged.keys, right.keys)
        Self.mergeScopes(&merged.orgs, right.orgs)
        Self.mergeScopes(&merged.projects, right.projects)
        Self.mergeScopes(&merged.models, right.models)
        Self.mergeScopes(&merged.endpoints, right.endpoints)
        Self.mergeScopes(&merged.hosts, right.hosts)
        Self.mergeScopes(&merged.userAgents, right.userAgents)
        for (name, group) in right.groups {
            if merged.groups[name] == nil {
                merged.groups[name] = group
            } else {
                merged.groups[name]!.merge(group)
            }
        }
        merged.retries.merge(right.retries)
        merged.maskedAtRead += right.maskedAtRead
        merged.distinctCap = min(distinctCap, right.distinctCap)
        merged.capScopes()
        for (map, count) in right.dropped { merged.dropped[map, default: 0] += count }
        merged.normalizeWindow()
        return merged
    }

    /// Keeps each dimension within `distinctCap` after a merge (every shard may have seen other values):
    /// the values with the most failures, then requests, stay; the rest are counted together under
    /// `(other)`, their failure groups dropped, and the report says how many.
    mutating func capScopes() {
        func cap(_ scopes: inout [String: ScopeStats], dimension: String, name: String) {
            // `none` (no key in the log) and `(other)` (already past the cap) are not values of their own.
            let special: Set<String> = ["none", "(other)"]
            let real = scopes.count - special.filter { scopes[$0] != nil }.count
            guard real > distinctCap else { return }
            let ranked = scopes.filter { !special.contains($0.key) }.sorted {
                ($0.value.failed, $0.value.requests, $1.key) > ($1.value.failed, $1.value.requests, $0.key)
            }
            let keep = distinctCap
            var other = scopes["(other)"] ?? ScopeStats()
            var removed = Set<String>()
            for (value, stats) in ranked.dropFirst(keep) {
                other.merge(stats)
                removed.insert(value)
                scopes[value] = nil
            }
            other.related = []
            other.hostOutcomes = [:]
            other.hint = other.hint ?? "(other)"
            scopes["(other)"] = other
            dropped[name, default: 0] += removed.count
            guard dimension != "" else { return }
            for (key, group) in groups where group.dimension == dimension && removed.contains(group.value) {
                groups[key] = nil
                dropped["groups", default: 0] += 1
            }
        }
        cap(&keys, dimension: "key", name: "keys")
        cap(&orgs, dimension: "org", name: "orgs")
        cap(&projects, dimension: "", name: "projects")
        cap(&models, dimension: "model", name: "models")
        cap(&endpoints, dimension: "endpoint", name: "endpoints")
        cap(&hosts, dimension: "host", name: "hosts")
        cap(&userAgents, dimension: "", name: "user_agents")
    }

    private static func mergeScopes(_ target: inout [String: ScopeStats], _ source: [String: ScopeStats]) {
        for (name, stats) in source {
            if target[name] == nil {
                target[name] = stats
            } else {
                target[name]!.merge(stats)
            }
        }
    }

    /// The most per-window entries kept over all groups but the whole log's, however many pieces merge.
    static let groupWindowBudget = 400_000

    /// Coarsens until the timeline and the groups' windows fit their bounds; with a window the user chose,
    /// the smallest groups lose their per-window detail instead (counted in `dropped`).
    mutating func normalizeWindow() {
        func groupWindows() -> Int {
            groups.values.reduce(0) { $0 + ($1.dimension == "all" ? 0 : $1.windows.count) }
        }
        while timeline.count > Self.maxWindows || groupWindows() > Self.groupWindowBudget, !windowFixed,
            let next = Self.windowLadder.first(where: { $0 > windowMillis })
        {
            self = coarsened(to: next)
        }
        var excess = groupWindows() - Self.groupWindowBudget
        guard excess > 0 else { return }
        let smallest = groups.filter { $0.value.dimension != "all" && !$0.value.windows.isEmpty }
            .sorted { ($0.value.count, $0.key) < ($1.value.count, $1.key) }
        for (name, group) in smallest where excess > 0 {
            excess -= group.windows.count
            dropped["group_windows", default: 0] += group.windows.count
            groups[name]!.windows = [:]
        }
    }
}
