extension ClassificationRules {
    /// Anthropic's error types and sentences (DOMAIN.md §3).
    static let anthropic: [Rule] = [
        // 402 billing_error: "There's an issue with your billing or payment information." (platform.claude.com
        // docs/api/errors)
        Rule(.billing, .paymentRequired, .code("billing_error")),
        // 529 overloaded_error: "Overloaded" (anthropics/anthropic-sdk-typescript#616)
        Rule(.upstream, .overloaded, .code("overloaded_error")),
        // 504 timeout_error: "Request timeout" (platform.claude.com Python API reference)
        Rule(.upstream, .gatewayTimeout, .code("timeout_error")),
        // 401 authentication_error: "invalid x-api-key" (emilsvennesson/opencode-websearch#15). The key's shape
        // may sharpen it.
        Rule(.auth, .invalidKey, .code("authentication_error")),
        // 404 not_found_error, 413 request_too_large (sent by Cloudflare) (docs).
        Rule(.client, .notFound, .code("not_found_error")),
        Rule(.rateLimit, .requestTooLarge, .code("request_too_large")),

        // MARK: Sentences. Anthropic's billing stops arrive as 400 invalid_request_error (DOMAIN.md §0.2).

        // 400: "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade
        // or purchase credits." (anthropics/claude-code#66314)
        Rule(.billing, .creditExhausted, .phrase("credit balance is too low")),
        // 400: "You have reached your specified API usage limits. You will regain access on 2026-04-01 at 00:00
        // UTC." (anthropics/claude-code#38035)
        Rule(.billing, .spendLimit, .phrase("reached your specified api usage limits")),
        // 429 rate_limit_error: "Extra usage is required for long context requests." A plan entitlement, not a
        // rate: no billing cause in the closed list says which (claude-code#29584).
        Rule(.billing, .unknown, .phrase("extra usage is required")),
        // 401: "invalid x-api-key" without the type.
        Rule(.auth, .invalidKey, .phrase("invalid x-api-key")),
        // 400: "prompt is too long: 210000 tokens > 200000 maximum" (Anthropic's wording, not in DOMAIN.md).
        Rule(.client, .contextLength, .phrase("prompt is too long")),
        // 429 rate_limit_error: "This request would exceed the rate limit for your organization (<uuid>) of
        // 40,000 input tokens per minute." (bhouston/mycoder#62); newer: "…your organization's rate limit of
        // 30,000 input tokens per minute (org: <uuid>, model: claude-sonnet-4-6)…" (claude-code#55132)
        Rule(.rateLimit, .tokensLimit, .status([429]), .phrase("tokens per minute")),
        Rule(.rateLimit, .requestsLimit, .status([429]), .phrase("requests per minute")),

        // MARK: Generic types

        // 429 rate_limit_error: "This request would exceed your account's rate limit. Please try again later." /
        // "Rate limited" (claude-code#71670). A tier spend cap also comes as a 429 with no retry-after, but with
        // no known sentence to tell it apart.
        Rule(.rateLimit, .unknown, .code("rate_limit_error"), broad: true),
        // 403 permission_error (docs).
        Rule(.auth, .permissionDenied, .code("permission_error"), broad: true),
        // 500 api_error (docs).
        Rule(.upstream, .serverError, .code("api_error"), broad: true),
    ]
}
