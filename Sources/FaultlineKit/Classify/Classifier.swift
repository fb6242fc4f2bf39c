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

    /// Buffers one worker reuses from line to line, so classifying a failed line allocates nothing once they
    /// have grown to the longest message seen.
    public struct Scratch: Sendable {
        /// The message in lower case, then the quota field's value in lower case.
        var text: [UInt8] = []
        /// The quota ids found, as ranges of `text`.
        var quotaIDs: [Range<Int>] = []
        /// The message's byte pairs (`PairFilter`).
        var pairs = [UInt64](repeating: 0, count: PairFilter.words)

        /// Empty buffers.
        public init() {}
    }

    /// The category and cause of one request.
    public func classify(_ line: ParsedLine) -> Classification {
        var scratch = Scratch()
        return classify(line, scratch: &scratch)
    }

    /// The category and cause of one request, using `scratch` for the line's lower-cased text.
    @inline(__always)
    public func classify(_ line: ParsedLine, scratch: inout Scratch) -> Classification {
        let record = line.record
        // Most lines are answered and have no code field at all: nothing to read. Inlined so that such a line
        // does not pay for the failure path's call frame.
        if record.status.map({ $0 > 0 && $0 < 400 }) ?? false, !record[.errorCode].isPresent,
            !record[.errorType].isPresent, !record[.errorReason].isPresent
        {
            return .success
        }
        return classifyEvidence(line, scratch: &scratch)
    }

    /// The category and cause of a line that is a failure or carries an error code.
    @inline(never)
    private func classifyEvidence(_ line: ParsedLine, scratch: inout Scratch) -> Classification {
        let record = line.record
        let code = Self.meaningful(line.bytes(.errorCode))
        let type = Self.meaningful(line.bytes(.errorType))
        let reason = Self.meaningful(line.bytes(.errorReason))
        let hasCode = code != nil || type != nil || reason != nil
        let answered = record.status.map { $0 > 0 && $0 < 400 } ?? false
        if answered && !hasCode { return .success }

        // Field by field: an array of the three would be allocated for every line.
        var codes = CodeSet()
        table.insertNumber(of: code, into: &codes)
        table.insertNumber(of: type, into: &codes)
        table.insertNumber(of: reason, into: &codes)
        let found = LineFacts.withFacts(line: line, codes: codes, table: table, scratch: &scratch) {
            facts -> Classification? in
            // A success status with an error code is an error streamed after the 200 (`server_is_overloaded`
            // in an SSE event), but only a code says so; a stray message on a 200 does not.
            if let rule = table.first(in: .code, matching: facts) { return rule }
            if !answered, let rule = table.first(in: .message, matching: facts) { return rule }
            if let rule = table.first(in: .broad, matching: facts) { return rule }
            if !answered, let rule = table.first(in: .status, matching: facts) { return rule }
            return nil
        }
        if let found { return refined(found, line: line) }
        if answered { return .success }
        // No status rule matched: no status at all, or one outside the known ranges.
        return Classification(.client, .unknown, evidence: .statusOnly)
    }

    /// An auth failure whose code says only that the key was refused, sharpened by the key's shape.
    private func refined(_ result: Classification, line: ParsedLine) -> Classification {
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
}

/// A rule with its text folded to lower case and its codes numbered.
///
/// Plain values only: the rules' text lives in `CompiledTable`'s pools, so walking the rules for every
/// failed line copies no reference-counted storage.
struct CompiledRule: Sendable {
    enum Condition: Sendable {
        case code(Int)
        /// A range of `CompiledTable.statuses`.
        case status(Range<Int>)
        case statusRange(ClosedRange<Int>)
        /// A range of `CompiledTable.text`, and a sample of its byte pairs (`PairFilter.sample`).
        case phrase(Range<Int>, pairs: UInt64)
        /// A range of `CompiledTable.quotaParts`.
        case quota(Range<Int>)
        /// A range of `CompiledTable.text`.
        case flag(Range<Int>)
        case retryAfterAtLeast(seconds: Int)
        case unanswered
    }

    let classification: Classification
    /// A range of `CompiledTable.conditions`.
    let conditions: Range<Int>
    /// The codes its conditions require: most rules fail this or the pair test, both cheaper than walking the
    /// conditions.
    let requiredCodes: CodeSet
    /// The pair sample of its first phrase (`PairFilter.sample`), if it has one.
    let phrasePairs: UInt64?
}

/// The rules ready to run: grouped by stage, codes numbered so a line's codes become a bit set.
struct CompiledTable: Sendable {
    static let builtIn = CompiledTable(ClassificationRules.all)

    /// Each code token, lower case, by number.
    let codes: [[UInt8]]
    /// Code numbers by the hash of their token, so a line's tokens are looked up without allocating.
    let codesByHash: [UInt64: [Int]]
    /// Every rule, stage by stage and within a stage in table order.
    let rules: [CompiledRule]
    /// The rules of each stage, a range of `rules`, by `Rule.Stage.rawValue`.
    let stages: [Range<Int>]
    /// Every rule's conditions, rule after rule.
    let conditions: [CompiledRule.Condition]
    /// The phrases and flags (lower case), end to end.
    let text: [UInt8]
    /// The status lists, end to end.
    let statuses: [Int]
    /// The parts of each quota condition, ranges of `text`.
    let quotaParts: [Range<Int>]

    init(_ rules: [Rule]) {
        var codes: [[UInt8]] = []
        var numbers: [[UInt8]: Int] = [:]
        var compiledRules: [CompiledRule] = []
        var stages: [Range<Int>] = []
        var conditions: [CompiledRule.Condition] = []
        var text: [UInt8] = []
        var statuses: [Int] = []
        var quotaParts: [Range<Int>] = []
        func number(_ token: String) -> Int {
            let token = ByteSearch.lowered(token)
            if let existing = numbers[token] { return existing }
            codes.append(token)
            numbers[token] = codes.count - 1
            return codes.count - 1
        }
        func stored(_ bytes: [UInt8]) -> Range<Int> {
            text.append(contentsOf: bytes)
            return (text.count - bytes.count)..<text.count
        }
        for (index, stage) in Rule.Stage.allCases.enumerated() {
            precondition(stage.rawValue == index, "stages are numbered from 0 in order")
            let start = compiledRules.count
            for rule in rules where rule.stage == stage {
                let first = conditions.count
                var requiredCodes = CodeSet()
                var phrasePairs: UInt64?
                for condition in rule.conditions {
                    switch condition {
                    case .code(let token):
                        requiredCodes.insert(number(token))
                        conditions.append(.code(number(token)))
                    case .status(let list):
                        statuses.append(contentsOf: list)
                        conditions.append(.status((statuses.count - list.count)..<statuses.count))
                    case .statusRange(let range): conditions.append(.statusRange(range))
                    case .phrase(let phrase):
                        let lowered = ByteSearch.lowered(phrase)
                        let sample = PairFilter.sample(lowered)
                        if phrasePairs == nil { phrasePairs = sample }
                        conditions.append(.phrase(stored(lowered), pairs: sample))
                    case .quota(let parts):
                        quotaParts.append(contentsOf: parts.map { stored(ByteSearch.lowered($0)) })
                        conditions.append(.quota((quotaParts.count - parts.count)..<quotaParts.count))
                    case .flag(let flag): conditions.append(.flag(stored(Array(flag.utf8))))
                    case .retryAfterAtLeast(let seconds): conditions.append(.retryAfterAtLeast(seconds: seconds))
                    case .unanswered: conditions.append(.unanswered)
                    }
                }
                compiledRules.append(
                    CompiledRule(
                        classification: Classification(rule.category, rule.cause, evidence: rule.evidence),
                        conditions: first..<conditions.count, requiredCodes: requiredCodes,
                        phrasePairs: phrasePairs))
            }
            stages.append(start..<compiledRules.count)
        }
        precondition(codes.count <= CodeSet.capacity, "more codes than CodeSet holds")
        var byHash: [UInt64: [Int]] = [:]
        for (index, token) in codes.enumerated() {
            let hash = token.withUnsafeBytes { ByteSearch.hash($0) }
            byHash[hash, default: []].append(index)
        }
        self.codes = codes
        self.codesByHash = byHash
        self.rules = compiledRules
        self.stages = stages
        self.conditions = conditions
        self.text = text
        self.statuses = statuses
        self.quotaParts = quotaParts
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

    /// Adds the number of a code field's token to `codes`, if any rule uses it.
    @inline(__always)
    func insertNumber(of token: UnsafeRawBufferPointer?, into codes: inout CodeSet) {
        if let token, let number = codeNumber(token) { codes.insert(number) }
    }

    /// The classification of the first rule of `stage` whose conditions all hold.
    func first(in stage: Rule.Stage, matching facts: LineFacts) -> Classification? {
        // Every code rule needs a code, every message rule a message, every broad rule one or the other: a
        // line with neither (a bare 503) goes straight to the status rules.
        switch stage {
        case .code where facts.codes.isEmpty: return nil
        case .message where facts.message.isEmpty: return nil
        case .broad where facts.codes.isEmpty && facts.message.isEmpty: return nil
        default: break
        }
        return rules.withUnsafeBufferPointer { rules in
            conditions.withUnsafeBufferPointer { conditions in
                text.withUnsafeBytes { text in
                    for rule in rules[stages[stage.rawValue]] {
                        guard rule.requiredCodes.isSubset(of: facts.codes) else { continue }
                        if let pairs = rule.phrasePairs, !PairFilter.mayContain(facts.pairs, pairs) { continue }
                        var all = true
                        for index in rule.conditions where !holds(conditions[index], for: facts, text: text) {
                            all = false
                            break
                        }
                        if all { return rule.classification }
                    }
                    return nil
                }
            }
        }
    }

    /// Whether a condition holds for a line; `text` is the table's `text`.
    @inline(__always)
    private func holds(
        _ condition: CompiledRule.Condition, for facts: LineFacts, text: UnsafeRawBufferPointer
    )
        -> Bool
    {
        switch condition {
        case .code(let number):
            return facts.codes.contains(number)
        case .status(let list):
            guard let status = facts.status else { return false }
            for index in list where statuses[index] == status { return true }
            return false
        case .statusRange(let range):
            guard let status = facts.status else { return false }
            return range.contains(status)
        case .phrase(let phrase, let pairs):
            guard PairFilter.mayContain(facts.pairs, pairs) else { return false }
            return ByteSearch.firstIndex(of: UnsafeRawBufferPointer(rebasing: text[phrase]), in: facts.message) != nil
        case .quota(let parts):
            return facts.quotaIDs.contains { id in
                let quotaID = UnsafeRawBufferPointer(rebasing: facts.text[id])
                return parts.allSatisfy { part in
                    let needle = UnsafeRawBufferPointer(rebasing: text[quotaParts[part]])
                    return ByteSearch.firstIndex(of: needle, in: quotaID) != nil
                }
            }
        case .flag(let flag):
            return LineFacts.hasFlag(facts.flags, UnsafeRawBufferPointer(rebasing: text[flag]))
        case .retryAfterAtLeast(let seconds):
            if let stated = LineFacts.retryAfterSeconds(facts.message) { return stated >= seconds }
            guard let retryAfterMillis = facts.retryAfterMillis else { return false }
            return retryAfterMillis >= Int64(seconds) * 1000
        case .unanswered:
            return facts.unanswered
        }
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

    func isSubset(of other: CodeSet) -> Bool {
        low & ~other.low == 0 && high & ~other.high == 0
    }

    func contains(_ number: Int) -> Bool {
        number < 64 ? low & (1 << UInt64(number)) != 0 : high & (1 << UInt64(number - 64)) != 0
    }
}

/// What one line offers the rules, gathered once: its codes (direct and quoted in the message), its
/// message in lower case, its quota ids. The text is borrowed from a `Classifier.Scratch` for one call.
struct LineFacts {
    /// At most this many quoted tokens are read from a message: a real body quotes a few dozen, and a hostile
    /// one must not cost more.
    static let tokenLimit = 4096
    static let quotaIDLimit = 16
    static let messageLimit = 1 << 20

    let status: Int?
    var codes: CodeSet
    /// The message in lower case.
    let message: UnsafeRawBufferPointer
    /// The scratch text the quota ids are ranges of.
    let text: UnsafeRawBufferPointer
    let quotaIDs: UnsafeBufferPointer<Range<Int>>
    /// The message's byte pairs (`PairFilter`).
    let pairs: UnsafeBufferPointer<UInt64>
    /// Envoy's response flags, as in the line.
    let flags: UnsafeRawBufferPointer
    let unanswered: Bool
    let retryAfterMillis: Int64?

    /// Gathers a line's facts into `scratch` and calls `body` with them.
    ///
    /// `codes` holds the numbers of the line's code fields; the codes quoted in the message are added.
    static func withFacts<Result>(
        line: ParsedLine, codes fieldCodes: CodeSet, table: CompiledTable, scratch: inout Classifier.Scratch,
        _ body: (LineFacts) -> Result
    ) -> Result {
        let record = line.record
        // Provider sentences and wrapped bodies are short; past a mebibyte a message is not a provider's, and
        // reading all of it would only let a hostile line cost more.
        let message = line.bytes(.errorMessage).map { UnsafeRawBufferPointer(rebasing: $0.prefix(messageLimit)) }
        let quota = line.bytes(.quotaID)
        let messageCount = message?.count ?? 0
        let needed = messageCount + (quota?.count ?? 0)
        if scratch.text.count < needed {
            scratch.text.append(contentsOf: repeatElement(0, count: needed - scratch.text.count))
        }
        scratch.quotaIDs.removeAll(keepingCapacity: true)
        var codes = fieldCodes
        return scratch.text.withUnsafeMutableBytes { text in
            scratch.pairs.withUnsafeMutableBufferPointer { pairs in
                pairs.update(repeating: 0)
                if let message { PairFilter.lower(message, into: text, pairs: pairs) }
            }
            if let quota {
                lower(quota, into: text, at: messageCount)
                scratch.quotaIDs.append(messageCount..<needed)
            }
            let lowered = UnsafeRawBufferPointer(rebasing: text[0..<messageCount])
            scanQuotedTokens(lowered, table: table, codes: &codes, quotaIDs: &scratch.quotaIDs)
            return scratch.quotaIDs.withUnsafeBufferPointer { quotaIDs in
                scratch.pairs.withUnsafeBufferPointer { pairs in
                    body(
                        LineFacts(
                            status: record.status, codes: codes, message: lowered, text: UnsafeRawBufferPointer(text),
                            quotaIDs: quotaIDs, pairs: pairs,
                            flags: line.bytes(.responseFlags) ?? UnsafeRawBufferPointer(start: nil, count: 0),
                            unanswered: record.upstreamUnanswered, retryAfterMillis: record.retryAfterMillis))
                }
            }
        }
    }

    /// Writes `bytes` in lower case into `buffer` from `offset`.
    @inline(__always)
    private static func lower(
        _ bytes: UnsafeRawBufferPointer, into buffer: UnsafeMutableRawBufferPointer, at offset: Int
    ) {
        for index in 0..<bytes.count {
            buffer[offset + index] = ByteSearch.lower(bytes[index])
        }
    }

    /// Finds tokens quoted in the message, `'code': 'insufficient_quota'`, `"reason":"API_KEY_INVALID"` or
    /// `\"code\":\"x\"`, as a gateway embeds a provider's body (JSON or a Python dict's repr).
    private static func scanQuotedTokens(
        _ text: UnsafeRawBufferPointer, table: CompiledTable, codes: inout CodeSet, quotaIDs: inout [Range<Int>]
    ) {
        let count = text.count
        var tokens = 0
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
            if token.count >= 12 && quotaIDs.count < Self.quotaIDLimit && ByteSearch.contains(token, Self.per) {
                quotaIDs.append((index + 1)..<end)
            }
            index = end + 1
        }
    }

    private static let per = Array("per".utf8)

    @inline(__always)
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        ByteSearch.isAlphanumeric(byte) || byte == 0x5f || byte == 0x2d || byte == 0x2e
    }

    /// Whether Envoy's comma-separated flags (`UF,URX`) include `flag`.
    static func hasFlag(_ flags: UnsafeRawBufferPointer, _ flag: UnsafeRawBufferPointer) -> Bool {
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

    /// N in Azure's "Please retry after N seconds"; `message` is in lower case.
    static func retryAfterSeconds(_ message: UnsafeRawBufferPointer) -> Int? {
        guard let found = ByteSearch.firstIndex(of: retryAfter, in: message) else { return nil }
        return ByteSearch.number(in: message, at: found + retryAfter.count)?.value
    }
}

/// A set of the byte pairs in a message, hashed into 1024 bits, so that a phrase none of whose sampled pairs can
/// be in the message is ruled out with a few bit tests instead of a search.
///
/// Only a filter: a phrase that passes is still searched for, so a hash collision costs a search, never a result.
enum PairFilter {
    /// The set's size in 64-bit words.
    static let words = 16

    /// The bit of the pair `first`, `second`.
    @inline(__always)
    static func bit(_ first: UInt8, _ second: UInt8) -> Int {
        Int(truncatingIfNeeded: ((UInt32(first) << 8 | UInt32(second)) &* 0x9E37_79B1) >> 22)
    }

    /// Writes `bytes` in lower case to the start of `buffer` and adds their pairs to `pairs`.
    @inline(__always)
    static func lower(
        _ bytes: UnsafeRawBufferPointer, into buffer: UnsafeMutableRawBufferPointer,
        pairs: UnsafeMutableBufferPointer<UInt64>
    ) {
        guard !bytes.isEmpty else { return }
        var previous = ByteSearch.lower(bytes[0])
        buffer[0] = previous
        for index in 1..<bytes.count {
            let byte = ByteSearch.lower(bytes[index])
            buffer[index] = byte
            let bit = Self.bit(previous, byte)
            pairs[bit >> 6] |= 1 << UInt64(bit & 63)
            previous = byte
        }
    }

    /// Four of a phrase's pairs (first, last and two between), their bits 16 to a sample.
    static func sample(_ phrase: [UInt8]) -> UInt64 {
        precondition(phrase.count >= 2, "a phrase needs a byte pair for the filter")
        let last = phrase.count - 2
        var sample: UInt64 = 0
        for (slot, start) in [0, last / 3, last * 2 / 3, last].enumerated() {
            sample |= UInt64(bit(phrase[start], phrase[start + 1])) << UInt64(16 * slot)
        }
        return sample
    }

    /// Whether every pair of `sample` is in `pairs`.
    @inline(__always)
    static func mayContain(_ pairs: UnsafeBufferPointer<UInt64>, _ sample: UInt64) -> Bool {
        for slot in 0..<4 {
            let bit = Int(truncatingIfNeeded: (sample >> UInt64(16 * slot)) & 0xffff)
            if pairs[bit >> 6] & (1 << UInt64(bit & 63)) == 0 { return false }
        }
        return true
    }
}
