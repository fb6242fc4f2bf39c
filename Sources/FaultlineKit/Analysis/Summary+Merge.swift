extension Summary {
    /// A scope table's values as a list, the form a merge takes them in.
    typealias ScopeEntries = [(key: String, value: ScopeStats)]

    /// The scope tables, in the order they merge.
    enum Scope: Int, CaseIterable {
        case keys, orgs, projects, models, endpoints, hosts, userAgents

        /// The table.
        var path: WritableKeyPath<Summary, [String: ScopeStats]> {
            switch self {
            case .keys: \.keys
            case .orgs: \.orgs
            case .projects: \.projects
            case .models: \.models
            case .endpoints: \.endpoints
            case .hosts: \.hosts
            case .userAgents: \.userAgents
            }
        }

        /// The table's name in a `--summary-out` file.
        var codingName: String {
            switch self {
            case .keys: "keys"
            case .orgs: "orgs"
            case .projects: "projects"
            case .models: "models"
            case .endpoints: "endpoints"
            case .hosts: "hosts"
            case .userAgents: "userAgents"
            }
        }

        /// The name its cuts are counted under in `dropped`: the report's snake case.
        var droppedName: String { self == .userAgents ? "user_agents" : codingName }
    }

    /// The windows the timeline may be counted in: each a multiple of the one before, so counts coarsen exactly.
    static let windowLadder: [Int64] = [
        1, 5, 10, 30, 60, 300, 600, 1800, 3600, 7200, 21600, 43200, 86400, 172_800, 604_800,
    ].map { $0 * 1000 }

    /// The next rung of `windowLadder` above the window, or nil when the user chose the window or it is the
    /// coarsest.
    var coarserWindow: Int64? {
        windowFixed ? nil : Self.windowLadder.first { $0 > windowMillis }
    }

    /// The finest window counted when the user did not choose one: no report shows a finer one
    /// (`--window auto` aims at 60-200 rows of at least 30 s), and incidents keep exact first and last times.
    static let autoBaseWindow: Int64 = 30_000

    /// The most windows a timeline keeps before it coarsens to the next rung.
    static let maxWindows = 20_000

    /// Floors every window-keyed map to `window` in place (idempotent when already there).
    ///
    /// In place, because a summary of 20,000 keys is tens of megabytes: a copy per merge was the peak.
    mutating func refloor(to window: Int64) {
        windowMillis = window
        var timeline: [Int64: CategoryCounts] = [:]
        for (start, counts) in self.timeline {
            timeline[Findings.floor(start, window), default: CategoryCounts()].add(counts)
        }
        self.timeline = timeline
        Self.refloorSuccessWindows(&orgs, to: window)
        let groupIndices = groups.indices.filter { groups.values[$0].windows.count > 0 }
        for index in groupIndices { groups.values[index].windows.refloor { Findings.floor($0, window) } }
    }

    /// Floors the windows of a list of groups to `window` in place.
    static func refloor(_ groups: inout [GroupStats], to window: Int64) {
        for index in groups.indices where !groups[index].windows.isEmpty {
            groups[index].windows.refloor { Findings.floor($0, window) }
        }
    }

    /// Floors the per-window successes of a table of orgs to `window` in place.
    static func refloorSuccessWindows(_ scopes: inout [String: ScopeStats], to window: Int64) {
        // Indices gathered first: iterating `indices` while changing values would copy the whole table.
        let indices = scopes.indices.filter { scopes.values[$0].successWindows.count > 0 }
        for index in indices {
            scopes.values[index].successWindows = floored(scopes.values[index].successWindows, to: window)
        }
    }

    /// Floors the per-window successes of a list of orgs to `window` in place.
    static func refloorSuccessWindows(_ scopes: inout ScopeEntries, to window: Int64) {
        for index in scopes.indices where scopes[index].value.successWindows.count > 0 {
            scopes[index].value.successWindows = floored(scopes[index].value.successWindows, to: window)
        }
    }

    /// Successes per window, floored to `window`.
    static func floored(_ successWindows: [Int64: Int], to window: Int64) -> [Int64: Int] {
        var windows: [Int64: Int] = [:]
        for (start, count) in successWindows { windows[Findings.floor(start, window), default: 0] += count }
        return windows
    }

    /// Combines two summaries as if one run had read both inputs.
    public func merging(_ other: Summary) -> Summary {
        var merged = self
        merged.merge(other)
        return merged
    }

    /// Adds `other` to this summary in place, as if one run had read both inputs.
    public mutating func merge(_ other: Summary) {
        merge(other, groups: Array(other.groups.values)) { Array(other[keyPath: $0.path]) }
    }

    /// Adds `other` to this summary in place, taking its failure groups from `incoming` and its scope tables
    /// from `scopes` rather than from `other`, one dimension at a time.
    ///
    /// A builder hands its tables over this way as it makes them: made all at once, the seven tables of a
    /// 20,000-key piece were the largest allocation of a run.
    mutating func merge(_ other: Summary, groups incoming: [GroupStats], scopes: (Scope) -> ScopeEntries) {
        let window = max(windowMillis, other.windowMillis)
        if window > windowMillis { refloor(to: window) }
        var right = other
        for scope in Scope.allCases { right[keyPath: scope.path] = [:] }
        right.groups = [:]
        if window > right.windowMillis { right.refloor(to: window) }
        var incoming = incoming
        if window > other.windowMillis { Self.refloor(&incoming, to: window) }
        windowFixed = windowFixed || other.windowFixed
        inputs += right.inputs
        requests += right.requests
        byCategory.add(right.byCategory)
        for (status, count) in right.byStatus { byStatus[status, default: 0] += count }
        for (cause, count) in right.byCause { byCause[cause, default: 0] += count }
        for (kind, count) in right.byEvidence { byEvidence[kind, default: 0] += count }
        first = [first, right.first].compactMap { $0 }.min()
        last = [last, right.last].compactMap { $0 }.max()
        timeAssumedUTC += right.timeAssumedUTC
        for (start, counts) in right.timeline { timeline[start, default: CategoryCounts()].add(counts) }
        distinctCap = min(distinctCap, right.distinctCap)
        func mergeScopes(_ scope: Scope) -> Set<String> {
            var source = scopes(scope)
            if scope == .orgs && window > other.windowMillis { Self.refloorSuccessWindows(&source, to: window) }
            let removed = Self.mergeScopes(&self[keyPath: scope.path], source, cap: distinctCap)
            if !removed.isEmpty { dropped[scope.droppedName, default: 0] += removed.count }
            return removed
        }
        // Each dimension is capped as it merges, so a table never holds both sides' values at once.
        let removedKeys = mergeScopes(.keys)
        let removedOrgs = mergeScopes(.orgs)
        _ = mergeScopes(.projects)
        let removedModels = mergeScopes(.models)
        let removedEndpoints = mergeScopes(.endpoints)
        let removedHosts = mergeScopes(.hosts)
        _ = mergeScopes(.userAgents)
        let removed = [
            "key": removedKeys, "org": removedOrgs, "model": removedModels, "endpoint": removedEndpoints,
            "host": removedHosts,
        ].filter { !$0.value.isEmpty }
        mergeGroups(incoming, removed: removed)
        retries.merge(right.retries)
        maskedAtRead += right.maskedAtRead
        for (map, count) in right.dropped { dropped[map, default: 0] += count }
        normalizeWindow()
    }

    /// Adds `source`'s values to `target`, keeping at most `distinctCap` of them (every shard may have seen
    /// other values): those with the most failures, then requests, stay; the rest are counted together under
    /// `(other)`. Returns the values cut, for the report to count.
    ///
    /// Values cut are taken out before new ones go in, so the table never grows past the cap (a table of
    /// twice the cap was the largest allocation of a 100,000-key run).
    private static func mergeScopes(
        _ target: inout [String: ScopeStats], _ source: ScopeEntries, cap distinctCap: Int
    ) -> Set<String> {
        // `none` (no key in the log) and `(other)` (already past the cap) are not values of their own.
        func isSpecial(_ value: String) -> Bool { value == "none" || value == "(other)" }
        var incoming: [Int] = []
        for index in source.indices {
            let value = source[index].key
            if let found = target.index(forKey: value) {
                target.values[found].merge(source[index].value)
            } else if isSpecial(value) {
                target[value] = source[index].value
            } else {
                incoming.append(index)
            }
        }
        let special = (target["none"] == nil ? 0 : 1) + (target["(other)"] == nil ? 0 : 1)
        guard target.count - special + incoming.count > distinctCap else {
            for index in incoming { target[source[index].key] = source[index].value }
            return []
        }
        // Ranked by failures, then requests, then name. Each candidate carries the first 16 bytes of an ASCII
        // name, so ties (most of 100,000 keys have the same few requests) rarely compare whole strings.
        var names: [String] = []
        var ranks: [ScopeRank] = []
        names.reserveCapacity(target.count + incoming.count)
        ranks.reserveCapacity(target.count + incoming.count)
        // The counts are read through `inout`, which reaches the stored stats; a pair of the loop, or the
        // values' getter, is a copy of them, four references retained and released for each of 20,000 values.
        func counts(_ stats: inout ScopeStats) -> (failed: Int, requests: Int) { (stats.failed, stats.requests) }
        // Walked by hand: `indices` holds the table, and the first `inout` access would then copy all of it.
        var position = target.startIndex
        while position != target.endIndex {
            let value = target.keys[position]
            if !isSpecial(value) {
                let (failed, requests) = counts(&target.values[position])
                ranks.append(ScopeRank(failed: failed, requests: requests, value, index: names.count))
                names.append(value)
            }
            target.formIndex(after: &position)
        }
        // Names past `held` are the incoming values, in `incoming`'s order.
        let held = names.count
        for index in incoming {
            let value = source[index].key
            ranks.append(
                ScopeRank(
                    failed: source[index].value.failed, requests: source[index].value.requests, value,
                    index: names.count))
            names.append(value)
        }
        ranks.sort { $0.precedes($1, names) }
        var other = target["(other)"] ?? ScopeStats()
        var removed = Set<String>(minimumCapacity: ranks.count - distinctCap)
        for rank in ranks.dropFirst(distinctCap) {
            let value = names[Int(rank.index)]
            if Int(rank.index) >= held {
                other.merge(source[incoming[Int(rank.index) - held]].value)
            } else {
                other.merge(target.removeValue(forKey: value)!)
            }
            removed.insert(value)
        }
        for rank in ranks.prefix(distinctCap) where Int(rank.index) >= held {
            target[names[Int(rank.index)]] = source[incoming[Int(rank.index) - held]].value
        }
        other.related = []
        other.hostOutcomes = [:]
        other.hint = other.hint ?? "(other)"
        target["(other)"] = other
        return removed
    }

    /// The most per-window entries kept over all groups, the whole log's included, and orgs' success windows,
    /// in a summary or a builder, however many pieces merge: past it, the window coarsens.
    static let groupWindowBudget = 50_000

    /// The most failure groups kept for single keys, orgs, models, endpoints and hosts, however many pieces
    /// merge. A group with its samples and message is about a kilobyte; 100,000 keys that each fail now and
    /// then would otherwise make memory follow the length of the log.
    static let maxGroups = 5_000

    /// Adds `incoming` groups, then keeps the `maxGroups` scoped groups with the most failures (ties by
    /// name); the whole log's groups always stay. Incidents need at least three failures, so what goes is the
    /// long tail of scopes that failed once or twice, and `dropped.groups` counts it. A group whose value was
    /// cut from its dimension (`removed`, by dimension) goes too.
    ///
    /// Groups that would be cut never go in, so the table holds at most `maxGroups` scoped groups at any
    /// time: inserted first and cut after, a piece's new groups grew the table to twice its size, which
    /// made a long log's peak higher than a short one's.
    mutating func mergeGroups(_ incoming: [GroupStats], removed: [String: Set<String>]) {
        func isDoomed(_ group: GroupStats) -> Bool { removed[group.dimension]?.contains(group.value) == true }
        // New groups by position in `incoming`, with their names.
        var added: [(name: String, index: Int)] = []
        for (index, group) in incoming.enumerated() {
            let name = GroupStats.key(group.category, group.cause, group.dimension, group.value)
            if let found = groups.index(forKey: name) {
                groups.values[found].merge(group)
            } else {
                added.append((name, index))
            }
        }
        // A value cut from its dimension loses its failure groups too. Names first: removing while iterating
        // copied the whole table of groups, at a 16 GB run's peak.
        var doomedCount = 0
        if !removed.isEmpty {
            let doomed = groups.compactMap { name, group in isDoomed(group) ? name : nil }
            for name in doomed { groups[name] = nil }
            let before = added.count
            added.removeAll { isDoomed(incoming[$0.index]) }
            doomedCount = doomed.count + before - added.count
        }
        if doomedCount > 0 { dropped["groups", default: 0] += doomedCount }
        // Incoming positions are 0...; the table's own groups are marked -1.
        var ranked: [(name: String, count: Int, index: Int)] = []
        for (name, group) in groups where group.dimension != "all" { ranked.append((name, group.count, -1)) }
        for (name, index) in added {
            if incoming[index].dimension == "all" {
                groups[name] = incoming[index]
            } else {
                ranked.append((name, incoming[index].count, index))
            }
        }
        if ranked.count > Self.maxGroups {
            ranked.sort { ($0.count, $1.name) > ($1.count, $0.name) }
            for entry in ranked.dropFirst(Self.maxGroups) where entry.index < 0 { groups[entry.name] = nil }
            dropped["groups", default: 0] += ranked.count - Self.maxGroups
            ranked.removeLast(ranked.count - Self.maxGroups)
        }
        for entry in ranked where entry.index >= 0 { groups[entry.name] = incoming[entry.index] }
    }

    /// Coarsens until the timeline and the per-window entries fit their bounds; with a window the user chose
    /// (or past the coarsest), the smallest groups lose their per-window detail instead (counted in `dropped`).
    /// The whole log's groups keep theirs: with a window the user chose, they are the rows asked for.
    mutating func normalizeWindow() {
        func windowEntries() -> Int {
            groups.values.reduce(0) { $0 + $1.windows.count } + orgs.values.reduce(0) { $0 + $1.successWindows.count }
        }
        while timeline.count > Self.maxWindows || windowEntries() > Self.groupWindowBudget, let next = coarserWindow {
            refloor(to: next)
        }
        var excess = windowEntries() - Self.groupWindowBudget
        guard excess > 0 else { return }
        // Names and counts only: a filtered copy of the groups was a second table of them.
        var smallest: [(count: Int, name: String)] = []
        for (name, group) in groups where group.dimension != "all" && !group.windows.isEmpty {
            smallest.append((group.count, name))
        }
        smallest.sort { $0 < $1 }
        for (_, name) in smallest where excess > 0 {
            let windows = groups[name]!.windows.count
            excess -= windows
            dropped["group_windows", default: 0] += windows
            groups[name]!.windows = GroupWindows()
        }
    }
}

/// A scope value's place in the ranking that decides which values a capped table keeps.
private struct ScopeRank {
    let failed: Int
    let requests: Int
    /// The first 16 bytes of the name, big-endian, when the name is ASCII (so bytes order it as `String` does).
    let head: (UInt64, UInt64)
    let ascii: Bool
    /// The name's position in the names array (held values first, then incoming ones).
    ///
    /// Whether the value is incoming follows from it, so a rank is 40 bytes, not 48: there is one per value of
    /// both sides, 40,000 and more when a 100,000-key table merges, at a long log's peak.
    let index: Int32

    /// The rank of a value with `failed` failures and `requests` requests, named `name`.
    ///
    /// Takes the counts, not the stats: a copy of the stats per value (its four references retained and
    /// released) cost more than the rank. The name's bytes are read in place, not through its `utf8` view.
    init(failed: Int, requests: Int, _ name: String, index: Int) {
        self.failed = failed
        self.requests = requests
        self.index = Int32(index)
        var name = name
        (head, ascii) = name.withUTF8 { bytes in
            var high: UInt64 = 0
            var low: UInt64 = 0
            // The byte after the head is checked too: a mark there could join the head's last character when
            // the strings compare, so only then does the head order the names as `String` does.
            for count in 0..<min(bytes.count, 17) {
                let byte = bytes[count]
                if byte >= 0x80 { return ((high, low), false) }
                if count < 8 {
                    high |= UInt64(byte) << UInt64(56 - count * 8)
                } else if count < 16 {
                    low |= UInt64(byte) << UInt64(56 - (count - 8) * 8)
                }
            }
            return ((high, low), true)
        }
    }

    /// Whether this value ranks before `other`: more failures, then more requests, then the smaller name.
    @inline(__always)
    func precedes(_ other: ScopeRank, _ names: [String]) -> Bool {
        if failed != other.failed { return failed > other.failed }
        if requests != other.requests { return requests > other.requests }
        if ascii && other.ascii && head != other.head { return head < other.head }
        return names[Int(index)] < names[Int(other.index)]
    }
}
