/// What a field of an access-log line gives the record.
enum AccessLogFieldKind: UInt8, Sendable {
    /// Read past and forgotten.
    case skip
    /// No bytes at all: carries a literal that follows an optional end of line.
    case empty
    case timeLocal
    case timeISO8601
    case timeMsec
    case status
    /// `"GET /path?x HTTP/1.1"`: method, target and endpoint.
    case request
    case method
    /// A request target with its query string: url, endpoint and `key=`.
    case requestURI
    /// A path without a query string.
    case uri
    /// A query string alone, searched for `key=`.
    case query
    case requestID
    case userAgent
    case host
    case org
    case project
    /// `Authorization`: the key after its scheme word.
    case authorization
    /// A header that holds the key itself (`x-api-key`).
    case apiKey
    case upstreamStatus
    case latencySeconds
    case latencyMillis
    case responseFlags
    case errorCode
    /// ALB request/target/response processing time in seconds, `-1` when the target never answered.
    case albProcessingTime
}

/// How a field's end is found.
enum AccessLogFieldShape: UInt8, Sendable {
    /// Ends where the following literal first appears (and the field after it looks right).
    case plain
    /// Inside quotes: a quote behind an odd number of backslashes is part of the value.
    case quoted
    /// A comma list (`502, 502`): a space right after a comma does not end it.
    case list
}

/// What the first byte of a field must look like; used to reject a false end of the field before it.
enum AccessLogLookahead: UInt8, Sendable {
    case any
    case digitOrDash
    case numberOrDash
    case hexOrDash

    @inline(__always)
    func accepts(_ byte: UInt8) -> Bool {
        switch self {
        case .any:
            return true
        case .digitOrDash:
            return byte &- UInt8(ascii: "0") < 10 || byte == UInt8(ascii: "-")
        case .numberOrDash:
            return byte &- UInt8(ascii: "0") < 10 || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        case .hexOrDash:
            return byte &- UInt8(ascii: "0") < 10 || (byte | 0x20) &- UInt8(ascii: "a") < 6
                || byte == UInt8(ascii: "-")
        }
    }
}

/// How the walk finds where a step's field ends; fixed by the step's place in the format.
enum AccessLogFieldEnd: UInt8, Sendable {
    /// Searched for: the first place the literal follows and the next field looks right.
    case search
    /// A zero-width step: its literal must be right here.
    case empty
    /// No literal after the field: it runs to the end of the line (or the next space when fields may trail).
    case lineEnd
    /// The last literal, which closes the line: the field runs up to it, whatever it holds.
    case closesLine
}

/// One field of a compiled format and the literal text that follows it.
///
/// Plain data (no references), so the hot loop reads steps without retain/release traffic. Everything the walk
/// asks of the step after this one is folded in here (and in the format's `follows` sets) at compile time, so a
/// field's end is found from one step.
struct AccessLogStep: Sendable {
    var kind: AccessLogFieldKind
    var shape: AccessLogFieldShape
    /// The field's own first byte test, checked by the step before it.
    var lookahead: AccessLogLookahead
    /// Whether the line may end right after this step's literal (older ALB lines).
    var mayEndAfter: Bool
    /// How the field's end is found.
    var ending: AccessLogFieldEnd = .search
    /// The literal's first byte (0 when there is none): the byte a field's end is searched for.
    var first: UInt8 = 0
    /// The literal's second byte (0 when it has none), compared before any loop over the rest: most literals
    /// longer than one byte are two or three (`" `, ` [`, `] "`).
    var second: UInt8 = 0
    /// Whether the field can end where its literal ends the line (the next step allows it, or there is none).
    var endsLine = false
    /// `first` in each byte of a word, ready to be spread over a vector for the search.
    var firstRepeated: UInt64 = 0
    /// The literal after the field, in the format's literal pool; count 0 when the field ends the line.
    var literalStart: Int
    var literalCount: Int

    init(
        kind: AccessLogFieldKind, shape: AccessLogFieldShape, lookahead: AccessLogLookahead, literalStart: Int,
        literalCount: Int, mayEndAfter: Bool
    ) {
        self.kind = kind
        self.shape = shape
        self.lookahead = lookahead
        self.literalStart = literalStart
        self.literalCount = literalCount
        self.mayEndAfter = mayEndAfter
    }

    /// Whether the step's field is read into the record at all (skipped and zero-width ones are not).
    @inline(__always)
    var isRead: Bool { kind != .skip && kind != .empty }
}
