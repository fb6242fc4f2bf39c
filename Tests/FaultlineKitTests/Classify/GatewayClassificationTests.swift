import FaultlineKit
import Testing

/// LiteLLM's re-wrapped bodies (DOMAIN.md §0.6, §1): the provider's code inside the message wins over the
/// wrapper's type.
@Suite("LiteLLM gateway errors")
struct LiteLLMClassificationTests {
    static let rows: [Expectation] = [
        Expectation(
            LineSpec(
                "RateLimitError hiding insufficient_quota (Python repr)", status: 429, code: "429",
                type: "throttling_error",
                message: "litellm.RateLimitError: RateLimitError: OpenAIException - Error code: 429 - {'error': "
                    + "{'message': 'You exceeded your current quota, please check your plan and billing details.', "
                    + "'type': 'insufficient_quota', 'param': None, 'code': 'insufficient_quota'}}"),
            .billing, .quotaExhausted, .code),
        Expectation(
            LineSpec(
                "RateLimitError hiding insufficient_quota (JSON)", status: 429, code: "429", type: "throttling_error",
                message: #"litellm.RateLimitError: OpenAIException - {"error":{"message":"quota","#
                    + #""type":"insufficient_quota","code":"insufficient_quota"}}"#),
            .billing, .quotaExhausted, .code),
        Expectation(
            LineSpec(
                "escaped JSON inside the message", status: 429, code: "429", type: "throttling_error",
                message: #"litellm.RateLimitError: {\"error\":{\"code\":\"credit_balance_exhausted\"}}"#),
            .billing, .creditExhausted, .code),
        Expectation(
            LineSpec(
                "RateLimitError with a real TPM limit inside", status: 429, code: "429", type: "throttling_error",
                message: "litellm.RateLimitError: AzureException - {'error': {'code': 'rate_limit_exceeded', "
                    + "'message': 'Rate limit reached for gpt-4o on tokens per min (TPM): Limit 30000, Used 30000, "
                    + "Requested 100.'}}"),
            .rateLimit, .tokensLimit, .code),
        Expectation(
            LineSpec(
                "RateLimitError wrapping Azure's daily quota", status: 429, code: "429", type: "throttling_error",
                message: "litellm.RateLimitError: AzureException RateLimitError - Requests to the "
                    + "ChatCompletions_Create Operation under Azure OpenAI API version 2023-05-15 have exceeded "
                    + "token rate limit of your current AIServices S0 pricing tier. Please retry after 86400 seconds."),
            .billing, .quotaExhausted, .message),
        Expectation(
            LineSpec(
                "RateLimitError wrapping Anthropic's credit balance", status: 429, code: "429",
                type: "throttling_error",
                message: "litellm.RateLimitError: AnthropicException - {\"type\":\"error\",\"error\":{\"type\":"
                    + "\"invalid_request_error\",\"message\":\"Your credit balance is too low to access the "
                    + "Anthropic API.\"}}"),
            .billing, .creditExhausted, .message),
        Expectation(
            LineSpec(
                "RateLimitError with nothing inside", status: 429, code: "429", type: "throttling_error",
                message: "litellm.RateLimitError: RateLimitError: OpenAIException - Rate limit reached"),
            .rateLimit, .unknown, .code),
        Expectation(
            LineSpec(
                "AuthenticationError wrapping invalid_api_key", status: 401, code: "401", type: "auth_error",
                message: "litellm.AuthenticationError: AuthenticationError: OpenAIException - Error code: 401 - "
                    + "{'error': {'message': 'Incorrect API key provided: sk-proj-****…MxYA.', 'type': "
                    + "'invalid_request_error', 'param': None, 'code': 'invalid_api_key'}}"),
            .auth, .invalidKey, .code),
        Expectation(
            LineSpec(
                "Gemini API_KEY_INVALID wrapped", status: 400, code: "400", type: "invalid_request_error",
                message: #"litellm.BadRequestError: VertexAIException - {"error": {"code": 400, "message": "API key "#
                    + #"not valid. Please pass a valid API key.", "status": "INVALID_ARGUMENT", "details": "#
                    + #"[{"reason": "API_KEY_INVALID"}]}}"#),
            .auth, .invalidKey, .code),
        Expectation(
            LineSpec(
                "budget_exceeded", status: 400, code: "400", type: "budget_exceeded",
                message: "Budget has been exceeded! Current cost: 10.2, Max budget: 10.0"),
            .billing, .budgetExceeded, .code),
        Expectation(
            LineSpec(
                "BudgetExceededError class, empty code", status: 400, code: "", type: "BudgetExceededError",
                message: "Budget has been exceeded! Current cost: 5.01, Max budget: 5.0"),
            .billing, .budgetExceeded, .code),
        Expectation(
            LineSpec(
                "BudgetExceededError in the text", status: 400,
                message: "litellm.BudgetExceededError: Budget has been exceeded"),
            .billing, .budgetExceeded, .message),
        Expectation(
            LineSpec(
                "ContextWindowExceededError", status: 400,
                message: "litellm.ContextWindowExceededError: litellm.BadRequestError: prompt too long"),
            .client, .contextLength, .message),
        Expectation(
            LineSpec("Timeout", status: 408, message: "litellm.Timeout: Connection timed out after 600.0 seconds."),
            .upstream, .gatewayTimeout, .message),
        Expectation(
            LineSpec(
                "APIConnectionError without status", status: nil,
                message: "litellm.APIConnectionError: OpenAIException - Connection error."),
            .upstream, .connectionFailure, .message),
        Expectation(
            LineSpec(
                "ServiceUnavailableError", status: 503,
                message: "litellm.ServiceUnavailableError: OpenAIException - Service Unavailable"),
            .upstream, .overloaded, .message),
    ]

    @Test("classifies", arguments: rows)
    func classifies(_ row: Expectation) {
        let result = row.line.classified()
        #expect(result.category == row.category)
        #expect(result.cause == row.cause)
        if let evidence = row.evidence { #expect(result.evidence == evidence) }
    }
}

/// Proxies and bare statuses (DOMAIN.md §6): no body, so the evidence is the status or a flag.
@Suite("Edge proxies and bare statuses")
struct EdgeClassificationTests {
    static let rows: [Expectation] = [
        Expectation(LineSpec("Envoy 503 UF", status: 503, flags: "UF"), .upstream, .connectionFailure, .statusOnly),
        Expectation(LineSpec("Envoy 503 UH", status: 503, flags: "UH"), .upstream, .connectionFailure, .statusOnly),
        Expectation(LineSpec("Envoy 503 UF,URX", status: 503, flags: "UF,URX"), .upstream, .connectionFailure),
        Expectation(LineSpec("Envoy 504 UT", status: 504, flags: "UT"), .upstream, .gatewayTimeout, .statusOnly),
        Expectation(LineSpec("Envoy 503 UO", status: 503, flags: "UO"), .upstream, .overloaded, .statusOnly),
        Expectation(LineSpec("Envoy 503 UC", status: 503, flags: "UC"), .upstream, .connectionFailure),
        Expectation(LineSpec("Envoy 429 RL", status: 429, flags: "RL"), .rateLimit, .requestsLimit, .statusOnly),
        Expectation(LineSpec("Envoy 404 NR", status: 404, flags: "NR"), .client, .notFound, .statusOnly),
        Expectation(LineSpec("Envoy 0 DC", status: 0, flags: "DC"), .client, .clientClosed),
        Expectation(LineSpec("Envoy 0 no flags", status: 0, flags: "-"), .client, .clientClosed, .statusOnly),
        Expectation(LineSpec("Envoy 200 -", status: 200, flags: "-"), .success, .none),
        Expectation(LineSpec("nginx 499", status: 499), .client, .clientClosed, .statusOnly),
        Expectation(LineSpec("ALB 460", status: 460), .client, .clientClosed, .statusOnly),
        Expectation(LineSpec("Cloudflare 520", status: 520), .upstream, .badGateway, .statusOnly),
        Expectation(LineSpec("Cloudflare 521", status: 521), .upstream, .connectionFailure, .statusOnly),
        Expectation(LineSpec("Cloudflare 522", status: 522), .upstream, .connectionFailure, .statusOnly),
        Expectation(LineSpec("Cloudflare 523", status: 523), .upstream, .connectionFailure, .statusOnly),
        Expectation(
            LineSpec("Cloudflare 524", status: 524, message: "<html>A timeout occurred</html>"),
            .upstream, .gatewayTimeout, .statusOnly),
        Expectation(LineSpec("Cloudflare 525", status: 525), .upstream, .connectionFailure, .statusOnly),
        Expectation(LineSpec("Cloudflare 526", status: 526), .upstream, .connectionFailure, .statusOnly),
        Expectation(LineSpec("500", status: 500), .upstream, .serverError, .statusOnly),
        Expectation(LineSpec("502", status: 502), .upstream, .badGateway, .statusOnly),
        Expectation(LineSpec("503", status: 503), .upstream, .serverError, .statusOnly),
        Expectation(LineSpec("504 nginx proxy timeout", status: 504), .upstream, .gatewayTimeout, .statusOnly),
        Expectation(LineSpec("529", status: 529), .upstream, .overloaded, .statusOnly),
        Expectation(LineSpec("bare 429", status: 429), .rateLimit, .unknown, .statusOnly),
        Expectation(LineSpec("bare 401", status: 401), .auth, .unknown, .statusOnly),
        Expectation(LineSpec("bare 402", status: 402), .billing, .paymentRequired, .statusOnly),
        Expectation(LineSpec("bare 404", status: 404), .client, .notFound, .statusOnly),
        Expectation(LineSpec("bare 413", status: 413), .rateLimit, .requestTooLarge, .statusOnly),
        Expectation(LineSpec("bare 400", status: 400), .client, .badRequest, .statusOnly),
        Expectation(LineSpec("bare 418", status: 418), .client, .unknown, .statusOnly),
        Expectation(LineSpec("no status, no body", status: nil), .client, .unknown, .statusOnly),
        Expectation(LineSpec("200", status: 200), .success, .none, .statusOnly),
        Expectation(LineSpec("204", status: 204, code: "null", message: "ok"), .success, .none),
        Expectation(LineSpec("302", status: 302, message: "Found"), .success, .none),
        Expectation(LineSpec("200 with an unknown code", status: 200, code: "mystery_code"), .success, .none),
        Expectation(LineSpec("200 with a code field None", status: 200, code: "None", type: "None"), .success, .none),
    ]

    @Test("classifies", arguments: rows)
    func classifies(_ row: Expectation) {
        let result = row.line.classified()
        #expect(result.category == row.category)
        #expect(result.cause == row.cause)
        if let evidence = row.evidence { #expect(result.evidence == evidence) }
    }

    @Test(
        "ALB: the target never answered",
        arguments: [
            (502, Cause.connectionFailure), (503, .connectionFailure),
            (504, .gatewayTimeout),
        ])
    func albUnanswered(status: Int, cause: Cause) {
        var line = LineSpec(status: status)
        line.upstreamUnanswered = true
        #expect(line.classified() == Classification(.upstream, cause, evidence: .statusOnly))
    }
}
