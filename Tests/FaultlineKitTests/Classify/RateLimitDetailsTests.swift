import FaultlineKit
import Testing

/// The numbers parsed out of rate-limit messages (DOMAIN.md §2, §3, §4).
@Suite("Rate-limit details")
struct RateLimitDetailsTests {
    static let rows: [(String, RateLimitDetails?)] = [
        (
            "Rate limit reached for gpt-4o in organization org-FAKE on tokens per min (TPM): Limit 30000, Used 29937, "
                + "Requested 385. Please try again in 644ms.",
            RateLimitDetails(limit: 30000, used: 29937, requested: 385, unit: .tokens, retryAfterMillis: 644)
        ),
        (
            "Rate limit reached for gpt-4o in organization org-FAKE on requests per min (RPM): Limit 500, Used 500, "
                + "Requested 1. Please try again in 1.5s.",
            RateLimitDetails(limit: 500, used: 500, requested: 1, unit: .requests, retryAfterMillis: 1500)
        ),
        (
            "Rate limit reached for default-gpt-4 in organization org-FAKE on tokens per min. Limit: 10000 / min. "
                + "Please try again in 6m0s.",
            RateLimitDetails(limit: 10000, unit: .tokens, retryAfterMillis: 360_000)
        ),
        (
            "Request too large for gpt-4o in organization org-FAKE on tokens per min (TPM): Limit 30000, Requested "
                + "31538. The input or output tokens must be reduced in order to run successfully.",
            RateLimitDetails(limit: 30000, requested: 31538, unit: .tokens)
        ),
        (
            "This request would exceed the rate limit for your organization (00000000-0000-0000-0000-000000000000) "
                + "of 40,000 input tokens per minute. For details, refer to: https://docs.anthropic.com/.",
            RateLimitDetails(limit: 40000, unit: .tokens)
        ),
        (
            "This request would exceed your organization's rate limit of 30,000 input tokens per minute (org: "
                + "00000000-0000-0000-0000-000000000000, model: claude-sonnet-4-6).",
            RateLimitDetails(limit: 30000, unit: .tokens)
        ),
        (
            "Your requests to gpt-5.1 for gpt-5.1 in East US 2 have exceeded the token rate limit for your current "
                + "AIServices S0 pricing tier. Please retry after 60 seconds.",
            RateLimitDetails(retryAfterMillis: 60000)
        ),
        ("Rate limited", nil),
        ("", nil),
    ]

    @Test("parses", arguments: rows)
    func parses(message: String, expected: RateLimitDetails?) {
        #expect(withBytes(message) { Classifier.rateLimitDetails($0) } == expected)
    }
}
