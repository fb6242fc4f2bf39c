/// One row of the classification table: when every condition holds, the line gets the category and cause.
///
/// Rules are tried stage by stage (`Stage`), and within a stage in table order (`ClassificationRules.all`),
/// so a more specific row must come before a more general one in its provider's file.
struct Rule: Sendable {
    /// When a rule is tried, in the order of DOMAIN.md section 10.
    enum Stage: Int, Sendable, Comparable, CaseIterable {
        /// An exact error code, type, reason or quota id, possibly refined by a phrase.
        case code
        /// A provider's sentence, for bodies with no code or a generic one.
        case message
        /// A generic error class (`invalid_request_error`, `PERMISSION_DENIED`, a gateway's wrapper class)
        /// that a message would sharpen, so it is tried only after the messages.
        case broad
        /// The status or a proxy's flag alone.
        case status

        static func < (lhs: Stage, rhs: Stage) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// A test on one piece of a line's evidence. Text is compared ASCII case-insensitively.
    enum Condition: Sendable {
        /// The error code, type or reason equals this token, or the message quotes it (`'code': 'x'`,
        /// `"code":"x"`), as a gateway's wrapped provider body does. Log formats disagree on which field
        /// holds which, so all three fields are searched.
        case code(String)
        /// The HTTP status is one of these.
        case status([Int])
        /// The HTTP status is in this range.
        case statusRange(ClosedRange<Int>)
        /// The message contains this phrase.
        case phrase(String)
        /// One quota id (Gemini `QuotaFailure.violations[].quotaId`) contains all of these parts.
        case quota([String])
        /// Envoy's response flags include this flag.
        case flag(String)
        /// The message says "retry after N seconds" (or the `retry-after` header says so) with N at least this.
        case retryAfterAtLeast(seconds: Int)
        /// The upstream never answered (ALB `-1` timings).
        case unanswered
    }

    /// The category given.
    let category: Category
    /// The cause given.
    let cause: Cause
    /// The tests, all of which must hold.
    let conditions: [Condition]
    /// When the rule is tried.
    let stage: Stage

    /// A rule tried in the stage its conditions imply: a code condition makes it a code rule, a phrase a
    /// message rule, anything else a status rule; `broad` defers a generic code until after the messages.
    init(_ category: Category, _ cause: Cause, _ conditions: Condition..., broad: Bool = false) {
        precondition(Cause.allowed(in: category).contains(cause), "\(cause) is not a \(category) cause")
        self.category = category
        self.cause = cause
        self.conditions = conditions
        let hasCode = conditions.contains { if case .code = $0 { true } else { false } }
        let hasPhrase = conditions.contains { if case .phrase = $0 { true } else { false } }
        if broad {
            // The classifier skips the broad stage for a line with neither a code nor a message.
            precondition(hasCode || hasPhrase, "a broad rule needs a code or a phrase")
            stage = .broad
        } else if hasCode {
            stage = .code
        } else if hasPhrase {
            stage = .message
        } else {
            stage = .status
        }
    }

    /// What a match of this rule rests on.
    var evidence: Evidence {
        if conditions.contains(where: { if case .code = $0 { true } else { false } }) { return .code }
        if conditions.contains(where: { if case .phrase = $0 { true } else { false } }) { return .message }
        return .statusOnly
    }

    /// A quota id containing all of `parts`.
    static func quota(_ parts: String...) -> Condition { .quota(parts) }
}

/// The classification table, one file per provider (`ClassificationRules+OpenAI.swift`, ...).
///
/// To add a rule: put it in its provider's file, above any more general rule it must beat, with a comment
/// quoting the real error it came from and where that was seen; then add the example to the provider's test
/// table under Tests/FaultlineKitTests/Classify.
enum ClassificationRules {
    /// Every rule, in the order they are tried within a stage.
    ///
    /// LiteLLM's own codes first (its budgets are not a provider's); Gemini before OpenAI, because Gemini
    /// shares OpenAI's "You exceeded your current quota" sentence with another meaning (DOMAIN.md §0.4);
    /// the edge proxies last, as they know least.
    static let all: [Rule] = liteLLM + gemini + azure + anthropic + openAI + edge
}
