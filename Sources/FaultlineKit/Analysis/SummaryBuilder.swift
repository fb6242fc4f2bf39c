/// Options that shape what a summary counts.
public struct AnalysisOptions: Sendable {
    /// The timeline window in milliseconds; nil picks one from the data (`auto`).
    public var windowMillis: Int64?
    /// Records before this instant are skipped (inclusive start).
    public var since: Int64?
    /// Records at or after this instant are skipped (exclusive end).
    public var until: Int64?
    /// The salt for HMAC key fingerprints (`--key-salt`).
    public var keySalt: String?
    /// The most distinct values kept per dimension (keys, orgs, models, ...).
    public var distinctCap = 100_000
    /// The most failure groups kept.
    public var groupCap = 50_000
    /// The most request IDs remembered for retry chains.
    public var retryCapacity = 1 << 18

    /// Default options.
    public init() {}
}

/// Accumulates one worker's records into a `Summary`, with interned ids and no per-line allocation.
struct SummaryBuilder {
    private struct Scope {
        var stats = ScopeStats()
        var related: [Int32] = []
        var hosts: [(host: Int32, ok: Int, failed: Int)] = []
        var successWindow: Int64 = .min
        var successPending = 0

        mutating func flushSuccesses() {
            if successPending > 0 { stats.successWindows[successWindow, default: 0] += successPending }
            successPending = 0
        }
    }

    private struct GroupID: Hashable {
        var category: UInt8
        var cause: UInt8
        var dimension: UInt8
        var value: Int32
    }

    private enum Dimension: Int, CaseIterable {
        case key, org, project, model, endpoint, host, userAgent

        var name: String {
            switch self {
            case .key: "key"
            case .org: "org"
            case .project: "project"
            case .model: "model"
            case .endpoint: "endpoint"
            case .host: "host"
            case .userAgent: "user_agent"
            }
        }

        var field: RecordField {
            switch self {
            case .key: .key
            case .org: .org
            case .project: .project
            case .model: .model
            case .endpoint: .endpoint
            case .host: .host
            case .userAgent: .userAgent
            }
        }
    }

    /// The `key_id` under which keys past `distinctCap` are counted together.
    static let otherKeyID = "(other)"

    private static let groupDimensions: [Dimension?] = [nil, .key, .org, .model, .endpoint, .host]
    private static let causes = Cause.allCases
    private static let categories = Category.allCases

    let options: AnalysisOptions
    private let fingerprinter: KeyFingerprinter
    private var interners: [ByteInterner]
    private var scopes: [[Scope]]
    private var keyIDs: [String] = []
    private var keyHints: [String] = []
    private var noneKey = Scope()
    private var noneKeyUsed = false
    private var otherKey = Scope()
    private var groups: [GroupStats] = []
    private var groupIndex: [GroupID: Int] = [:]
    private var groupsDropped = 0
    private var retries: RetryTracker
    private var summary: Summary
    private var byStatus = [Int](repeating: 0, count: 1000)
    private var byCause = [Int](repeating: 0, count: Category.allCases.count * Cause.allCases.count)
    private var byEvidence = [Int](repeating: 0, count: Evidence.allCases.count)
    private var windowStart: Int64 = .min
    private var windowCounts = CategoryCounts()
    private var codeInterner = ByteInterner(capacity: 4096)

    init(options: AnalysisOptions) {
        self.options = options
        fingerprinter = KeyFingerprinter(salt: options.keySalt)
        interners = Dimension.allCases.map { _ in ByteInterner(capacity: options.distinctCap) }
        scopes = Dimension.allCases.map { _ in [] }
        retries = RetryTracker(capacity: options.retryCapacity)
        let window = options.windowMillis ?? Summary.windowLadder[0]
        summary = Summary(windowMillis: window, windowFixed: options.windowMillis != nil)
    }

    mutating func addInput(_ stats: InputStats) {
        summary.inputs.append(stats)
    }

    @inline(__always)
    private func windowFloor(_ time: Int64) -> Int64 {
        let window = summary.windowMillis
        return time >= 0 ? time / window * window : (time - window + 1) / window * window
    }

    /// Counts one classified record.
    mutating func add(_ line: ParsedLine, _ classification: Classification) {
        let record = line.record
        guard let time = record.time, let status = record.status else { return }
        let category = classification.category
        let categoryIndex = Category.index(category)
        let success = category == .success
        summary.requests += 1
        summary.byCategory.counts[categoryIndex] += 1
        byStatus[min(max(status, 0), 999)] += 1
        if record.timeAssumedUTC { summary.timeAssumedUTC += 1 }
        if summary.first.map({ time < $0 }) ?? true { summary.first = time }
        if summary.last.map({ time > $0 }) ?? true { summary.last = time }
        let window = windowFloor(time)
        if window != windowStart {
            flushWindow()
            windowStart = window
        }
        windowCounts.counts[categoryIndex] += 1

        // Scopes.
        var ids = InlineArray<7, Int32>(repeating: -1)
        for dimension in Dimension.allCases {
            guard let value = line.bytes(dimension.field) else { continue }
            if dimension == .key {
                // An empty key (`Authorization: Bearer `) is a missing key: it shares the id `none`.
                guard !value.isEmpty else { continue }
                ids[dimension.rawValue] = keyID(value, hashed: record.keyIsHashed)
            } else {
                guard !value.isEmpty else { continue }
                ids[dimension.rawValue] = intern(dimension, value)
            }
        }
        let keyScope = ids[Dimension.key.rawValue]
        let hostID = ids[Dimension.host.rawValue]
        for dimension in Dimension.allCases {
            let id = ids[dimension.rawValue]
            if dimension == .key && id == ByteInterner.overflow {
                // Keys past the cap are not absent keys: they share `(other)`, so `none` keeps its meaning
                // and every request still counts under some key.
                otherKey.stats.record(time: time, success: success)
                otherKey.stats.byCategory.counts[categoryIndex] += 1
                continue
            }
            if dimension == .key && id < 0 {
                noneKeyUsed = true
                noneKey.stats.record(time: time, success: success)
                noneKey.stats.byCategory.counts[categoryIndex] += 1
                continue
            }
            guard id >= 0 else { continue }
            scopes[dimension.rawValue][Int(id)].stats.record(time: time, success: success)
            scopes[dimension.rawValue][Int(id)].stats.byCategory.counts[categoryIndex] += 1
        }
        // A key's orgs, an org's keys, and a key's outcome per host.
        let orgID = ids[Dimension.org.rawValue]
        if keyScope >= 0 && orgID >= 0 {
            Self.relate(&scopes[Dimension.key.rawValue][Int(keyScope)].related, orgID)
            Self.relate(&scopes[Dimension.org.rawValue][Int(orgID)].related, keyScope)
        }
        if success && orgID >= 0 {
            let org = Int(orgID)
            if scopes[Dimension.org.rawValue][org].successWindow != window {
                scopes[Dimension.org.rawValue][org].flushSuccesses()
                scopes[Dimension.org.rawValue][org].successWindow = window
            }
            scopes[Dimension.org.rawValue][org].successPending += 1
        }
        if keyScope >= 0 && hostID >= 0 && (success || category == .auth) {
            Self.count(&scopes[Dimension.key.rawValue][Int(keyScope)].hosts, hostID, ok: success)
        }

        if let requestID = line.bytes(.requestID), !requestID.isEmpty {
            let nonTransient =
                category == .auth || category == .billing || classification.cause == .requestTooLarge
            retries.record(
                id: requestID, time: time, ok: success, nonTransient: nonTransient,
                retryAfterMillis: record.retryAfterMillis)
        }
        guard !success else { return }

        let causeIndex = Self.causes.firstIndex(of: classification.cause)!
        byCause[categoryIndex * Self.causes.count + causeIndex] += 1
        byEvidence[Self.evidenceIndex(classification.evidence)] += 1
        var code: String?
        if let value = line.bytes(.errorCode) ?? line.bytes(.errorReason) ?? line.bytes(.errorType), !value.isEmpty,
            value.count <= 80
        {
            let id = codeInterner.id(value)
            code = id >= 0 ? codeInterner.strings[Int(id)] : "(other)"
        }
        var errorType: String?
        if let value = line.bytes(.errorType), !value.isEmpty, value.count <= 80 {
            let id = codeInterner.id(value)
            errorType = id >= 0 ? codeInterner.strings[Int(id)] : "(other)"
        }
        let agentID = ids[Dimension.userAgent.rawValue]
        let agent = agentID >= 0 ? interners[Dimension.userAgent.rawValue].strings[Int(agentID)] : nil
        for dimension in Self.groupDimensions {
            let value: Int32
            if let dimension {
                value = ids[dimension.rawValue]
                if value < 0 && dimension != .key { continue }
            } else {
                value = -1
            }
            let groupID = GroupID(
                category: UInt8(categoryIndex), cause: UInt8(causeIndex),
                dimension: UInt8(dimension.map { $0.rawValue + 1 } ?? 0),
                value: value)
            var index = groupIndex[groupID]
            if index == nil {
                guard groups.count < options.groupCap else {
                    groupsDropped += 1
                    continue
                }
                let name: String
                switch dimension {
                case nil: name = ""
                case .key?:
                    name = value >= 0 ? keyIDs[Int(value)] : value == ByteInterner.overflow ? Self.otherKeyID : "none"
                case let other?: name = interners[other.rawValue].strings[Int(value)]
                }
                groups.append(
                    GroupStats(
                        category: category, cause: classification.cause, dimension: dimension?.name ?? "all",
                        value: name))
                index = groups.count - 1
                groupIndex[groupID] = index
            }
            update(
                &groups[index!], line: line, time: time, status: status, window: window, code: code,
                errorType: errorType, agent: agent, evidence: classification.evidence)
        }
    }

    private static func evidenceIndex(_ evidence: Evidence) -> Int {
        switch evidence {
        case .code: 0
        case .message: 1
        case .key: 2
        case .statusOnly: 3
        }
    }

    private func update(
        _ group: inout GroupStats, line: ParsedLine, time: Int64, status: Int, window: Int64, code: String?,
        errorType: String?, agent: String?, evidence: Evidence
    ) {
        group.count += 1
        group.first = min(group.first, time)
        group.last = max(group.last, time)
        group.byStatus[status, default: 0] += 1
        // Per-window detail is kept for the few broad scopes; keys can number 100,000, so theirs is not.
        if group.dimension != "key" {
            group.windows[window, default: WindowStat()].add(time, status: status, code: code)
        }
        if let code { GroupStats.bump(&group.errorCodes, code) }
        if let errorType { GroupStats.bump(&group.errorTypes, errorType) }
        if let agent { GroupStats.bump(&group.userAgents, agent) }
        group.evidence[evidence.rawValue, default: 0] += 1
        if let id = line.bytes(.requestID), !id.isEmpty, id.count <= 200 {
            group.addRequestID(String(decoding: id, as: UTF8.self))
        }
        if group.messageTime.map({ time < $0 }) ?? true, let message = line.bytes(.errorMessage), !message.isEmpty {
            let clipped = UnsafeRawBufferPointer(rebasing: message.prefix(GroupStats.messageCap))
            group.message = String(decoding: clipped, as: UTF8.self)
            group.messageTime = time
        }
    }

    @inline(__always)
    private static func relate(_ related: inout [Int32], _ id: Int32) {
        if related.last == id || related.count >= ScopeStats.relatedCap || related.contains(id) { return }
        related.append(id)
    }

    @inline(__always)
    private static func count(_ hosts: inout [(host: Int32, ok: Int, failed: Int)], _ host: Int32, ok: Bool) {
        if let index = hosts.firstIndex(where: { $0.host == host }) {
            if ok { hosts[index].ok += 1 } else { hosts[index].failed += 1 }
        } else if hosts.count < ScopeStats.hostCap {
            hosts.append((host, ok ? 1 : 0, ok ? 0 : 1))
        }
    }

    private mutating func keyID(_ value: UnsafeRawBufferPointer, hashed: Bool) -> Int32 {
        let interner = Dimension.key.rawValue
        let before = interners[interner].count
        let id = interners[interner].id(value)
        guard id >= 0 else { return id == ByteInterner.overflow ? id : -1 }
        if interners[interner].count > before {
            // A key the log already hashed is fingerprinted the same way, so it never shows in output.
            keyIDs.append(fingerprinter.keyID(value))
            keyHints.append(hashed ? "(hashed)" : KeyFingerprinter.hint(value))
            var scope = Scope()
            scope.stats.hint = keyHints.last
            scopes[interner].append(scope)
        }
        return id
    }

    @inline(__always)
    private mutating func intern(_ dimension: Dimension, _ value: UnsafeRawBufferPointer) -> Int32 {
        let before = interners[dimension.rawValue].count
        let id = interners[dimension.rawValue].id(value)
        if id >= 0 && interners[dimension.rawValue].count > before { scopes[dimension.rawValue].append(Scope()) }
        return id
    }

    private mutating func flushWindow() {
        guard windowStart != .min, windowCounts.total > 0 else { return }
        summary.timeline[windowStart, default: CategoryCounts()].add(windowCounts)
        windowCounts = CategoryCounts()
        if summary.timeline.count > Summary.maxWindows && !summary.windowFixed {
            summary.normalizeWindow()
            windowStart = .min
        }
    }

    /// The finished summary (the builder can go on after this).
    mutating func finish() -> Summary {
        flushWindow()
        windowStart = .min
        var result = summary
        for (status, count) in byStatus.enumerated() where count > 0 { result.byStatus[status] = count }
        for (index, count) in byCause.enumerated() where count > 0 {
            let category = Self.categories[index / Self.causes.count]
            let cause = Self.causes[index % Self.causes.count]
            result.byCause["\(category.rawValue)/\(cause.rawValue)"] = count
        }
        for (index, count) in byEvidence.enumerated() where count > 0 {
            result.byEvidence[Evidence.allCases[index].rawValue] = count
        }
        for dimension in Dimension.allCases {
            var target: [String: ScopeStats] = [:]
            let names = dimension == .key ? keyIDs : interners[dimension.rawValue].strings
            for (id, scope) in scopes[dimension.rawValue].enumerated() {
                var scope = scope
                scope.flushSuccesses()
                var stats = scope.stats
                let relatedDimension: Dimension? = dimension == .key ? .org : dimension == .org ? .key : nil
                if let relatedDimension {
                    stats.related = scope.related.map {
                        relatedDimension == .key
                            ? keyIDs[Int($0)] : interners[relatedDimension.rawValue].strings[Int($0)]
                    }.sorted()
                }
                for entry in scope.hosts {
                    stats.hostOutcomes[interners[Dimension.host.rawValue].strings[Int(entry.host)]] =
                        ScopeStats.HostOutcome(ok: entry.ok, failed: entry.failed)
                }
                if target[names[id]] == nil {
                    target[names[id]] = stats
                } else {
                    target[names[id]]!.merge(stats)
                }
            }
            if dimension == .key && otherKey.stats.requests > 0 {
                var stats = otherKey.stats
                stats.hint = "(keys past the cap)"
                target[Self.otherKeyID] = stats
            }
            if dimension == .key && noneKeyUsed {
                var stats = noneKey.stats
                stats.hint = "(none)"
                target["none"] = stats
            }
            switch dimension {
            case .key: result.keys = target
            case .org: result.orgs = target
            case .project: result.projects = target
            case .model: result.models = target
            case .endpoint: result.endpoints = target
            case .host: result.hosts = target
            case .userAgent: result.userAgents = target
            }
            let dropped = interners[dimension.rawValue].overflowed
            if dropped > 0 { result.dropped[dimension.name + "s", default: 0] += dropped }
        }
        for group in groups {
            result.groups[GroupStats.key(group.category, group.cause, group.dimension, group.value)] = group
        }
        if groupsDropped > 0 { result.dropped["groups"] = groupsDropped }
        result = result.refloored(to: result.windowMillis)
        result.retries = retries.finished()
        if result.retries.evicted > 0 { result.dropped["request_ids"] = result.retries.evicted }
        return result
    }
}
