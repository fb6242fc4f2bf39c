import FaultlineKit
import Testing

/// Every row of DOMAIN.md §3, with Anthropic's status, `error.type` and message.
@Suite("Anthropic errors")
struct AnthropicClassificationTests {
    static let rows: [Expectation] = [
        Expectation(
            LineSpec(
                "400 credit balance too low", status: 400, type: "invalid_request_error",
                message: "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to "
                    + "upgrade or purchase credits."),
            .billing, .creditExhausted, .message),
        Expectation(
            LineSpec(
                "400 API usage limits", status: 400, type: "invalid_request_error",
                message: "You have reached your specified API usage limits. You will regain access on 2026-04-01 at "
                    + "00:00 UTC."),
            .billing, .spendLimit, .message),
        Expectation(
            LineSpec(
                "401 authentication_error", status: 401, type: "authentication_error", message: "invalid x-api-key",
                key: "sk-ant-api03-FAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE0123456789-FAKEFAKEAA"),
            .auth, .invalidKey, .code),
        Expectation(
            LineSpec(
                "402 billing_error", status: 402, type: "billing_error",
                message: "There's an issue with your billing or payment information."),
            .billing, .paymentRequired, .code),
        Expectation(
            LineSpec(
                "403 permission_error", status: 403, type: "permission_error",
                message: "Your API key does not have permission to use the specified resource."),
            .auth, .permissionDenied, .code),
        Expectation(
            LineSpec(
                "429 input tokens per minute", status: 429, type: "rate_limit_error",
                message: "This request would exceed the rate limit for your organization "
                    + "(00000000-0000-0000-0000-000000000000) of 40,000 input tokens per minute. For details, refer "
                    + "to: https://docs.anthropic.com/en/api/rate-limits."),
            .rateLimit, .tokensLimit, .message),
        Expectation(
            LineSpec(
                "429 newer wording", status: 429, type: "rate_limit_error",
                message: "This request would exceed your organization's rate limit of 30,000 input tokens per minute "
                    + "(org: 00000000-0000-0000-0000-000000000000, model: claude-sonnet-4-6)."),
            .rateLimit, .tokensLimit, .message),
        Expectation(
            LineSpec(
                "429 account rate limit", status: 429, type: "rate_limit_error",
                message: "This request would exceed your account's rate limit. Please try again later."),
            .rateLimit, .unknown, .code),
        Expectation(
            LineSpec("429 Rate limited", status: 429, type: "rate_limit_error", message: "Rate limited"),
            .rateLimit, .unknown, .code),
        Expectation(
            LineSpec(
                "429 extra usage", status: 429, type: "rate_limit_error",
                message: "Extra usage is required for long context requests."),
            .billing, .unknown, .message),
        Expectation(
            LineSpec("500 api_error", status: 500, type: "api_error", message: "Internal server error"),
            .upstream, .serverError, .code),
        Expectation(
            LineSpec("504 timeout_error", status: 504, type: "timeout_error", message: "Request timeout"),
            .upstream, .gatewayTimeout, .code),
        Expectation(
            LineSpec("529 overloaded_error", status: 529, type: "overloaded_error", message: "Overloaded"),
            .upstream, .overloaded, .code),
        Expectation(
            LineSpec("404 not_found_error", status: 404, type: "not_found_error", message: "model: claude-9"),
            .client, .notFound, .code),
        Expectation(
            LineSpec(
                "413 request_too_large", status: 413, type: "request_too_large",
                message: "Request exceeds the maximum allowed number of bytes."),
            .rateLimit, .requestTooLarge, .code),
        Expectation(
            LineSpec(
                "400 prompt too long", status: 400, type: "invalid_request_error",
                message: "prompt is too long: 210000 tokens > 200000 maximum"),
            .client, .contextLength, .message),
    ]

    @Test("classifies", arguments: rows)
    func classifies(_ row: Expectation) {
        let result = row.line.classified()
        #expect(result.category == row.category)
        #expect(result.cause == row.cause)
        if let evidence = row.evidence { #expect(result.evidence == evidence) }
    }
}

/// Every row of DOMAIN.md §4. Azure's `code` is the status as a string.
@Suite("Azure OpenAI errors")
struct AzureClassificationTests {
    static let rows: [Expectation] = [
        Expectation(
            LineSpec(
                "401 invalid subscription key", status: 401, code: "401",
                message: "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a "
                    + "valid key for an active subscription and use a correct regional API endpoint for your "
                    + "resource.",
                key: "0123456789abcdef0123456789abcdef"),
            .auth, .invalidKey, .message),
        Expectation(
            LineSpec(
                "401 Unauthorized code", status: 401, code: "Unauthorized",
                message: "Access denied due to invalid subscription key or wrong API endpoint."),
            .auth, .invalidKey, .message),
        Expectation(
            LineSpec(
                "401 APIM missing key", status: 401,
                message: "Access denied due to missing subscription key. Make sure to include subscription key when "
                    + "making requests to an API."),
            .auth, .missingKey, .message),
        Expectation(
            LineSpec(
                "429 daily token quota", status: 429, code: "429",
                message: "Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2023-05-15 "
                    + "have exceeded token rate limit of your current AIServices S0 pricing tier. Please retry after "
                    + "86400 seconds. Please contact Azure support service if you would like to further increase "
                    + "the default rate limit."),
            .billing, .quotaExhausted, .message),
        Expectation(
            LineSpec(
                "429 token rate", status: 429, code: "429",
                message: "Your requests to gpt-5.1 for gpt-5.1 in East US 2 have exceeded the token rate limit for "
                    + "your current AIServices S0 pricing tier. This request was for ChatCompletions_Create under "
                    + "Azure OpenAI API version 2025-01-01-preview. Please retry after 60 seconds."),
            .rateLimit, .tokensLimit, .message),
        Expectation(
            LineSpec(
                "429 token rate, an hour", status: 429, code: "429",
                message: "Requests to the ChatCompletions_Create Operation have exceeded token rate limit. Please "
                    + "retry after 3600 seconds."),
            .billing, .quotaExhausted, .message),
        Expectation(
            LineSpec(
                "429 high demand", status: 429, code: "429",
                message: "The system is currently experiencing high demand and cannot process your request. Your "
                    + "request exceeds the maximum usage size allowed during peak load. Please retry after 20 "
                    + "seconds."),
            .upstream, .overloaded, .message),
        Expectation(
            LineSpec("403 APIM token-limit quota, no body", status: 403),
            .auth, .unknown, .statusOnly),
    ]

    @Test("classifies", arguments: rows)
    func classifies(_ row: Expectation) {
        let result = row.line.classified()
        #expect(result.category == row.category)
        #expect(result.cause == row.cause)
        if let evidence = row.evidence { #expect(result.evidence == evidence) }
    }
}

/// Every row of DOMAIN.md §5, with Gemini's `status` (as the error type), reason and quota id.
@Suite("Gemini and Vertex errors")
struct GeminiClassificationTests {
    static let quotaSentence =
        "You exceeded your current quota, please check your plan and billing details. For more information on "
        + "this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits."

    static let rows: [Expectation] = [
        Expectation(
            LineSpec(
                "400 API_KEY_INVALID", status: 400, code: "400", type: "INVALID_ARGUMENT",
                message: "API key not valid. Please pass a valid API key.", reason: "API_KEY_INVALID",
                key: "AIzaFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE123"),
            .auth, .invalidKey, .code),
        Expectation(
            LineSpec(
                "400 API Key not found", status: 400, type: "INVALID_ARGUMENT",
                message: "API Key not found. Please pass a valid API key."),
            .auth, .invalidKey, .message),
        Expectation(
            LineSpec(
                "400 location", status: 400, type: "FAILED_PRECONDITION",
                message: "User location is not supported for the API use."),
            .auth, .regionUnsupported, .message),
        Expectation(
            LineSpec(
                "403 leaked", status: 403, code: "403", type: "PERMISSION_DENIED",
                message: "Your API key was reported as leaked. Please use another API key."),
            .auth, .leakedKey, .message),
        Expectation(
            LineSpec(
                "403 suspended", status: 403, type: "PERMISSION_DENIED",
                message: "Permission denied: Consumer 'api_key:AIzaFAKE' has been suspended."),
            .auth, .accountDeactivated, .message),
        Expectation(
            LineSpec(
                "403 suspended, reason", status: 403, type: "PERMISSION_DENIED",
                message: "Permission denied: Consumer has been suspended.", reason: "CONSUMER_SUSPENDED"),
            .auth, .accountDeactivated, .code),
        Expectation(
            LineSpec(
                "403 SERVICE_DISABLED", status: 403, type: "PERMISSION_DENIED",
                message: "Generative Language API has not been used in project 0 before or it is disabled.",
                reason: "SERVICE_DISABLED"),
            .auth, .permissionDenied, .code),
        Expectation(
            LineSpec(
                "403 PERMISSION_DENIED", status: 403, type: "PERMISSION_DENIED",
                message: "The caller does not have permission"),
            .auth, .permissionDenied, .code),
        Expectation(
            LineSpec(
                "429 per-day quota", status: 429, type: "RESOURCE_EXHAUSTED", message: quotaSentence,
                quotaID: "GenerateRequestsPerDayPerProjectPerModel-FreeTier"),
            .billing, .quotaExhausted, .code),
        Expectation(
            LineSpec(
                "429 per-minute input tokens", status: 429, type: "RESOURCE_EXHAUSTED", message: quotaSentence,
                quotaID: "GenerateContentInputTokensPerModelPerMinute-FreeTier"),
            .rateLimit, .tokensLimit, .code),
        Expectation(
            LineSpec(
                "429 per-minute requests", status: 429, type: "RESOURCE_EXHAUSTED", message: quotaSentence,
                quotaID: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier"),
            .rateLimit, .requestsLimit, .code),
        Expectation(
            LineSpec(
                "429 limit: 0", status: 429, type: "RESOURCE_EXHAUSTED",
                message: quotaSentence + "\n* Quota exceeded for metric: "
                    + "generativelanguage.googleapis.com/generate_content_free_tier_input_token_count, limit: 0, "
                    + "model: gemini-2.5-pro"),
            .billing, .quotaExhausted, .code),
        Expectation(
            LineSpec(
                "429 quota sentence, no quota id: a rate (trap 4)", status: 429, type: "RESOURCE_EXHAUSTED",
                message: quotaSentence),
            .rateLimit, .unknown, .code),
        Expectation(
            LineSpec("429 Google quota sentence with no status", status: 429, message: quotaSentence),
            .rateLimit, .unknown, .message),
        Expectation(
            LineSpec(
                "429 Resource has been exhausted", status: 429, type: "RESOURCE_EXHAUSTED",
                message: "Resource has been exhausted (e.g. check quota)."),
            .rateLimit, .unknown, .code),
        Expectation(
            LineSpec(
                "429 Vertex", status: 429, type: "RESOURCE_EXHAUSTED",
                message: "Resource exhausted. Please try again later. Please refer to "
                    + "https://cloud.google.com/vertex-ai/generative-ai/docs/error-code-429 for more details.",
                reason: "rateLimitExceeded"),
            .rateLimit, .unknown, .code),
        Expectation(
            LineSpec(
                "503 UNAVAILABLE", status: 503, type: "UNAVAILABLE",
                message: "The model is overloaded. Please try again later."),
            .upstream, .overloaded, .message),
        Expectation(
            LineSpec("503 UNAVAILABLE without wording", status: 503, type: "UNAVAILABLE", message: "Service busy"),
            .upstream, .overloaded, .code),
    ]

    @Test("classifies", arguments: rows)
    func classifies(_ row: Expectation) {
        let result = row.line.classified()
        #expect(result.category == row.category)
        #expect(result.cause == row.cause)
        if let evidence = row.evidence { #expect(result.evidence == evidence) }
    }

    @Test("a Vertex body wrapped in a message still yields its quota id")
    func embeddedQuotaID() {
        let body =
            #"[{"error": {"code": 429, "message": "Quota exceeded", "status": "RESOURCE_EXHAUSTED", "#
            + #""details": [{"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [{"quotaId": "#
            + #""GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]}]}}]"#
        let result = LineSpec(status: 429, message: body).classified()
        #expect(result == Classification(.billing, .quotaExhausted, evidence: .code))
    }
}
