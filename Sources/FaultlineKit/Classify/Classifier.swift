/// Gives a failed request its category and cause from the evidence in its log line.
///
/// The order is DOMAIN.md section 10: exact codes first (including provider codes quoted inside a gateway's
/// message), then the providers' sentences, then generic error classes, then the key's shape for auth
/// failures, then the status alone. The rules are the tables in `ClassificationRules+*.swift`.
public struct Classifier: Sendable {
    private let table: CompiledTable

    /// A classifier using the built-in rules.
    public init() {
        table = CompiledTable.builtIn
    }

    /// The category and cause of one request.
    public func classify(_ line: ParsedLine) -> Classification {
        let record = line.record
        // Most lines are answered and have no code field at all: nothing to read.
        if record.status.map({ $0 > 0 && $0 < 400 }) ?? false, !record[.errorCode].isPresent,
            !record[.errorType].isPresent, !record[.errorReason].isPresent
        {
            return .success
        }
        let code = Self.meaningful(line.bytes(.errorCode))
        let type = Self.meaningful(line.bytes(.errorType))
        let reason = Self.meaningful(line.bytes(.errorReason))
        let hasCode = code != nil || type != nil || reason != nil
        let answered = record.status.map { $0 > 0 && $0 < 400 } ?? false
        if answered && !hasCode { return .success }

        let facts = LineFacts(line: line, codes: [code, type, reason], table: table)
        // A success status with an error code is an error streamed after the 200 (`server_is_overloaded`
        // in an SSE event), but only a code says so; a stray message on a 200 does not.
        let stages = answered ? Self.successStages : Self.failureStages
        for stage in stages {
            guard let rule = table.first(in: stage, matching: facts) else { continue }
            return refined(rule, line: line)
        }
        if answered { return .success }
        // No status rule matched: no status at all, or one outside the known ranges.
        return Classification(.client, .unknown, evidence: .statusOnly)
    }

    /// An auth failure whose code says only that the key was refused, sharpened by the key's shape.
    private func refined(_ rule: CompiledRule, line: ParsedLine) -> Classification {
        let result = rule.classification
        guard result.category == .auth,
            result.cause == .invalidKey || (result.cause == .unknown && line.record.status == 401)
        else { return result }
        let record = line.record
        let shape = KeyInspector.inspect(
            line.bytes(.key), fieldPresent: record.keyFieldPresent, isHashed: record.keyIsHashed)
        switch shape {
        case .empty: return Classification(.auth, .missingKey, evidence: .key)
        case .placeholder: return Classification(.auth, .placeholderKey, evidence: .key)
        case .malformed: return Classification(.auth, .malformedKey, evidence: .key)
        case .absent, .wellFormed: return result
        }
    }

    /// A code field's value, or `nil` when it is empty or says null (`null`, `None`, `nil`, `undefined`, `-`).
    static func meaningful(_ bytes: UnsafeRawBufferPointer?) -> UnsafeRawBufferPointer? {
        guard let bytes else { return nil }
        let value = ByteSearch.trimmedCode(bytes)
        if value.isEmpty { return nil }
        for word in nullWords where ByteSearch.equalIgnoringCase(value, word) { return nil }
        return value
    }

    private static let nullWords: [[UInt8]] = ["-", "null", "none", "nil", "undefined"].map { Array($0.utf8) }

    private static let failureStages: [Rule.Stage] = [.code, .message, .broad, .status]
    private static let successStages: [Rule.Stage] = [.code, .broad]
}

/// A rule with its text folded to lower case and its codes numbered.
struct CompiledRule: Sendable {
    enum Condition: Sendable {
        case code(Int)
        case status([Int])
        case statusRange(ClosedRange<Int>)
        case phrase([UInt8])
        case quota([[UInt8]])
        case flag([UInt8])
        case retryAfterAtLeast(seconds: Int)
        case unanswered
    }

    let classification: Classification
    let conditions: [Condition]
    let stage: Rule.Stage
}

/// The rules ready to run: grouped by stage, codes numbered so a line's codes become a bit set.
struct CompiledTable: Sendable {
    static let builtIn = CompiledTable(ClassificationRules.all)

    /// Each code token, lower case, by number.
    let codes: [[UInt8]]
    /// Code numbers by the hash of their token, so a line's tokens are looked up without allocating.
    let codesByHash: [UInt64: [Int]]
    let stages: [Rule.Stage: [CompiledRule]]

    init(_ rules: [Rule]) {
        var codes: [[UInt8]] = []
        var numbers: [[UInt8]: Int] = [:]
        var stages: [Rule.Stage: [CompiledRule]] = [:]
        func number(_ text: String) -> Int {
            let token = ByteSearch.lowered(text)
            if let existing = numbers[token] { return existing }
            codes.append(token)
            numbers[token] = codes.count - 1
            return codes.count - 1
        }
        for rule in rules {
            let conditions = rule.conditions.map { condition -> CompiledRule.Condition in
                switch condition {
                case .code(let text): .code(number(text))
                case .status(let list): .status(list)
                case .statusRange(let range): .statusRange(range)
                case .phrase(let text): .phrase(ByteSearch.lowered(text))
                case .quota(let parts): .quota(parts.map { ByteSearch.lowered($0) })
                case .flag(let text): .flag(Array(text.utf8))
                case .retryAfterAtLeast(let seconds): .retryAfterAtLeast(seconds: seconds)
                case .unanswered: .unanswered
                }
            }
            let compiled = CompiledRule(
                classification: Classification(rule.category, rule.cause, evidence: rule.evidence),
                conditions: conditions,
                stage: rule.stage
            )
            stages[rule.stage, default: []].append(compiled)
        }
        precondition(codes.count <= CodeSet.capacity, "more codes than CodeSet holds")
        var byHash: [UInt64: [Int]] = [:]
        for (index, token) in codes.enumerated() {
            let hash = token.withUnsafeBytes { ByteSearch.hash($0) }
            byHash[hash, default: []].append(index)
        }
        self.codes = codes
        self.codesByHash = byHash
        self.stages = stages
    }

    /// The number of a code token, if any rule uses it.
    func codeNumber(_ token: UnsafeRawBufferPointer) -> Int? {
        guard let candidates = codesByHash[ByteSearch.hash(token)] else { return nil }
        for candidate in candidates {
            let expected = codes[candidate]
            guard expected.count == token.count else { continue }
            var same = true
            for index in 0..<token.count where ByteSearch.lower(token[index]) != expected[index] {
                same = false
                break
            }
            if same { return candidate }
        }
        return nil
    }

    /// The first rule of `stage` whose conditions all hold.
    func first(in stage: Rule.Stage, matching facts: LineFacts) -> CompiledRule? {
        // Every code rule needs a code, every message rule a message, every broad rule one or the other: a
        // line with neither (a bare 503) goes straight to the status rules.
        switch stage {
        case .code where facts.codes.isEmpty: return nil
        case .message where facts.message.isEmpty: return nil
        case .broad where facts.codes.isEmpty && facts.message.isEmpty: return nil
        default: break
        }
        guard let rules = stages[stage] else { return nil }
        return rules.first { rule in rule.conditions.allSatisfy { facts.holds($0) } }
    }
}

/// A set of code numbers.
struct CodeSet: Sendable {
    static let capacity = 128
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    mutating func insert(_ number: Int) {
        if number < 64 { low |= 1 << UInt64(number) } else { high |= 1 << UInt64(number - 64) }
    }

    var isEmpty: Bool { low == 0 && high == 0 }

    func contains(_ number: Int) -> Bool {
        number < 64 ? low & (1 << UInt64(number)) != 0 : high & (1 << UInt64(number - 64)) != 0
    }
}

/// What one line offers the rules, gathered once: its codes (direct and quoted in the message), its
/// message in lower case, its quota ids.
struct LineFacts {
    /// At most this many quoted tokens are read from a message: a real body quotes a few dozen, and a hostile
    /// one must not cost more.
    static let tokenLimit = 4096
    static let quotaIDLimit = 16
    static let messageLimit = 1 << 20

    let status: Int?
    var codes = CodeSet()
    let message: [UInt8]
    var quotaIDs: [ArraySlice<UInt8>] = []
    let flags: [UInt8]
    let unanswered: Bool
    let retryAfterMillis: Int64?

    init(line: ParsedLine, codes fields: [UnsafeRawBufferPointer?], table: CompiledTable) {
        let record = line.record
        status = record.status
        unanswered = record.upstreamUnanswered
        retryAfterMillis = record.retryAfterMillis
        flags = line.bytes(.responseFlags).map { Array($0) } ?? []
        // Provider sentences and wrapped bodies are short; past a mebibyte a message is not a provider's, and
        // reading all of it would only let a hostile line cost more.
        if let text = line.bytes(.errorMessage) {
            message = ByteSearch.lowered(UnsafeRawBufferPointer(rebasing: text.prefix(Self.messageLimit)))
        } else {
            message = []
        }
        for case let field? in fields {
            if let number = table.codeNumber(field) { codes.insert(number) }
        }
        if let quota = line.bytes(.quotaID) {
            quotaIDs.append(ByteSearch.lowered(quota)[...])
        }
        scanQuotedTokens(table: table)
    }

    /// Finds tokens quoted in the message, `'code': 'insufficient_quota'`, `"reason":"API_KEY_INVALID"` or
    /// `\"code\":\"x\"`, as a gateway embeds a provider's body (JSON or a Python dict's repr).
    private mutating func scanQuotedTokens(table: CompiledTable) {
        let count = message.count
        var tokens = 0
        message.withUnsafeBytes { text in
            var index = 0
            while index < count && tokens < Self.tokenLimit {
                let quote = text[index]
                guard quote == 0x22 || quote == 0x27 else {
                    index += 1
                    continue
                }
                var end = index + 1
                while end < count && Self.isTokenByte(text[end]) { end += 1 }
                var closed = end < count && text[end] == quote
                if !closed && end + 1 < count && text[end] == 0x5c && text[end + 1] == quote { closed = true }
                guard closed && end > index + 1 else {
                    index += 1
                    continue
                }
                tokens += 1
                let token = UnsafeRawBufferPointer(rebasing: text[(index + 1)..<end])
                if let number = table.codeNumber(token) { codes.insert(number) }
                // Gemini quota ids are CamelCase phrases (`GenerateRequestsPerDayPerProjectPerModel-FreeTier`).
                if token.count >= 12 && quotaIDs.count < Self.quotaIDLimit
                    && ByteSearch.contains(token, Self.per)
                {
                    quotaIDs.append(message[(index + 1)..<end])
                }
                index = end + 1
            }
        }
    }

    private static let per = Array("per".utf8)

    @inline(__always)
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        ByteSearch.isAlphanumeric(byte) || byte == 0x5f || byte == 0x2d || byte == 0x2e
    }

    /// Whether a condition holds for this line.
    func holds(_ condition: CompiledRule.Condition) -> Bool {
        switch condition {
        case .code(let number):
            return codes.contains(number)
        case .status(let list):
            guard let status else { return false }
            return list.contains(status)
        case .statusRange(let range):
            guard let status else { return false }
            return range.contains(status)
        case .phrase(let phrase):
            return ByteSearch.contains(message, phrase)
        case .quota(let parts):
            return quotaIDs.contains { id in
                id.withUnsafeBytes { bytes in parts.allSatisfy { ByteSearch.contains(bytes, $0) } }
            }
        case .flag(let flag):
            return Self.hasFlag(flags, flag)
        case .retryAfterAtLeast(let seconds):
            if let stated = Self.retryAfterSeconds(message) { return stated >= seconds }
            guard let retryAfterMillis else { return false }
            return retryAfterMillis >= Int64(seconds) * 1000
        case .unanswered:
            return unanswered
        }
    }

    /// Whether Envoy's comma-separated flags (`UF,URX`) include `flag`.
    static func hasFlag(_ flags: [UInt8], _ flag: [UInt8]) -> Bool {
        var start = 0
        while start < flags.count {
            var end = start
            while end < flags.count && flags[end] != 0x2c { end += 1 }
            var from = start
            var to = end
            while from < to && ByteSearch.isSpace(flags[from]) { from += 1 }
            while to > from && ByteSearch.isSpace(flags[to - 1]) { to -= 1 }
            if to - from == flag.count && flags[from..<to].elementsEqual(flag) { return true }
            start = end + 1
        }
        return false
    }

    private static let retryAfter = Array("retry after ".utf8)

    /// N in Azure's "Please retry after N seconds".
    static func retryAfterSeconds(_ message: [UInt8]) -> Int? {
        message.withUnsafeBytes { text in
            guard let found = ByteSearch.firstIndex(of: retryAfter, in: text) else { return nil }
            return ByteSearch.number(in: text, at: found + retryAfter.count)?.value
        }
    }
}
