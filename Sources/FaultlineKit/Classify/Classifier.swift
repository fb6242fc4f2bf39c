/// Temporary status-only classifier; replaced by the rule table.
public struct Classifier: Sendable {
    /// A classifier.
    public init() {}

    /// The category and cause of one record.
    public func classify(_ line: ParsedLine) -> Classification {
        let status = line.record.status ?? 0
        switch status {
        case 100..<400: return .success
        case 401, 403: return Classification(.auth, .unknown, evidence: .statusOnly)
        case 429: return Classification(.rateLimit, .unknown, evidence: .statusOnly)
        case 402: return Classification(.billing, .paymentRequired, evidence: .statusOnly)
        case 500...599: return Classification(.upstream, .serverError, evidence: .statusOnly)
        default: return Classification(.client, .unknown, evidence: .statusOnly)
        }
    }
}
