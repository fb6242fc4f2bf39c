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
    public var distinctCap = 20_000
    /// The most failure groups kept.
    public var groupCap = 4_000
    /// The most request IDs remembered for retry chains.
    public var retryCapacity = 1 << 17

    /// Default options.
    public init() {}
}

/// Accumulates one worker's records into a `Summary`, with interned ids and no per-line allocation.
///
/// Every distinct value of every dimension (key, org, model, ...) lives in one interner whose id is
/// an index into one flat array of plain counters, so the per-line path touches no nested
/// collection; the richer `ScopeStats` are made once, in `finish`.
struct SummaryBuilder {
    /// The per-value counters of the hot path: plain values only.
    ///
    /// 112 bytes, not 144: there is one per distinct value of every dimension in each of two builders, 100,000 of
    /// them at a run's peak. Counts are 32-bit; one that wraps carries into `carries`, so totals stay exact.
    private struct Counter {
        // In this order, the 32-bit fields pair up without padding.
        var counts = InlineArray<6, UInt32>(repeating: 0)
        var lastRelated: Int32 = -1
        /// The first related value, held here: most keys have one org, and a list each was 3 MB of a run.
        var firstRelated: Int32 = -1
        var first = Int64.max
        var last = Int64.min
        var lastSuccess = Int64.min
        var firstFailure = Int64.max
        var lastFailure = Int64.min
        var firstFailureAfterSuccess = Int64.max
        var failuresAfterSuccess = 0
        var successWindow = Int64.min
        var successPending = 0
        var relatedCount: UInt8 = 0
        var hostCount: UInt8 = 0
        /// Whether this org has had a billing failure: only then are its successes kept per window, to date
        /// the recovery (10,000 orgs times a day of windows would otherwise grow without need).
        var billingSeen = false
        /// For keys: the log had already hashed it, so it has no hint.
        var hashedKey = false

        /// Whether any request was counted (a counter exists once its value is seen, but a carry can leave its
        /// counts at zero).
        var seen: Bool { first != .max }

        /// Counts one request; returns false when its category's count wrapped to zero and must be carried.
        @inline(__always)
        mutating func record(time: Int64, success: Bool, category: Int) -> Bool {
            counts[category] &+= 1
            if time < first { first = time }
            if time > last { last = time }
            if success {
                if time > lastSuccess {
                    lastSuccess = time
                    if firstFailureAfterSuccess <= time {
                        firstFailureAfterSuccess = .max
                        failuresAfterSuccess = 0
                    }
                }
            } else {
                if time < firstFailure { firstFailure = time }
                if time > lastFailure { lastFailure = time }
                if time > lastSuccess {
                    failuresAfterSuccess += 1
                    if time < firstFailureAfterSuccess { firstFailureAfterSuccess = time }
                }
            }
            return counts[category] != 0
        }

        /// The counter as `ScopeStats`, with the carries of its wrapped counts.
        func stats(carried: InlineArray<6, Int>?) -> ScopeStats {
            var stats = ScopeStats()
            for index in 0..<6 {
                stats.byCategory[index: index] = Int(counts[index]) + (carried?[index] ?? 0)
                stats.requests += stats.byCategory[index: index]
            }
            stats.first = seen ? first : nil
            stats.last = seen ? last : nil
            stats.lastSuccess = lastSuccess == .min ? nil : lastSuccess
            stats.firstFailure = firstFailure == .max ? nil : firstFailure
            stats.lastFailure = lastFailure == .min ? nil : lastFailure
            stats.firstFailureAfterSuccess = firstFailureAfterSuccess == .max ? nil : firstFailureAfterSuccess
            stats.failuresAfterSuccess = failuresAfterSuccess
            return stats
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

        /// Mixed into a value's hash so equal bytes in two dimensions are two values.
        var salt: UInt64 { UInt64(rawValue + 1) &* 0x9e37_79b9_7f4a_7c15 }
    }

    /// The `key_id` under which keys past `distinctCap` are counted together.
    static let otherKeyID = "(other)"
    private static let groupDimensions: [Dimension?] = [nil, .key, .org, .model, .endpoint, .host]
    private static let causes = Cause.allCases
    private static let categories = Category.allCases

    let options: AnalysisOptions
    private let fingerprinter: KeyFingerprinter
    /// Every distinct value of every dimension; an id indexes `counters`.
    private var interner: ByteInterner
    private var counters = SegmentedArray<Counter>()
    /// A counter's size, for the tests.
    static let counterStride = MemoryLayout<Counter>.stride
    /// What counters' wrapped 32-bit counts carried, by counter (empty unless a value passed 4 billion requests
    /// of one category in one piece).
    private var carries: [Int32: InlineArray<6, Int>] = [:]
    private var counterDimension: [UInt8] = []
    private var dropped = InlineArray<7, Int>(repeating: 0)
    /// Key fingerprints by counter index while the summary is made: made once, for the keys' table, and
    /// used again for orgs' related keys.
    private var keyIDs: [Int32: String] = [:]
    /// Sets every count above zero to `value`, so a test reaches a 32-bit wrap in a few lines.
    mutating func presetCounts(_ value: UInt32) {
        for index in counters.indices {
            for category in 0..<6 where counters[index].counts[category] > 0 {
                counters[index].counts[category] = value
            }
        }
        hostTallies.presetCounts(value)
    }

    /// Adds the 2^32 a counter's count just wrapped past.
    private mutating func carry(_ id: Int32, _ category: Int) {
        carries[id, default: InlineArray(repeating: 0)][category] += 1 << 32
    }

    /// The counter of requests without a key.
    private var noneKey: Int32 = -1
    /// The counter of keys past the cap: counted together, never as `none` (which means no key at all).
    private var otherKey: Int32 = -1
    /// Related values after a counter's first (`Counter.firstRelated`).
    private var related: [Int32: [Int32]] = [:]
    /// Each key's successes and auth failures per host, by key and host counter.
    private var hostTallies = PairTallies()
    private var successWindows: [Int32: [Int64: Int]] = [:]
    private var groups: [GroupStats] = []
    /// Each group's windows, by the group's index: a table here, where windows come one failure at a time
    /// and in any order; the summary keeps them as a sorted list.
    private var groupWindows: [[Int64: WindowStat]] = []
    private var groupIndex: [GroupID: Int] = [:]
    private var groupsDropped = 0
    /// Per-window entries held: every group's windows, the whole log's included, and orgs' success windows.
    ///
    /// Past `Summary.groupWindowBudget` the builder coarsens its window, as a merged summary does: the whole
    /// log's groups alone, a window each for every 30 s of a month, were megabytes per group.
    private var windowEntries = 0
    /// Whether the budget can no longer be met by coarsening (the user chose the window, or it is the coarsest):
    /// then scoped groups' new windows and new success windows are dropped past it, and counted.
    private var windowsCapped = false
    /// Whether new scoped windows and success windows are dropped: the budget is spent and cannot be coarsened.
    private var windowsFull: Bool { windowsCapped && windowEntries >= Summary.groupWindowBudget }
    private var windowsDropped = 0
    private var successWindowsDropped = 0
    private var retries: RetryTracker
    private var summary: Summary
    private var byStatus = [Int](repeating: 0, count: 1000)
    private var byCause = [Int](repeating: 0, count: Category.allCases.count * Cause.allCases.count)
    private var byEvidence = [Int](repeating: 0, count: Evidence.allCases.count)
    private var windowStart: Int64 = .min
    private var windowCounts = InlineArray<6, Int>(repeating: 0)
    private var codeInterner = ByteInterner(capacity: 4096)
    /// Failure messages, each kept once: groups of many keys share a handful of messages, and a string per
    /// group was a tenth of a megabyte per thousand groups.
    private var messageInterner = ByteInterner(capacity: 1024)

    /// A builder; `expectedLines`, a guess from the input's size, sizes the retry table up front.
    /// `retryStorage`, the tables of a piece read before, is reused rather than made again.
    init(options: AnalysisOptions, expectedLines: Int? = nil, retryStorage: consuming RetryTracker.Storage? = nil) {
        self.options = options
        fingerprinter = KeyFingerprinter(salt: options.keySalt)
        interner = ByteInterner(capacity: options.distinctCap * Dimension.allCases.count)
        retries = RetryTracker(capacity: options.retryCapacity, expected: expectedLines, reusing: retryStorage.take())
        let window = options.windowMillis ?? Summary.autoBaseWindow
        summary = Summary(windowMillis: window, windowFixed: options.windowMillis != nil)
        summary.distinctCap = options.distinctCap
    }

    mutating func addInput(_ stats: InputStats) {
        summary.inputs.append(stats)
    }

    @inline(__always)
    private func windowFloor(_ time: Int64) -> Int64 {
        let window = summary.windowMillis
        return time >= 0 ? time / window * window : (time - window + 1) / window * window
    }

    /// The counter of a dimension's value, made on first sight; -1 for no value, or one past the cap (a key
    /// past the cap is counted as `(other)`).
    @inline(__always)
    private mutating func counter(
        _ dimension: Dimension, _ value: UnsafeRawBufferPointer?, hashed: Bool, lineKey: UnsafeRawBufferPointer?
    ) -> Int32 {
        guard let value, !value.isEmpty else { return -1 }
        if value.count > LongValue.maxBytes { return longCounter(dimension, value, hashed: hashed, lineKey: lineKey) }
        let hash = ByteInterner.hash(value) ^ dimension.salt
        let found = interner.lookup(value, hash: hash)
        if found >= 0 { return found }
        return newCounter(dimension, value, hash: hash, hashed: hashed, key: lineKey)
    }

    /// The counter of a value longer than `LongValue.maxBytes`, kept by its short form.
    ///
    /// The line's key is masked in the whole value first: the short form could cut it, and a piece of a key
    /// would no longer match it.
    @inline(never)
    private mutating func longCounter(
        _ dimension: Dimension, _ value: UnsafeRawBufferPointer, hashed: Bool, lineKey: UnsafeRawBufferPointer?
    ) -> Int32 {
        shortenedValues += 1
        let masked = dimension != .key && KeyMask.occurs(lineKey, in: value)
        let short =
            masked
            ? Array(KeyMask.string(value, masking: lineKey).utf8).withUnsafeBytes { LongValue.shortened($0) }
            : LongValue.shortened(value)
        return short.withUnsafeBytes { short in
            let hash = ByteInterner.hash(short) ^ dimension.salt
            let found = interner.lookup(short, hash: hash)
            if found >= 0 { return found }
            let id = newCounter(dimension, short, hash: hash, hashed: hashed, key: lineKey)
            if id >= 0 && masked { maskedAtRead += 1 }
            return id
        }
    }

    /// Values longer than `LongValue.maxBytes`, kept by their short form.
    private var shortenedValues = 0

    /// The counter of a value not seen before: out of line, so the seven inlined lookups stay short.
    @inline(never)
    private mutating func newCounter(
        _ dimension: Dimension, _ value: UnsafeRawBufferPointer, hash: UInt64, hashed: Bool,
        key: UnsafeRawBufferPointer?
    ) -> Int32 {
        let id = addCounter(dimension, value, hash: hash, hashed: hashed)
        if id >= 0 && dimension != .key && KeyMask.occurs(key, in: value) {
            interner.rename(id, to: KeyMask.string(value, masking: key))
            maskedAtRead += 1
        }
        if id < 0 && dimension == .key { return otherKeyCounter() }
        return id
    }

    /// Values whose text held the line's own key, masked before they were kept.
    private var maskedAtRead = 0

    private mutating func addCounter(
        _ dimension: Dimension, _ value: UnsafeRawBufferPointer, hash: UInt64, hashed: Bool
    )
        -> Int32
    {
        // One cap per dimension, so 100,000 request-unique hosts cannot crowd out keys.
        guard perDimension[dimension.rawValue] < options.distinctCap else {
            dropped[dimension.rawValue] += 1
            return -1
        }
        let id = interner.id(value, hash: hash)
        guard id >= 0 else {
            dropped[dimension.rawValue] += 1
            return -1
        }
        precondition(Int(id) == counters.count)
        counters.append(Counter())
        counterDimension.append(UInt8(dimension.rawValue))
        perDimension[dimension.rawValue] += 1
        if dimension == .key { counters[Int(id)].hashedKey = hashed }
        return id
    }

    private var perDimension = InlineArray<7, Int>(repeating: 0)
    private var firstTime = Int64.max
    private var lastTime = Int64.min

    /// A key's fingerprint, made from its interned bytes when asked for: a `String` pair (with its hint) for
    /// each of 20,000 keys, held while counting, was a tenth of a builder.
    private func keyName(_ id: Int32) -> String {
        keyName(id, digest: keyDigest(id))
    }

    /// A key's fingerprint as a nonzero number: equal exactly when the names are (`none` and `(other)` have
    /// their own), so the keys' table can find a name's entry without hashing its text.
    private func keyDigest(_ id: Int32) -> UInt64 {
        if id == noneKey { return 1 << 62 }
        if id == otherKey { return 1 << 63 }
        // A key the log already hashed is fingerprinted the same way, so it never shows in output.
        return interner.withBytes(id) { fingerprinter.digest($0) } + 1
    }

    /// The name of a key whose `keyDigest` is `digest`.
    private func keyName(_ id: Int32, digest: UInt64) -> String {
        if id == noneKey { return "none" }
        if id == otherKey { return Self.otherKeyID }
        return fingerprinter.name(digest - 1)
    }

    /// A key's hint.
    private func keyHint(_ id: Int32) -> String {
        if id == noneKey { return "(none)" }
        if id == otherKey { return Self.otherKeyID }
        if counters[Int(id)].hashedKey { return "(hashed)" }
        return interner.withBytes(id) { KeyFingerprinter.hint($0) }
    }

    private mutating func noneKeyCounter() -> Int32 {
        if noneKey < 0 {
            // Interned as the empty key (never interned otherwise), so interner ids stay counter indices.
            noneKey = interner.id(UnsafeRawBufferPointer(start: nil, count: 0), hash: Dimension.key.salt)
            precondition(Int(noneKey) == counters.count)
            counters.append(Counter())
            counterDimension.append(UInt8(Dimension.key.rawValue))
        }
        return noneKey
    }

    private mutating func otherKeyCounter() -> Int32 {
        if otherKey < 0 {
            // Interned under a hash no real value gets, so interner ids stay counter indices.
            otherKey = interner.id(UnsafeRawBufferPointer(start: nil, count: 0), hash: ~Dimension.key.salt)
            precondition(Int(otherKey) == counters.count)
            counters.append(Counter())
            counterDimension.append(UInt8(Dimension.key.rawValue))
        }
        return otherKey
    }

    /// Counts one classified record.
    mutating func add(_ line: ParsedLine, _ classification: Classification) {
        let record = line.record
        guard let time = record.time, let status = record.status else { return }
        let category = classification.category
        let categoryIndex = Category.index(category)
        let success = category == .success
        summary.requests += 1
        byStatus[min(max(status, 0), 999)] += 1
        if record.timeAssumedUTC { summary.timeAssumedUTC += 1 }
        if time < firstTime { firstTime = time }
        if time > lastTime { lastTime = time }
        var window = windowFloor(time)
        if window != windowStart {
            flushWindow()
            // Flushing may have coarsened the window.
            window = windowFloor(time)
            windowStart = window
        }
        windowCounts[categoryIndex] += 1

        // Scopes.
        let lineKey = record.keyIsHashed ? nil : line.bytes(.key)
        // One call per dimension with its field spelled out, not a loop over them: a field picked by a
        // variable made the compiler copy the record's whole span table to the stack at every read.
        var ids = InlineArray<7, Int32>(repeating: -1)
        let hashed = record.keyIsHashed
        if let value = line.bytes(.key), !value.isEmpty {
            ids[0] = counter(.key, value, hashed: hashed, lineKey: lineKey)
        } else {
            // No key, or an empty one (`Authorization: Bearer `): both are the key `none`.
            ids[0] = noneKeyCounter()
        }
        ids[1] = counter(.org, line.bytes(.org), hashed: hashed, lineKey: lineKey)
        ids[2] = counter(.project, line.bytes(.project), hashed: hashed, lineKey: lineKey)
        ids[3] = counter(.model, line.bytes(.model), hashed: hashed, lineKey: lineKey)
        ids[4] = counter(.endpoint, line.bytes(.endpoint), hashed: hashed, lineKey: lineKey)
        ids[5] = counter(.host, line.bytes(.host), hashed: hashed, lineKey: lineKey)
        ids[6] = counter(.userAgent, line.bytes(.userAgent), hashed: hashed, lineKey: lineKey)
        let keyID = ids[Dimension.key.rawValue]
        let orgID = ids[Dimension.org.rawValue]
        let hostID = ids[Dimension.host.rawValue]
        // A key's outcome per host, to tell an environment difference: its slot is loaded while the counters count.
        let countsHost =
            keyID >= 0 && hostID >= 0 && keyID != noneKey && keyID != otherKey && (success || category == .auth)
        if countsHost { hostTallies.prefetch(Self.hostPair(key: keyID, host: hostID)) }
        // The line's counters are all made by now: one check that their storage is not shared, for all seven.
        let wrapped = counters.withElements { counters in
            var wrapped = 0
            for index in 0..<7 where ids[index] >= 0 {
                if !counters[Int(ids[index])].record(time: time, success: success, category: categoryIndex) {
                    wrapped |= 1 << index
                }
            }
            return wrapped
        }
        if wrapped != 0 {
            for index in 0..<7 where wrapped & 1 << index != 0 { carry(ids[index], categoryIndex) }
        }
        // A key's orgs, an org's keys.
        if keyID >= 0 && orgID >= 0 && keyID != noneKey && keyID != otherKey
            && counters[Int(keyID)].lastRelated != orgID
        {
            relate(keyID, orgID)
            relate(orgID, keyID)
        }
        if orgID >= 0 {
            if success {
                if counters[Int(orgID)].billingSeen {
                    if counters[Int(orgID)].successWindow != window { flushSuccesses(orgID, next: window) }
                    counters[Int(orgID)].successPending += 1
                }
            } else if category == .billing {
                counters[Int(orgID)].billingSeen = true
            }
        }
        if countsHost { countHost(key: keyID, host: hostID, ok: success) }
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
            if id >= 0 && KeyMask.occurs(lineKey, in: value) {
                codeInterner.rename(id, to: KeyMask.string(value, masking: lineKey))
            }
            code = id >= 0 ? codeInterner.string(id) : "(other)"
        }
        var errorType: String?
        if let value = line.bytes(.errorType), !value.isEmpty, value.count <= 80 {
            let id = codeInterner.id(value)
            if id >= 0 && KeyMask.occurs(lineKey, in: value) {
                codeInterner.rename(id, to: KeyMask.string(value, masking: lineKey))
            }
            errorType = id >= 0 ? codeInterner.string(id) : "(other)"
        }
        // The line's request ID and message, made once for all of its groups (and so shared by them).
        var texts = LineTexts()
        let dropScoped = windowsFull
        let agentID = ids[Dimension.userAgent.rawValue]
        let agent = agentID >= 0 ? interner.string(agentID) : nil
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
                case .key?: name = value >= 0 ? keyName(value) : "none"
                case .some: name = interner.string(value)
                }
                groups.append(
                    GroupStats(
                        category: category, cause: classification.cause, dimension: dimension?.name ?? "all",
                        value: name))
                groupWindows.append([:])
                index = groups.count - 1
                groupIndex[groupID] = index
            }
            Self.update(
                &groups[index!], windows: &groupWindows[index!], scope: dimension, windowEntries: &windowEntries,
                dropScoped: dropScoped, windowsDropped: &windowsDropped, messages: &messageInterner,
                line: line, time: time,
                status: status, window: window, code: code,
                errorType: errorType, agent: agent, evidence: classification.evidence, texts: &texts)
        }
        if windowEntries > Summary.groupWindowBudget && !windowsCapped { fitWindows() }
    }

    private static func evidenceIndex(_ evidence: Evidence) -> Int {
        switch evidence {
        case .code: 0
        case .message: 1
        case .key: 2
        case .statusOnly: 3
        }
    }

    private static func update(
        _ group: inout GroupStats, windows: inout [Int64: WindowStat], scope: Dimension?, windowEntries: inout Int,
        dropScoped: Bool, windowsDropped: inout Int, messages: inout ByteInterner,
        line: ParsedLine, time: Int64,
        status: Int, window: Int64, code: String?,
        errorType: String?, agent: String?, evidence: Evidence, texts: inout LineTexts
    ) {
        group.count += 1
        group.first = min(group.first, time)
        group.last = max(group.last, time)
        group.tallies.add(status: status, by: 1)
        // Per-window detail is kept for the whole log always, and for orgs, models, endpoints and hosts unless
        // the budget is spent and coarsening cannot help (they can number 10,000s); keys never: incidents need
        // keys' totals only. The group's dimension from the caller, not `group.dimension`: string comparisons
        // at every failure.
        if scope == nil || (scope != .key && !dropScoped) {
            // One lookup, not three: the count tells whether the window is new.
            let known = windows.count
            windows[window, default: WindowStat()].add(time, status: status, code: code)
            if windows.count > known { windowEntries += 1 }
        } else if scope != .key {
            windowsDropped += 1
        }
        if let code { group.tallies.add(.code, code, by: 1, cap: GroupStats.mapCap) }
        if let errorType { group.tallies.add(.type, errorType, by: 1, cap: GroupStats.mapCap) }
        if let agent { group.tallies.add(.agent, agent, by: 1, cap: GroupStats.mapCap) }
        group.tallies.add(.evidence, evidence.rawValue, by: 1)
        if let id = texts.requestID(line) { group.addRequestID(id) }
        if group.messageTime.map({ time < $0 }) ?? true, let message = texts.message(line, interner: &messages) {
            group.message = message
            group.messageTime = time
        }
    }

    /// Texts of one failed line that its groups keep, made on first use.
    private struct LineTexts {
        private var madeRequestID = false
        private var madeMessage = false
        private var requestIDText: String?
        private var messageText: String?

        mutating func requestID(_ line: ParsedLine) -> String? {
            if !madeRequestID {
                madeRequestID = true
                if let id = line.bytes(.requestID), !id.isEmpty, id.count <= 200 {
                    requestIDText = KeyMask.string(id, masking: line.record.keyIsHashed ? nil : line.bytes(.key))
                }
            }
            return requestIDText
        }

        /// The line's message, the same string as earlier lines' same message unless it holds the line's key.
        mutating func message(_ line: ParsedLine, interner: inout ByteInterner) -> String? {
            if !madeMessage {
                madeMessage = true
                if let message = line.bytes(.errorMessage), !message.isEmpty {
                    // Cut between tokens: a secret cut in two would no longer look like one to the redactor.
                    let clipped = UnsafeRawBufferPointer(
                        rebasing: message.prefix(LongValue.cut(message, limit: GroupStats.messageCap)))
                    let key = line.record.keyIsHashed ? nil : line.bytes(.key)
                    if KeyMask.occurs(key, in: clipped) {
                        messageText = KeyMask.string(clipped, masking: key)
                    } else {
                        let id = interner.id(clipped)
                        messageText = id >= 0 ? interner.string(id) : String(decoding: clipped, as: UTF8.self)
                    }
                }
            }
            return messageText
        }
    }

    private mutating func relate(_ from: Int32, _ to: Int32) {
        counters[Int(from)].lastRelated = to
        let count = Int(counters[Int(from)].relatedCount)
        guard count < ScopeStats.relatedCap else { return }
        if count == 0 {
            counters[Int(from)].firstRelated = to
        } else {
            if counters[Int(from)].firstRelated == to || related[from, default: []].contains(to) { return }
            related[from, default: []].append(to)
        }
        counters[Int(from)].relatedCount += 1
    }

    /// The values related to a counter's, in the order first seen.
    private func relatedValues(_ index: Int) -> [Int32] {
        let first = counters[index].firstRelated
        return first < 0 ? [] : [first] + (related[Int32(index)] ?? [])
    }

    private mutating func flushSuccesses(_ org: Int32, next window: Int64) {
        let pending = counters[Int(org)].successPending
        if pending > 0 {
            let start = counters[Int(org)].successWindow
            if let index = successWindows[org]?.index(forKey: start) {
                successWindows[org]!.values[index] += pending
            } else if windowsFull {
                successWindowsDropped += 1
            } else {
                successWindows[org, default: [:]][start] = pending
                windowEntries += 1
            }
        }
        counters[Int(org)].successPending = 0
        counters[Int(org)].successWindow = window
        if windowEntries > Summary.groupWindowBudget && !windowsCapped { fitWindows() }
    }

    /// A key and host counter as one nonzero number: +1 keeps it from the table's empty mark for counter 0.
    @inline(__always)
    private static func hostPair(key: Int32, host: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: key) &+ 1) << 32 | UInt64(UInt32(bitPattern: host))
    }

    @inline(__always)
    private mutating func countHost(key: Int32, host: Int32, ok: Bool) {
        let pair = Self.hostPair(key: key, host: host)
        if hostTallies.count(pair, ok: ok) { return }
        guard counters[Int(key)].hostCount < UInt8(ScopeStats.hostCap) else { return }
        counters[Int(key)].hostCount += 1
        hostTallies.insert(pair, ok: ok)
    }

    /// Coarsens the window, rung by rung, until the per-window entries fit the budget again; when they cannot
    /// (the user chose the window, or it is the coarsest), marks the budget as a cap instead.
    @inline(never)
    private mutating func fitWindows() {
        while windowEntries > Summary.groupWindowBudget {
            guard let next = summary.coarserWindow else {
                windowsCapped = true
                return
            }
            coarsen(to: next)
        }
    }

    /// Floors everything kept per window to `window`, a coarser rung, and counts the entries left.
    ///
    /// Windows are merged in order of start, so a window's statuses and codes take the same order in every run.
    private mutating func coarsen(to window: Int64) {
        flushWindow()
        windowStart = .min
        summary.refloor(to: window)
        var entries = 0
        for index in groupWindows.indices where !groupWindows[index].isEmpty {
            var floored: [Int64: WindowStat] = [:]
            for start in groupWindows[index].keys.sorted() {
                floored[Findings.floor(start, window), default: WindowStat()].merge(groupWindows[index][start]!)
            }
            groupWindows[index] = floored
            entries += floored.count
        }
        for org in Array(successWindows.keys) {
            successWindows[org] = Summary.floored(successWindows[org]!, to: window)
            entries += successWindows[org]!.count
        }
        for index in counters.indices where counters[index].billingSeen && counters[index].successWindow != .min {
            counters[index].successWindow = Findings.floor(counters[index].successWindow, window)
        }
        windowEntries = entries
    }

    private mutating func flushWindow() {
        guard windowStart != .min else { return }
        var counts = CategoryCounts()
        var total = 0
        for index in 0..<6 {
            counts[index: index] = windowCounts[index]
            total += windowCounts[index]
        }
        windowCounts = InlineArray(repeating: 0)
        guard total > 0 else { return }
        summary.byCategory.add(counts)
        summary.timeline[windowStart, default: CategoryCounts()].add(counts)
        if summary.timeline.count > Summary.maxWindows, let next = summary.coarserWindow { coarsen(to: next) }
    }

    /// The finished summary; the builder is spent after this.
    mutating func finish() -> Summary {
        var (result, groups) = finishTotals()
        for group in groups {
            result.groups[GroupStats.key(group.category, group.cause, group.dimension, group.value)] = group
        }
        groups = []
        for scope in Summary.Scope.allCases {
            result[keyPath: scope.path] = Dictionary(scopes(scope)) { first, second in
                var merged = first
                merged.merge(second)
                return merged
            }
        }
        releaseTables()
        return result
    }

    /// Merges the finished counts into `merged`; the builder is spent after this.
    ///
    /// Each scope table is made as the merge asks for it and is gone before the next: the seven tables made at
    /// once, beside the running summary, were a run's memory peak.
    mutating func finish(into merged: inout Summary) {
        let (totals, groups) = finishTotals()
        merged.merge(totals, groups: groups) { scopes($0) }
        releaseTables()
    }

    /// Settles the retry chains and gives up their table, the largest one, which no later step needs; the worker
    /// reads its next piece into it. Nothing may be added after this.
    ///
    /// A builder of more than `spareRetriesUpTo` distinct values frees the table instead: its merge is where a
    /// run's memory peaks, and the table kept through it (7 MB) took a 100,000-key .gz from 98 to 106 MB.
    @discardableResult
    mutating func settleRetries() -> RetryTracker.Storage? {
        guard !retriesSettled else { return nil }
        retriesSettled = true
        summary.retries = retries.finished()
        if summary.retries.evicted > 0 { summary.dropped["request_ids"] = summary.retries.evicted }
        let storage = retries.releaseStorage()
        return counters.count > Self.spareRetriesUpTo ? nil : storage
    }

    /// The most distinct values a builder may hold and still hand its retry table on.
    static let spareRetriesUpTo = 16_384

    private var retriesSettled = false

    /// Everything but the scope tables.
    ///
    /// The failure groups come back as the builder's list, not in `groups`: a table of them, made only to be
    /// walked by the merge, was a megabyte and a half at a long log's peak.
    private mutating func finishTotals() -> (Summary, [GroupStats]) {
        settleRetries()
        flushWindow()
        windowStart = .min
        var result = summary
        summary = Summary(windowMillis: result.windowMillis, windowFixed: result.windowFixed)
        for (status, count) in byStatus.enumerated() where count > 0 { result.byStatus[status] = count }
        for (index, count) in byCause.enumerated() where count > 0 {
            let category = Self.categories[index / Self.causes.count]
            let cause = Self.causes[index % Self.causes.count]
            result.byCause["\(category.rawValue)/\(cause.rawValue)"] = count
        }
        for (index, count) in byEvidence.enumerated() where count > 0 {
            result.byEvidence[Evidence.allCases[index].rawValue] = count
        }
        if result.requests > 0 {
            result.first = firstTime
            result.last = lastTime
        }
        for dimension in Dimension.allCases where dropped[dimension.rawValue] > 0 {
            result.dropped[dimension.name + "s", default: 0] += dropped[dimension.rawValue]
        }
        var finished: [GroupStats] = []
        swap(&finished, &groups)
        for index in finished.indices {
            finished[index].windows = GroupWindows(groupWindows[index])
            groupWindows[index] = [:]
            finished[index].requestIDs.shrink()
        }
        groupWindows = []
        groupIndex = [:]
        if groupsDropped > 0 { result.dropped["groups"] = groupsDropped }
        if windowsDropped > 0 { result.dropped["group_windows"] = windowsDropped }
        if successWindowsDropped > 0 { result.dropped["success_windows"] = successWindowsDropped }
        if shortenedValues > 0 { result.dropped["long_values"] = shortenedValues }
        result.maskedAtRead += maskedAtRead
        result.refloor(to: result.windowMillis)
        Summary.refloor(&finished, to: result.windowMillis)
        return (result, finished)
    }

    /// The table of one scope, floored to the builder's last window like the totals.
    /// One dimension's values and their stats, each name once.
    ///
    /// A list, not a table: the merge only walks it, and a table of 20,000 scopes sized for its load was half
    /// as large again (the largest thing a merge made).
    private mutating func scopes(_ scope: Summary.Scope) -> Summary.ScopeEntries {
        let dimension = Dimension(rawValue: scope.rawValue)!
        var scopes = Summary.ScopeEntries()
        scopes.reserveCapacity(perDimension[dimension.rawValue])
        // Keys' positions by fingerprint: two keys share one only if they are the same key (one logged hashed).
        var namePositions = DigestPositions(capacity: dimension == .key ? perDimension[dimension.rawValue] + 2 : 0)
        // Each key counter's position, for the host outcomes added below.
        var keyPositions = [Int32](repeating: -1, count: dimension == .key ? counters.count : 0)
        if dimension == .org && keyIDs.isEmpty {
            for index in counters.indices where counterDimension[index] == UInt8(Dimension.key.rawValue) {
                keyIDs[Int32(index)] = keyName(Int32(index))
            }
        }
        for index in counters.indices where counterDimension[index] == UInt8(dimension.rawValue) {
            let id = Int32(index)
            var stats = counters[index].stats(carried: carries[id])
            let name: String
            switch dimension {
            case .key:
                let digest = keyDigest(id)
                if let position = namePositions.position(of: digest) {
                    // The same key as one before it (one logged hashed): its name and hint are that one's.
                    keyIDs[id] = scopes[Int(position)].key
                    keyPositions[index] = position
                    stats.related = relatedValues(index).map { interner.text($0) }.sorted()
                    scopes[Int(position)].value.merge(stats)
                    continue
                }
                name = keyName(id, digest: digest)
                keyIDs[id] = name
                stats.hint = keyHint(id)
                stats.related = relatedValues(index).map { interner.text($0) }.sorted()
                namePositions.add(digest, position: Int32(scopes.count))
                keyPositions[index] = Int32(scopes.count)
            case .org:
                name = interner.text(id)
                stats.related = relatedValues(index).map { keyIDs[$0]! }.sorted()
                var windows = successWindows[id] ?? [:]
                if counters[index].successPending > 0 {
                    windows[counters[index].successWindow, default: 0] += counters[index].successPending
                }
                stats.successWindows = windows
            default:
                name = interner.text(id)
            }
            scopes.append((name, stats))
        }
        if dimension == .key {
            // Only a key with auth failures can show an environment difference; the others' hosts would cost
            // memory per key for nothing (100,000 keys from 16 hosts each). Sorted, so the hosts kept past the
            // cap do not depend on the table's order.
            var authFailed: [(pair: UInt64, ok: Int, failed: Int)] = []
            hostTallies.forEach { pair, ok, failed in
                let key = Int32(truncatingIfNeeded: pair >> 32) - 1
                if counters[Int(key)].counts[Category.index(.auth)] > 0 || carries[key] != nil {
                    authFailed.append((pair, ok, failed))
                }
            }
            for (pair, ok, failed) in authFailed.sorted(by: { $0.pair < $1.pair }) {
                let key = Int32(truncatingIfNeeded: pair >> 32) - 1
                let host = Int32(truncatingIfNeeded: pair & 0xffff_ffff)
                scopes[Int(keyPositions[Int(key)])].value.hostOutcomes[interner.text(host)] =
                    ScopeStats.HostOutcome(ok: ok, failed: failed)
            }
            hostTallies = PairTallies()
        }
        if dimension == .org {
            Summary.refloorSuccessWindows(&scopes, to: summary.windowMillis)
            successWindows = [:]
        }
        return scopes
    }

    private mutating func releaseTables() {
        counters = SegmentedArray()
        carries = [:]
        counterDimension = []
        hostTallies = PairTallies()
        related = [:]
        successWindows = [:]
        keyIDs = [:]
        interner = ByteInterner(capacity: 0)
        codeInterner = ByteInterner(capacity: 0)
        messageInterner = ByteInterner(capacity: 0)
    }
}

/// Positions in a list by key digest (`SummaryBuilder.keyDigest`), for the one scope table a piece makes of its
/// keys.
///
/// A slot is a position alone, the digests sit once in position order: half the memory of an `IntMap` at its
/// load, and this table stands at a piece's peak, beside the keys' list it indexes.
private struct DigestPositions {
    private var slots: [Int32]
    private var digests: [UInt64] = []
    private let mask: Int

    /// A table for up to `capacity` digests.
    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        digests.reserveCapacity(capacity)
    }

    /// The position `digest` was added with, or nil.
    func position(of digest: UInt64) -> Int32? {
        var slot = Self.slot(digest) & mask
        while slots[slot] >= 0 {
            if digests[Int(slots[slot])] == digest { return slots[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Adds `digest` (not yet in the table) at `position`, the next position of the list it indexes.
    mutating func add(_ digest: UInt64, position: Int32) {
        precondition(Int(position) == digests.count && digests.count * 2 < slots.count)
        var slot = Self.slot(digest) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = position
        digests.append(digest)
    }

    /// A digest's home slot: its bits mixed, as a key's fingerprint bits are uniform but `none`'s are not.
    private static func slot(_ digest: UInt64) -> Int {
        Int(truncatingIfNeeded: ((digest ^ digest >> 31) &* 0x9e37_79b9_7f4a_7c15) >> 20)
    }
}
