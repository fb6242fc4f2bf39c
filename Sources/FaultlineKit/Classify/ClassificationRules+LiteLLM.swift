extension ClassificationRules {
    /// The LiteLLM proxy's own codes and its wrapper classes (DOMAIN.md §0.6, §1, §9).
    ///
    /// LiteLLM puts the provider's body inside `message` and its own `type`/`code` outside
    /// (`"type":"throttling_error","code":"429"`). The provider codes quoted inside the message are matched
    /// by the code rules of every provider, which run before the wrapper classes below (`broad`).
    static let liteLLM: [Rule] = [
        // type budget_exceeded: the proxy's own key, team or user budget (DOMAIN.md §0.6).
        Rule(.billing, .budgetExceeded, .code("budget_exceeded")),
        // error_information.error_class BudgetExceededError, error_code "" (BerriAI/litellm#22726).
        Rule(.billing, .budgetExceeded, .code("budgetexceedederror")),
        Rule(.billing, .budgetExceeded, .phrase("budgetexceedederror")),
        // "Budget has been exceeded! Current cost: 10.2, Max budget: 10.0" (LiteLLM's wording, not in DOMAIN.md)
        Rule(.billing, .budgetExceeded, .phrase("budget has been exceeded")),
        // litellm.ContextWindowExceededError: the class names the cause, whatever the provider said.
        Rule(.client, .contextLength, .phrase("contextwindowexceedederror")),

        // MARK: Wrapper classes: trusted only when nothing inside the message said more. The mapper calls any
        // text with "rate limit" or 429 a RateLimitError (exception_mapping_utils.py), so this can hide a quota.

        // {"error":{"message":"litellm.RateLimitError: …","type":"throttling_error","code":"429"}}
        // (BerriAI/litellm PR #40002; jasonacox/TinyLLM#17)
        Rule(.rateLimit, .unknown, .code("throttling_error"), broad: true),
        Rule(.rateLimit, .unknown, .phrase("litellm.ratelimiterror"), broad: true),
        Rule(.auth, .invalidKey, .phrase("litellm.authenticationerror"), broad: true),
        Rule(.auth, .permissionDenied, .phrase("litellm.permissiondeniederror"), broad: true),
        Rule(.client, .notFound, .phrase("litellm.notfounderror"), broad: true),
        // 504/408 → Timeout, 503 → ServiceUnavailableError, 502 → BadGatewayError, 500 → InternalServerError,
        // no status → APIConnectionError (DOMAIN.md §6).
        Rule(.upstream, .gatewayTimeout, .phrase("litellm.timeout"), broad: true),
        Rule(.upstream, .overloaded, .phrase("litellm.serviceunavailableerror"), broad: true),
        Rule(.upstream, .badGateway, .phrase("litellm.badgatewayerror"), broad: true),
        Rule(.upstream, .connectionFailure, .phrase("litellm.apiconnectionerror"), broad: true),
        Rule(.upstream, .serverError, .phrase("litellm.internalservererror"), broad: true),
    ]
}
