/// The mergeable state of an analysis: every count and bounded sample a report is made from.
///
/// Two summaries merge associatively (`merging`), so one type serves worker threads, files and
/// machines: `--summary-out` writes it, `faultline merge` combines any number of them. Counts merge
/// exactly; bounded lists (samples, capped maps) keep what their bounds allow and count the rest.
public struct Summary: Codable, Sendable, Equatable {
    /// The schema written into `--summary-out` files.
    public static let schemaName = "faultline.summary/v1"

    /// Identifies the file format.
    public var schema = Summary.schemaName
    /// The finest window the timeline was counted in, in milliseconds.
    public var windowMillis: Int64
    /// Whether the user chose the window (`--window`), so it must not be coarsened.
    public var windowFixed: Bool
    /// One entry per input read.
    public var inputs: [InputStats] = []
    /// Records counted.
    public var requests = 0
    /// Requests per category, indexed by `Category.allCases`.
    public var byCategory = CategoryCounts()
    /// Requests per HTTP status.
    public var byStatus: [Int: Int] = [:]
    /// Failures per `category/cause`.
    public var byCause: [String: Int] = [:]
    /// Failures per kind of evidence the classification rested on.
    public var byEvidence: [String: Int] = [:]
    /// The earliest and latest request time.
    public var first: Int64?
    /// The latest request time.
    public var last: Int64?
    /// Records whose time had no zone and was read as UTC.
    public var timeAssumedUTC = 0
    /// Requests per category per window (window start in ms).
    public var timeline: [Int64: CategoryCounts] = [:]
    /// Per key fingerprint (`key_id`).
    public var keys: [String: ScopeStats] = [:]
    /// Per organization.
    public var orgs: [String: ScopeStats] = [:]
    /// Per project.
    public var projects: [String: ScopeStats] = [:]
    /// Per model.
    public var models: [String: ScopeStats] = [:]
    /// Per endpoint.
    public var endpoints: [String: ScopeStats] = [:]
    /// Per host.
    public var hosts: [String: ScopeStats] = [:]
    /// Per user agent.
    public var userAgents: [String: ScopeStats] = [:]
    /// Failures grouped by category, cause and scope.
    public var groups: [String: GroupStats] = [:]
    /// Retry chains by request ID.
    public var retries = RetryStats()
    /// What bounded maps dropped, by map.
    public var dropped: [String: Int] = [:]
    /// Values that held their line's own key and were masked when read (reports add these to `redactions`).
    public var maskedAtRead = 0
    /// The most distinct values kept per dimension, also after merging (`--max-distinct`).
    public var distinctCap = AnalysisOptions().distinctCap

    /// An empty summary counting in windows of `windowMillis`.
    public init(windowMillis: Int64, windowFixed: Bool) {
        self.windowMillis = windowMillis
        self.windowFixed = windowFixed
    }

    /// Failed requests.
    public var failed: Int { requests - byCategory[.success] }
}

/// Counts per category, stored in `Category.allCases` order.
///
/// Stored inline, not in an array: there is one per scope value and per window, and a heap block each
/// was a fifth of a 20,000-key summary.
public struct CategoryCounts: Codable, Sendable, Equatable {
    private var storage = InlineArray<6, Int>(repeating: 0)

    /// No counts.
    public init() {}

    /// The counts, in `Category.allCases` order.
    public var counts: [Int] { (0..<6).map { storage[$0] } }

    /// The count of one category.
    public subscript(category: Category) -> Int {
        get { storage[Category.index(category)] }
        set { storage[Category.index(category)] = newValue }
    }

    /// The count at a position in `Category.allCases`.
    subscript(index index: Int) -> Int {
        get { storage[index] }
        set { storage[index] = newValue }
    }

    /// All counts.
    public var total: Int {
        var sum = 0
        for index in 0..<6 { sum += storage[index] }
        return sum
    }

    /// Failures: all but success.
    public var failed: Int { total - storage[0] }

    mutating func add(_ other: CategoryCounts) {
        for index in 0..<6 { storage[index] += other.storage[index] }
    }

    /// Whether two hold the same counts.
    public static func == (lhs: CategoryCounts, rhs: CategoryCounts) -> Bool {
        for index in 0..<6 where lhs.storage[index] != rhs.storage[index] { return false }
        return true
    }

    /// Decodes from a plain array.
    public init(from decoder: any Decoder) throws {
        let counts = try decoder.singleValueContainer().decode([Int].self)
        guard counts.count == Category.allCases.count else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad counts"))
        }
        for index in 0..<6 { storage[index] = counts[index] }
    }

    /// Encodes as a plain array.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(counts)
    }
}

extension Category {
    @inline(__always)
    static func index(_ category: Category) -> Int {
        switch category {
        case .success: 0
        case .auth: 1
        case .rateLimit: 2
        case .billing: 3
        case .upstream: 4
        case .client: 5
        }
    }
}

/// What was seen of one key, org, model, endpoint, host or user agent.
public struct ScopeStats: Codable, Sendable, Equatable {
    /// Requests.
    public var requests = 0
    /// Requests per category.
    public var byCategory = CategoryCounts()
    // Times are stored with `Int64.min` for "none": an optional `Int64` takes 16 bytes, and with six of them a
    // summary of 20,000 keys, 10,000 orgs and 20,000 projects was a third larger.
    private var firstTime = Self.none
    private var lastTime = Self.none
    private var lastSuccessTime = Self.none
    private var firstFailureTime = Self.none
    private var lastFailureTime = Self.none
    private var turnTime = Self.none
    /// Failures after `lastSuccess`.
    public var failuresAfterSuccess = 0
    /// For keys: the public prefix and last four characters; never the key.
    public var hint: String?
    /// Related values (a key's orgs, an org's keys), bounded, sorted.
    public var related: [String] {
        get { relatedNames.names }
        set { relatedNames = PackedNames(newValue) }
    }
    /// `related`, packed: one buffer per scope rather than a `String` per name.
    private var relatedNames = PackedNames()
    /// For keys: per host, successes and failures, to tell an environment difference.
    public var hostOutcomes: [String: HostOutcome] = [:]
    /// For orgs: successes per window, to date a recovery.
    public var successWindows: [Int64: Int] = [:]

    private static let none = Int64.min

    /// No requests yet.
    public init() {}

    /// The first request time.
    public var first: Int64? {
        get { firstTime == Self.none ? nil : firstTime }
        set { firstTime = newValue ?? Self.none }
    }
    /// The last request time.
    public var last: Int64? {
        get { lastTime == Self.none ? nil : lastTime }
        set { lastTime = newValue ?? Self.none }
    }
    /// The last successful request.
    public var lastSuccess: Int64? {
        get { lastSuccessTime == Self.none ? nil : lastSuccessTime }
        set { lastSuccessTime = newValue ?? Self.none }
    }
    /// The first failed request.
    public var firstFailure: Int64? {
        get { firstFailureTime == Self.none ? nil : firstFailureTime }
        set { firstFailureTime = newValue ?? Self.none }
    }
    /// The last failed request.
    public var lastFailure: Int64? {
        get { lastFailureTime == Self.none ? nil : lastFailureTime }
        set { lastFailureTime = newValue ?? Self.none }
    }
    /// The first failure after `lastSuccess` (exact for time-ordered input).
    public var firstFailureAfterSuccess: Int64? {
        get { turnTime == Self.none ? nil : turnTime }
        set { turnTime = newValue ?? Self.none }
    }

    private enum CodingKeys: String, CodingKey {
        case requests, byCategory, first, last, lastSuccess, firstFailure, lastFailure, firstFailureAfterSuccess
        case failuresAfterSuccess, hint, related, hostOutcomes, successWindows
    }

    /// Decodes the form `encode(to:)` writes (absent times are none).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        requests = try container.decode(Int.self, forKey: .requests)
        byCategory = try container.decode(CategoryCounts.self, forKey: .byCategory)
        first = try container.decodeIfPresent(Int64.self, forKey: .first)
        last = try container.decodeIfPresent(Int64.self, forKey: .last)
        lastSuccess = try container.decodeIfPresent(Int64.self, forKey: .lastSuccess)
        firstFailure = try container.decodeIfPresent(Int64.self, forKey: .firstFailure)
        lastFailure = try container.decodeIfPresent(Int64.self, forKey: .lastFailure)
        firstFailureAfterSuccess = try container.decodeIfPresent(Int64.self, forKey: .firstFailureAfterSuccess)
        failuresAfterSuccess = try container.decode(Int.self, forKey: .failuresAfterSuccess)
        hint = try container.decodeIfPresent(String.self, forKey: .hint)
        // Sorted as a builder makes them, so merging never has to.
        related = try container.decode([String].self, forKey: .related).sorted()
        hostOutcomes = try container.decode([String: HostOutcome].self, forKey: .hostOutcomes)
        successWindows = try container.decode([Int64: Int].self, forKey: .successWindows)
    }

    /// Encodes times that are none by leaving them out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(requests, forKey: .requests)
        try container.encode(byCategory, forKey: .byCategory)
        try container.encodeIfPresent(first, forKey: .first)
        try container.encodeIfPresent(last, forKey: .last)
        try container.encodeIfPresent(lastSuccess, forKey: .lastSuccess)
        try container.encodeIfPresent(firstFailure, forKey: .firstFailure)
        try container.encodeIfPresent(lastFailure, forKey: .lastFailure)
        try container.encodeIfPresent(firstFailureAfterSuccess, forKey: .firstFailureAfterSuccess)
        try container.encode(failuresAfterSuccess, forKey: .failuresAfterSuccess)
        try container.encodeIfPresent(hint, forKey: .hint)
        try container.encode(related, forKey: .related)
        try container.encode(hostOutcomes, forKey: .hostOutcomes)
        try container.encodeSorted(successWindows, forKey: .successWindows)
    }

    /// Successes and failures of one key from one host.
    public struct HostOutcome: Codable, Sendable, Equatable {
        /// Successful requests.
        public var ok = 0
        /// Failed requests (auth failures only).
        public var failed = 0
    }

    /// Failed requests.
    public var failed: Int { byCategory.failed }

    static let relatedCap = 16
    static let hostCap = 16

    mutating func record(time: Int64, success: Bool) {
        requests += 1
        first = first.map { min($0, time) } ?? time
        last = last.map { max($0, time) } ?? time
        if success {
            if lastSuccess.map({ time > $0 }) ?? true {
                lastSuccess = time
                if let after = firstFailureAfterSuccess, after <= time {
                    firstFailureAfterSuccess = nil
                    failuresAfterSuccess = 0
                }
            }
        } else {
            firstFailure = firstFailure.map { min($0, time) } ?? time
            lastFailure = lastFailure.map { max($0, time) } ?? time
            if lastSuccess.map({ time > $0 }) ?? true {
                failuresAfterSuccess += 1
                firstFailureAfterSuccess = firstFailureAfterSuccess.map { min($0, time) } ?? time
            }
        }
    }

    mutating func relate(_ value: String) {
        var value = value
        value.withUTF8 { _ = relate(UnsafeRawBufferPointer($0)) }
    }

    /// Adds a related value unless it is there or the list is full; returns whether it was added.
    private mutating func relate(_ value: UnsafeRawBufferPointer) -> Bool {
        let (found, count) = relatedNames.find(value)
        guard !found && count < Self.relatedCap else { return false }
        relatedNames.append(value)
        return true
    }

    mutating func merge(_ other: ScopeStats) {
        // Optional min and max without an array each: this runs for every value of every merged piece.
        func least(_ a: Int64?, _ b: Int64?) -> Int64? {
            guard let a else { return b }
            guard let b else { return a }
            return min(a, b)
        }
        func most(_ a: Int64?, _ b: Int64?) -> Int64? {
            guard let a else { return b }
            guard let b else { return a }
            return max(a, b)
        }
        let newLastSuccess = most(lastSuccess, other.lastSuccess)
        func afterPart(_ stats: ScopeStats) -> (first: Int64?, count: Int) {
            guard let cutoff = newLastSuccess else {
                return (stats.firstFailure, stats.failed)
            }
            if stats.lastSuccess == newLastSuccess || stats.lastSuccess.map({ $0 >= cutoff }) == true {
                return (stats.firstFailureAfterSuccess, stats.failuresAfterSuccess)
            }
            // The other side's failures after its own last success; those before the new cutoff drop out.
            if let first = stats.firstFailure, first > cutoff { return (first, stats.failed) }
            if let after = stats.firstFailureAfterSuccess, after > cutoff {
                return (after, stats.failuresAfterSuccess)
            }
            if let last = stats.lastFailure, last > cutoff { return (last, 1) }
            return (nil, 0)
        }
        let mine = afterPart(self)
        let theirs = afterPart(other)
        requests += other.requests
        byCategory.add(other.byCategory)
        first = least(first, other.first)
        last = most(last, other.last)
        firstFailure = least(firstFailure, other.firstFailure)
        lastFailure = most(lastFailure, other.lastFailure)
        lastSuccess = newLastSuccess
        firstFailureAfterSuccess = least(mine.first, theirs.first)
        failuresAfterSuccess = mine.count + theirs.count
        if hint == nil { hint = other.hint }
        // Equal lists (an org's keys, the same in every piece) add nothing: skip the quadratic look-ups.
        // A full list takes no more: skip its look-ups too (most orgs' lists are full after a piece or two).
        if !other.relatedNames.isEmpty && relatedNames != other.relatedNames && relatedNames.count < Self.relatedCap {
            var added = false
            other.relatedNames.forEach { if relate($0) { added = true } }
            // A builder's summary lists related values sorted; keep merged ones so, or the report of a merge
            // differs from a single run's in order alone (the values kept past the cap may still differ).
            if added { related = related.sorted() }
        }
        for (window, count) in other.successWindows { successWindows[window, default: 0] += count }
        for (host, outcome) in other.hostOutcomes {
            if hostOutcomes[host] != nil || hostOutcomes.count < Self.hostCap {
                hostOutcomes[host, default: HostOutcome()].ok += outcome.ok
                hostOutcomes[host, default: HostOutcome()].failed += outcome.failed
            }
        }
    }
}

/// Failures of one category and cause within one scope: the evidence an incident is built from.
public struct GroupStats: Codable, Sendable, Equatable {
    /// The category.
    public var category: Category
    /// The cause.
    public var cause: Cause
    /// The scope's dimension: `all`, `key`, `org`, `model`, `endpoint`, `host`.
    public var dimension: String
    /// The scope's value (`""` for `all`).
    public var value: String
    /// Failures.
    public var count = 0
    /// First failure.
    public var first: Int64 = .max
    /// Last failure.
    public var last: Int64 = .min
    /// Failures per status, code, type, user agent and evidence kind: the five tables below, packed.
    var tallies = GroupTallies()
    /// Failures per window start, in the summary's window.
    public var windows = GroupWindows()
    /// The first and last few request IDs, packed.
    var requestIDs = RequestIDSamples()
    /// The first error message (redacted on output), with its time.
    public var message: String?
    /// When `message` was seen.
    public var messageTime: Int64?

    /// Failures per status.
    public var byStatus: [Int: Int] {
        get { tallies.statuses }
        set { tallies.statuses = newValue }
    }
    /// Failures per provider error code (or type when there is no code), bounded.
    public var errorCodes: [String: Int] {
        get { tallies[.code] }
        set { tallies[.code] = newValue }
    }
    /// Failures per user agent, bounded.
    public var userAgents: [String: Int] {
        get { tallies[.agent] }
        set { tallies[.agent] = newValue }
    }
    /// Failures per error type, bounded.
    public var errorTypes: [String: Int] {
        get { tallies[.type] }
        set { tallies[.type] = newValue }
    }
    /// Failures per evidence kind.
    public var evidence: [String: Int] {
        get { tallies[.evidence] }
        set { tallies[.evidence] = newValue }
    }
    /// The first few request IDs.
    public var firstRequestIDs: [String] {
        get { requestIDs.first }
        set { requestIDs = RequestIDSamples(first: newValue, last: requestIDs.last) }
    }
    /// The last few request IDs.
    public var lastRequestIDs: [String] {
        get { requestIDs.last }
        set { requestIDs = RequestIDSamples(first: requestIDs.first, last: newValue) }
    }

    static let sampleCap = 3
    static let mapCap = 12
    static let messageCap = 400

    init(category: Category, cause: Cause, dimension: String, value: String) {
        self.category = category
        self.cause = cause
        self.dimension = dimension
        self.value = value
    }

    /// The key used in `Summary.groups`.
    static func key(_ category: Category, _ cause: Cause, _ dimension: String, _ value: String) -> String {
        "\(category.rawValue)/\(cause.rawValue)/\(dimension)/\(value)"
    }

    mutating func addRequestID(_ id: String) {
        var id = id
        id.withUTF8 { requestIDs.add(UnsafeRawBufferPointer($0), cap: Self.sampleCap) }
    }

    mutating func merge(_ other: GroupStats) {
        count += other.count
        // The first samples come from the side that began first; the last from the side that ended last. Ordering
        // both by `first` alone was wrong when one side's range holds the other's (merging shards 3+1, then 2).
        requestIDs.merge(
            other.requestIDs, otherBeganFirst: other.first < first, otherEndedFirst: other.last < last,
            cap: Self.sampleCap)
        if let otherTime = other.messageTime, messageTime.map({ otherTime < $0 }) ?? true {
            message = other.message
            messageTime = otherTime
        }
        first = min(first, other.first)
        last = max(last, other.last)
        tallies.merge(other.tallies, cap: Self.mapCap)
        windows.merge(other.windows)
    }
}

extension GroupStats {
    private enum CodingKeys: String, CodingKey {
        case category, cause, dimension, value, count, first, last, byStatus, errorCodes, windows
        case firstRequestIDs, lastRequestIDs, message, messageTime, userAgents, errorTypes, evidence
    }

    /// Decodes the form `encode(to:)` writes: every table and sample list as its own field.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        category = try container.decode(Category.self, forKey: .category)
        cause = try container.decode(Cause.self, forKey: .cause)
        dimension = try container.decode(String.self, forKey: .dimension)
        value = try container.decode(String.self, forKey: .value)
        count = try container.decode(Int.self, forKey: .count)
        first = try container.decode(Int64.self, forKey: .first)
        last = try container.decode(Int64.self, forKey: .last)
        byStatus = try container.decode([Int: Int].self, forKey: .byStatus)
        errorCodes = try container.decode([String: Int].self, forKey: .errorCodes)
        windows = try container.decode(GroupWindows.self, forKey: .windows)
        requestIDs = RequestIDSamples(
            first: try container.decode([String].self, forKey: .firstRequestIDs),
            last: try container.decode([String].self, forKey: .lastRequestIDs))
        message = try container.decodeIfPresent(String.self, forKey: .message)
        messageTime = try container.decodeIfPresent(Int64.self, forKey: .messageTime)
        userAgents = try container.decode([String: Int].self, forKey: .userAgents)
        errorTypes = try container.decode([String: Int].self, forKey: .errorTypes)
        evidence = try container.decode([String: Int].self, forKey: .evidence)
    }

    /// Encodes as the synthesized form would, with `windows` in order.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(category, forKey: .category)
        try container.encode(cause, forKey: .cause)
        try container.encode(dimension, forKey: .dimension)
        try container.encode(value, forKey: .value)
        try container.encode(count, forKey: .count)
        try container.encode(first, forKey: .first)
        try container.encode(last, forKey: .last)
        try container.encode(byStatus, forKey: .byStatus)
        try container.encode(errorCodes, forKey: .errorCodes)
        try container.encode(windows, forKey: .windows)
        try container.encode(firstRequestIDs, forKey: .firstRequestIDs)
        try container.encode(lastRequestIDs, forKey: .lastRequestIDs)
        try container.encodeIfPresent(message, forKey: .message)
        try container.encodeIfPresent(messageTime, forKey: .messageTime)
        try container.encode(userAgents, forKey: .userAgents)
        try container.encode(errorTypes, forKey: .errorTypes)
        try container.encode(evidence, forKey: .evidence)
    }
}

/// Failures of a group within one window, with the first and last failure's time.
///
/// There is one per group per window, so it holds small arrays rather than dictionaries: a window
/// rarely sees more than two statuses or codes.
public struct WindowStat: Codable, Sendable, Equatable {
    /// A count of one value.
    public struct Tally<Value: Codable & Sendable & Equatable & Comparable>: Codable, Sendable, Equatable {
        /// The value counted.
        public var value: Value
        /// How often.
        public var count: Int
    }

    /// Failures.
    public var count = 0
    /// The first failure.
    public var first: Int64 = .max
    /// The last failure.
    public var last: Int64 = .min
    // The first status and code are kept inline: nearly every window has one of each, and an array for each
    // made two heap blocks per window, for up to 50,000 windows per summary and per piece.
    private var firstStatus = Int.min
    private var firstStatusCount = 0
    private var otherStatuses: [Tally<Int>] = []
    private var firstCode: String?
    private var firstCodeCount = 0
    private var otherCodes: [Tally<String>] = []

    /// Failures per status, so an episode's evidence covers only its own windows, in the order first seen.
    public var statuses: [Tally<Int>] {
        get {
            firstStatus == .min ? [] : [Tally(value: firstStatus, count: firstStatusCount)] + otherStatuses
        }
        set {
            firstStatus = newValue.first?.value ?? .min
            firstStatusCount = newValue.first?.count ?? 0
            otherStatuses = Array(newValue.dropFirst())
        }
    }

    /// Failures per error code, the first few codes only, in the order first seen.
    public var codes: [Tally<String>] {
        get { firstCode.map { [Tally(value: $0, count: firstCodeCount)] + otherCodes } ?? [] }
        set {
            firstCode = newValue.first?.value
            firstCodeCount = newValue.first?.count ?? 0
            otherCodes = Array(newValue.dropFirst())
        }
    }

    static let codeCap = 4

    /// An empty window.
    public init() {}

    /// A window whose failures all have `status` (or none has a status) and at most one `code`.
    init(count: Int, first: Int64, last: Int64, status: Int?, code: String?, codeCount: Int) {
        self.count = count
        self.first = first
        self.last = last
        if let status {
            firstStatus = status
            firstStatusCount = count
        }
        if let code {
            firstCode = code
            firstCodeCount = codeCount
        }
    }

    /// The window's one status and one code, when it holds no more than these and the status covers every
    /// failure: what `init(count:first:last:status:code:codeCount:)` makes back into this same value.
    var single: (status: Int?, code: String?, codeCount: Int)? {
        guard otherStatuses.isEmpty && otherCodes.isEmpty else { return nil }
        guard firstStatus == .min ? firstStatusCount == 0 : firstStatusCount == count else { return nil }
        guard firstCode != nil || firstCodeCount == 0 else { return nil }
        return (firstStatus == .min ? nil : firstStatus, firstCode, firstCodeCount)
    }

    private enum CodingKeys: String, CodingKey {
        case count, first, last, statuses, codes
    }

    /// Decodes the form `encode(to:)` writes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        count = try container.decode(Int.self, forKey: .count)
        first = try container.decode(Int64.self, forKey: .first)
        last = try container.decode(Int64.self, forKey: .last)
        statuses = try container.decode([Tally<Int>].self, forKey: .statuses)
        codes = try container.decode([Tally<String>].self, forKey: .codes)
    }

    /// Encodes the tallies as lists, as they always were.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(count, forKey: .count)
        try container.encode(first, forKey: .first)
        try container.encode(last, forKey: .last)
        try container.encode(statuses, forKey: .statuses)
        try container.encode(codes, forKey: .codes)
    }

    mutating func add(_ time: Int64, status: Int, code: String?) {
        count += 1
        first = min(first, time)
        last = max(last, time)
        bump(status: status, by: 1)
        if let code { bump(code: code, by: 1) }
    }

    private mutating func bump(status: Int, by count: Int) {
        if firstStatus == status {
            firstStatusCount += count
        } else if firstStatus == .min {
            firstStatus = status
            firstStatusCount = count
        } else {
            Self.bump(&otherStatuses, status, by: count, cap: .max)
        }
    }

    private mutating func bump(code: String, by count: Int) {
        if firstCode == code {
            firstCodeCount += count
        } else if firstCode == nil {
            firstCode = code
            firstCodeCount = count
        } else {
            Self.bump(&otherCodes, code, by: count, cap: Self.codeCap - 1)
        }
    }

    private static func bump<Value>(_ tallies: inout [Tally<Value>], _ value: Value, by count: Int, cap: Int) {
        if let index = tallies.firstIndex(where: { $0.value == value }) {
            tallies[index].count += count
        } else if tallies.count < cap {
            tallies.append(Tally(value: value, count: count))
        }
    }

    mutating func merge(_ other: WindowStat) {
        count += other.count
        first = min(first, other.first)
        last = max(last, other.last)
        if other.firstStatus != .min { bump(status: other.firstStatus, by: other.firstStatusCount) }
        for tally in other.otherStatuses { bump(status: tally.value, by: tally.count) }
        for tally in other.codes.sorted(by: { $0.value < $1.value }) { bump(code: tally.value, by: tally.count) }
    }
}

/// Retry chains: attempts that share a request ID.
public struct RetryStats: Codable, Sendable, Equatable {
    /// Distinct request IDs seen.
    public var requestIDs = 0
    /// Request IDs with more than one attempt.
    public var retried = 0
    /// The most attempts of one request ID.
    public var maxAttempts = 0
    /// Retried request IDs whose earlier attempt failed in a way retrying cannot fix.
    public var retriedNonTransient = 0
    /// Retried request IDs where an attempt came sooner than its `retry-after`, or without a growing gap.
    public var retriedWithoutBackoff = 0
    /// Retried request IDs whose last attempt succeeded.
    public var succeededAfterRetry = 0
    /// Retried request IDs whose last attempt failed.
    public var gaveUp = 0
    /// Request IDs forgotten to keep memory bounded (their later attempts count as new IDs).
    public var evicted = 0

    mutating func merge(_ other: RetryStats) {
        requestIDs += other.requestIDs
        retried += other.retried
        maxAttempts = max(maxAttempts, other.maxAttempts)
        retriedNonTransient += other.retriedNonTransient
        retriedWithoutBackoff += other.retriedWithoutBackoff
        succeededAfterRetry += other.succeededAfterRetry
        gaveUp += other.gaveUp
        evicted += other.evicted
    }
}

/// What was read of one input, and how the read ended.
public struct InputStats: Codable, Sendable, Equatable {
    /// The input's name as the user gave it.
    public var name: String
    /// The format used (`jsonl`, `combined`, ...).
    public var format = "unknown"
    /// Why that format, when it was sniffed.
    public var formatReason: String?
    /// `none` or `gzip`.
    public var compression = "none"
    /// Raw bytes read (compressed bytes for gzip).
    public var bytes: Int64 = 0
    /// Bytes after decompression.
    public var decodedBytes: Int64 = 0
    /// Lines read.
    public var lines = 0
    /// Lines that gave a record.
    public var records = 0
    /// Lines skipped.
    public var skipped = 0
    /// Lines that continued a JSON object begun on an earlier line (pretty-printed objects, arrays of them):
    /// neither records nor skipped, so `lines` is `records + skipped + joinedLines` when each line holds at
    /// most one object.
    public var joinedLines = 0
    /// Skipped lines per reason.
    public var skippedByReason: [String: Int] = [:]
    /// The first few skipped lines.
    public var skippedExamples: [SkippedLine] = []
    /// Records whose time had no zone.
    public var timeAssumedUTC = 0
    /// Whether the input was read to its end.
    public var complete = true
    /// Why it was not.
    public var error: String?
    /// The error's code.
    public var errorCode: String?
    /// The error's byte offset.
    public var errorOffset: Int64?

    /// One skipped line.
    public struct SkippedLine: Codable, Sendable, Equatable {
        /// The line number.
        public var line: Int
        /// Why it was skipped.
        public var reason: String
    }

    static let exampleCap = 5

    /// Stats for an input named `name`.
    public init(name: String) {
        self.name = name
    }

    private enum CodingKeys: String, CodingKey {
        case name, format, formatReason, compression, bytes, decodedBytes, lines, records, skipped, joinedLines
        case skippedByReason, skippedExamples, timeAssumedUTC, complete, error, errorCode, errorOffset
    }

    /// Decodes; `joinedLines` may be absent (summaries written before it existed).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        format = try container.decode(String.self, forKey: .format)
        formatReason = try container.decodeIfPresent(String.self, forKey: .formatReason)
        compression = try container.decode(String.self, forKey: .compression)
        bytes = try container.decode(Int64.self, forKey: .bytes)
        decodedBytes = try container.decode(Int64.self, forKey: .decodedBytes)
        lines = try container.decode(Int.self, forKey: .lines)
        records = try container.decode(Int.self, forKey: .records)
        skipped = try container.decode(Int.self, forKey: .skipped)
        joinedLines = try container.decodeIfPresent(Int.self, forKey: .joinedLines) ?? 0
        skippedByReason = try container.decode([String: Int].self, forKey: .skippedByReason)
        skippedExamples = try container.decode([SkippedLine].self, forKey: .skippedExamples)
        timeAssumedUTC = try container.decode(Int.self, forKey: .timeAssumedUTC)
        complete = try container.decode(Bool.self, forKey: .complete)
        error = try container.decodeIfPresent(String.self, forKey: .error)
        errorCode = try container.decodeIfPresent(String.self, forKey: .errorCode)
        errorOffset = try container.decodeIfPresent(Int64.self, forKey: .errorOffset)
    }

    /// The statistics of this piece of an input followed by the next piece.
    func appending(_ next: InputStats) -> InputStats {
        var combined = self
        for example in next.skippedExamples where combined.skippedExamples.count < Self.exampleCap {
            combined.skippedExamples.append(SkippedLine(line: example.line + lines, reason: example.reason))
        }
        combined.bytes += next.bytes
        combined.decodedBytes += next.decodedBytes
        combined.lines += next.lines
        combined.records += next.records
        combined.skipped += next.skipped
        combined.joinedLines += next.joinedLines
        for (reason, count) in next.skippedByReason { combined.skippedByReason[reason, default: 0] += count }
        combined.timeAssumedUTC += next.timeAssumedUTC
        if combined.complete && !next.complete {
            combined.complete = false
            combined.error = next.error
            combined.errorCode = next.errorCode
            combined.errorOffset = next.errorOffset
        }
        return combined
    }

    mutating func skip(_ reason: SkipReason, line: Int) {
        skipped += 1
        skippedByReason[reason.rawValue, default: 0] += 1
        if skippedExamples.count < Self.exampleCap {
            skippedExamples.append(SkippedLine(line: line, reason: reason.rawValue))
        }
    }
}
