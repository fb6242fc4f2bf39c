extension ClassificationRules {
    /// Google Gemini (AI Studio) and Vertex AI statuses, reasons and quota ids (DOMAIN.md §5).
    static let gemini: [Rule] = [
        // 400 INVALID_ARGUMENT / API_KEY_INVALID: "API key not valid. Please pass a valid API key." A bad Gemini
        // key is a 400, not a 401 (DOMAIN.md §0.3; cequence-io/openai-scala-client#109).
        Rule(.auth, .invalidKey, .code("api_key_invalid")),
        // 403 PERMISSION_DENIED, reason CONSUMER_SUSPENDED: "Permission denied: Consumer 'api_key:…' has been
        // suspended." (snailyp/gemini-balance#382; the reason is Google's ErrorInfo, not in DOMAIN.md)
        Rule(.auth, .accountDeactivated, .code("consumer_suspended")),
        // 403 PERMISSION_DENIED / SERVICE_DISABLED: the API is not enabled for the project (freellmapi PR #285).
        Rule(.auth, .permissionDenied, .code("service_disabled")),

        // MARK: 429 RESOURCE_EXHAUSTED: the quota id says whether waiting helps (gemini-cli#8437;
        // continuedev#10062). Per-day ids and "limit: 0" are quotas; per-minute ids are rates.

        // quotaId "GenerateRequestsPerDayPerProjectPerModel-FreeTier"
        Rule(.billing, .quotaExhausted, .code("resource_exhausted"), Rule.quota("perday")),
        // "Quota exceeded for metric: …generate_content_free_tier_input_token_count, limit: 0, model: …": the
        // project has no quota at all for the model.
        Rule(.billing, .quotaExhausted, .code("resource_exhausted"), .phrase("limit: 0,")),
        Rule(.billing, .quotaExhausted, .code("resource_exhausted"), .phrase("limit: 0\n")),
        // quotaId "GenerateContentInputTokensPerModelPerMinute-FreeTier"
        Rule(.rateLimit, .tokensLimit, .code("resource_exhausted"), Rule.quota("tokens", "perminute")),
        Rule(.rateLimit, .requestsLimit, .code("resource_exhausted"), Rule.quota("perminute")),
        // "You exceeded your current quota, …" with no quota id (the same sentence as OpenAI's
        // insufficient_quota, another meaning: DOMAIN.md §0.4); "Resource has been exhausted (e.g. check
        // quota)." (gemini-cli#1906); Vertex "Resource exhausted. Please try again later." (gemini-cli#14831)
        Rule(.rateLimit, .unknown, .code("resource_exhausted")),
        // Vertex: `"errors":[{"reason":"rateLimitExceeded"}]` (gemini-cli#14831)
        Rule(.rateLimit, .unknown, .code("ratelimitexceeded")),

        // MARK: Sentences

        Rule(.auth, .invalidKey, .phrase("api key not valid")),
        // "API Key not found. Please pass a valid API key." (Wei-Shaw/sub2api#1709)
        Rule(.auth, .invalidKey, .phrase("api key not found")),
        // 403 PERMISSION_DENIED: "Your API key was reported as leaked. Please use another API key."
        // (continuedev#10513)
        Rule(.auth, .leakedKey, .phrase("reported as leaked")),
        // 403 PERMISSION_DENIED: "Permission denied: Consumer 'api_key:…' has been suspended."
        // (snailyp/gemini-balance#382)
        Rule(.auth, .accountDeactivated, .phrase("has been suspended")),
        // 400 FAILED_PRECONDITION: "User location is not supported for the API use." (freellmapi PR #285)
        Rule(.auth, .regionUnsupported, .phrase("user location is not supported")),
        // 503 UNAVAILABLE: "The model is overloaded. Please try again later." (gemini-cli#7392)
        Rule(.upstream, .overloaded, .phrase("the model is overloaded")),
        // The per-minute sentence with a Google link but no status or quota id: still a rate (DOMAIN.md §0.4).
        Rule(.rateLimit, .unknown, .phrase("you exceeded your current quota"), .phrase("ai.google.dev")),

        // MARK: Generic statuses, after the sentences that sharpen them

        // 403 PERMISSION_DENIED (leaked and suspended keys say so in the message, above).
        // Generic statuses are common words; each is trusted only with the HTTP status Google pairs it with.
        Rule(.auth, .permissionDenied, .code("permission_denied"), .status([403]), broad: true),
        Rule(.auth, .invalidKey, .code("unauthenticated"), .status([401]), broad: true),
        // 503 UNAVAILABLE (gemini-cli#7392).
        Rule(.upstream, .overloaded, .code("unavailable"), .statusRange(500...599), broad: true),
        Rule(.upstream, .gatewayTimeout, .code("deadline_exceeded"), .statusRange(500...599), broad: true),
        Rule(.upstream, .serverError, .code("internal"), .statusRange(500...599), broad: true),
        Rule(.client, .notFound, .code("not_found"), .status([404]), broad: true),
        Rule(.client, .badRequest, .code("invalid_argument"), .status([400]), broad: true),
        Rule(.client, .badRequest, .code("failed_precondition"), .status([400]), broad: true),
    ]
}
