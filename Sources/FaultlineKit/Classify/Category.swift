/// What kind of outcome a request had; every request falls in exactly one (REPORT.md).
public enum Category: String, CaseIterable, Sendable, Codable, Comparable {
    /// Status below 400.
    case success
    /// The key, org or account was refused.
    case auth
    /// Too many requests or tokens for now; waiting helps.
    case rateLimit = "rate_limit"
    /// Quota, credit or spend exhausted; waiting does not help.
    case billing
    /// The provider or a proxy in front of it failed.
    case upstream
    /// Any other failure: bad request, not found, client closed.
    case client

    /// The categories that are failures, in report order.
    public static let failures: [Category] = [.auth, .rateLimit, .billing, .upstream, .client]

    /// Orders categories as REPORT.md lists them.
    public static func < (lhs: Category, rhs: Category) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Why a request failed, within its category: the closed list of REPORT.md.
public enum Cause: String, CaseIterable, Sendable, Codable, Comparable {
    /// No cause: the request succeeded.
    case none = "none"
    // auth
    case missingKey = "missing_key"
    case placeholderKey = "placeholder_key"
    case malformedKey = "malformed_key"
    case invalidKey = "invalid_key"
    case revokedKey = "revoked_key"
    case orgMismatch = "org_mismatch"
    case noOrganization = "no_organization"
    case accountDeactivated = "account_deactivated"
    case invalidIssuer = "invalid_issuer"
    case ipNotAuthorized = "ip_not_authorized"
    case permissionDenied = "permission_denied"
    case regionUnsupported = "region_unsupported"
    case leakedKey = "leaked_key"
    // rate_limit
    case requestsLimit = "requests_limit"
    case tokensLimit = "tokens_limit"
    case requestTooLarge = "request_too_large"
    case slowDown = "slow_down"
    // billing
    case quotaExhausted = "quota_exhausted"
    case creditExhausted = "credit_exhausted"
    case spendLimit = "spend_limit"
    case billingHardLimit = "billing_hard_limit"
    case paymentRequired = "payment_required"
    case budgetExceeded = "budget_exceeded"
    // upstream
    case serverError = "server_error"
    case badGateway = "bad_gateway"
    case overloaded = "overloaded"
    case gatewayTimeout = "gateway_timeout"
    case connectionFailure = "connection_failure"
    // client
    case badRequest = "bad_request"
    case notFound = "not_found"
    case contextLength = "context_length"
    case clientClosed = "client_closed"
    /// The evidence does not say.
    case unknown = "unknown"

    /// The causes REPORT.md allows within a category.
    public static func allowed(in category: Category) -> [Cause] {
        switch category {
        case .success: [.none]
        case .auth:
            [
                .missingKey, .placeholderKey, .malformedKey, .invalidKey, .revokedKey, .orgMismatch, .noOrganization,
                .accountDeactivated, .invalidIssuer, .ipNotAuthorized, .permissionDenied, .regionUnsupported,
                .leakedKey, .unknown,
            ]
        case .rateLimit: [.requestsLimit, .tokensLimit, .requestTooLarge, .slowDown, .unknown]
        case .billing:
            [
                .quotaExhausted, .creditExhausted, .spendLimit, .billingHardLimit, .paymentRequired, .budgetExceeded,
                .unknown,
            ]
        case .upstream: [.serverError, .badGateway, .overloaded, .gatewayTimeout, .connectionFailure, .unknown]
        case .client: [.badRequest, .notFound, .contextLength, .clientClosed, .unknown]
        }
    }

    /// Orders causes by name.
    public static func < (lhs: Cause, rhs: Cause) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// How strong the evidence for a classification was.
public enum Evidence: String, Sendable, Codable, Comparable, CaseIterable {
    /// An exact error code or type matched.
    case code
    /// A provider's message matched.
    case message
    /// The key itself shows the cause (absent, a placeholder, malformed).
    case key
    /// Only the HTTP status (or a proxy's flag) was known.
    case statusOnly = "status_only"

    /// Orders by strength, strongest first.
    public static func < (lhs: Evidence, rhs: Evidence) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A request's category and cause, and what they rest on.
public struct Classification: Sendable, Equatable {
    /// The category.
    public var category: Category
    /// The cause within the category.
    public var cause: Cause
    /// What the classification rests on.
    public var evidence: Evidence

    /// Creates a classification.
    public init(_ category: Category, _ cause: Cause, evidence: Evidence) {
        self.category = category
        self.cause = cause
        self.evidence = evidence
    }

    /// A successful request.
    public static let success = Classification(.success, .none, evidence: .statusOnly)
}
