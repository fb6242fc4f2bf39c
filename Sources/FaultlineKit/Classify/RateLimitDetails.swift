/// The numbers a rate-limit message states: the limit, what was used and requested, and when to retry.
public struct RateLimitDetails: Sendable, Equatable {
    /// What a limit counts.
    public enum Unit: String, Sendable, Equatable {
        /// Requests per minute (or per day).
        case requests
        /// Tokens per minute (or per day), input or output.
        case tokens
    }

    /// The limit, per its period (`Limit 30000`, `of 40,000 input tokens per minute`).
    public var limit: Int?
    /// How much of the limit was used (`Used 29937`).
    public var used: Int?
    /// How much the request asked for (`Requested 385`).
    public var requested: Int?
    /// What the limit counts, when the message says.
    public var unit: Unit?
    /// The wait the message asks for (`Please try again in 644ms`, `Please retry after 60 seconds`).
    public var retryAfterMillis: Int64?

    /// Details with every value given.
    public init(
        limit: Int? = nil,
        used: Int? = nil,
        requested: Int? = nil,
        unit: Unit? = nil,
        retryAfterMillis: Int64? = nil
    ) {
        self.limit = limit
        self.used = used
        self.requested = requested
        self.unit = unit
        self.retryAfterMillis = retryAfterMillis
    }
}

extension Classifier {
    /// The numbers in an OpenAI, Anthropic or Azure rate-limit message, or `nil` when it states none.
    ///
    /// OpenAI: "… on tokens per min (TPM): Limit 30000, Used 29937, Requested 385. Please try again in 644ms."
    /// (2023: "… on tokens per min. Limit: 10000 / min."). Anthropic: "… of 40,000 input tokens per minute".
    /// Azure: "… Please retry after 60 seconds."
    public static func rateLimitDetails(_ message: UnsafeRawBufferPointer) -> RateLimitDetails? {
        let text = ByteSearch.lowered(UnsafeRawBufferPointer(rebasing: message.prefix(LineFacts.messageLimit)))
        return text.withUnsafeBytes { text -> RateLimitDetails? in
            var details = RateLimitDetails()
            if ByteSearch.contains(text, RateLimitWords.tokensPer) {
                details.unit = .tokens
            } else if ByteSearch.contains(text, RateLimitWords.requestsPer) {
                details.unit = .requests
            }
            details.limit = RateLimitWords.number(after: RateLimitWords.limit, in: text)
            details.used = RateLimitWords.number(after: RateLimitWords.used, in: text)
            details.requested = RateLimitWords.number(after: RateLimitWords.requested, in: text)
            if details.limit == nil { details.limit = RateLimitWords.anthropicLimit(in: text) }
            if let start = ByteSearch.firstIndex(of: RateLimitWords.tryAgainIn, in: text) {
                details.retryAfterMillis = RateLimitWords.duration(
                    in: text, at: start + RateLimitWords.tryAgainIn.count)
            } else if let seconds = LineFacts.retryAfterSeconds(text), seconds <= Int64.max / 1000 {
                // More seconds than milliseconds fit in Int64 is no delay worth stating (and would trap).
                details.retryAfterMillis = Int64(seconds) * 1000
            }
            let found =
                details.limit != nil || details.used != nil || details.requested != nil
                || details.retryAfterMillis != nil
            return found ? details : nil
        }
    }
}

/// The words rate-limit messages put before their numbers, lower case.
enum RateLimitWords {
    static let tokensPer = Array("tokens per".utf8)
    static let requestsPer = Array("requests per".utf8)
    static let limit = Array("limit".utf8)
    static let used = Array("used".utf8)
    static let requested = Array("requested".utf8)
    static let tryAgainIn = Array("try again in ".utf8)
    static let of = Array(" of ".utf8)

    /// The number after the first `word` that is followed (past spaces and a colon) by a digit.
    static func number(after word: [UInt8], in text: UnsafeRawBufferPointer) -> Int? {
        var from = 0
        while let found = ByteSearch.firstIndex(of: word, in: text, from: from) {
            var index = found + word.count
            while index < text.count && (text[index] == 0x20 || text[index] == 0x3a) { index += 1 }
            if let number = ByteSearch.number(in: text, at: index) { return number.value }
            from = found + 1
        }
        return nil
    }

    /// Anthropic's "… of 40,000 input tokens per minute": the number after an " of " that a unit follows.
    static func anthropicLimit(in text: UnsafeRawBufferPointer) -> Int? {
        var from = 0
        while let found = ByteSearch.firstIndex(of: of, in: text, from: from) {
            if let number = ByteSearch.number(in: text, at: found + of.count) {
                let rest = UnsafeRawBufferPointer(rebasing: text[number.end..<min(text.count, number.end + 24)])
                if ByteSearch.contains(rest, tokensPer) || ByteSearch.contains(rest, requestsPer) {
                    return number.value
                }
            }
            from = found + 1
        }
        return nil
    }

    /// A Go-style duration (`644ms`, `1.5s`, `6m0s`, `11m32.334s`, `20s`) in milliseconds.
    static func duration(in text: UnsafeRawBufferPointer, at start: Int) -> Int64? {
        var index = start
        var total: Int64 = 0
        var parts = 0
        while index < text.count && ByteSearch.isDigit(text[index]) && parts < 4 {
            var whole: Int64 = 0
            // Digits past 2^30 of a unit are read but not counted, so a hostile run cannot overflow.
            while index < text.count && ByteSearch.isDigit(text[index]) {
                if whole < 1 << 30 { whole = whole * 10 + Int64(text[index] - 0x30) }
                index += 1
            }
            // Thousandths of the unit, from up to three decimals.
            var thousandths: Int64 = 0
            if index < text.count && text[index] == 0x2e {
                index += 1
                var scale: Int64 = 100
                while index < text.count && ByteSearch.isDigit(text[index]) {
                    thousandths += Int64(text[index] - 0x30) * scale
                    scale /= 10
                    index += 1
                }
            }
            let unit: Int64
            if index + 1 < text.count && text[index] == 0x6d && text[index + 1] == 0x73 {
                unit = 1
                index += 2
            } else if index < text.count && text[index] == 0x73 {
                unit = 1000
                index += 1
            } else if index < text.count && text[index] == 0x6d {
                unit = 60_000
                index += 1
            } else if index < text.count && text[index] == 0x68 {
                unit = 3_600_000
                index += 1
            } else {
                break
            }
            total += whole * unit + thousandths * unit / 1000
            parts += 1
        }
        return parts > 0 ? total : nil
    }
}
