import FaultlineKit
import Testing

/// Every row of DOMAIN.md §2, with OpenAI's status, type, code and message.
@Suite("OpenAI errors")
struct OpenAIClassificationTests {
    static let rows: [Expectation] = [
        Expectation(
            LineSpec(
                "401 invalid_api_key", status: 401, code: "invalid_api_key", type: "invalid_request_error",
                message: "Incorrect API key provided: sk-proj-****…MxYA. You can find your API key at "
                    + "https://platform.openai.com/account/api-keys.",
                key: "sk-proj-FAKEFAKEFAKEFAKE0123456789abcdefghijklmnopqrstuv"),
            .auth, .invalidKey, .code),
        Expectation(
            LineSpec(
                "401 no API key", status: 401,
                message: "You didn't provide an API key. You need to provide your API key in an Authorization "
                    + "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."),
            .auth, .missingKey, .message),
        Expectation(
            LineSpec(
                "401 no_organization", status: 401, code: "no_organization", type: "invalid_request_error",
                message: "You must be a member of an organization to use the API. Please contact us through our "
                    + "help center at help.openai.com."),
            .auth, .noOrganization, .code),
        Expectation(
            LineSpec(
                "401 mismatched_organization", status: 401, code: "mismatched_organization",
                type: "invalid_request_error",
                message: "OpenAI-Organization header should match organization for API key"),
            .auth, .orgMismatch, .code),
        Expectation(
            LineSpec(
                "401 account_deactivated", status: 401, code: "account_deactivated", type: "invalid_request_error",
                message: "The OpenAI account associated with this API key has been deactivated. If you are the "
                    + "developer for this OpenAI app, please check your email for more information."),
            .auth, .accountDeactivated, .code),
        Expectation(
            LineSpec(
                "401 deactivated, older wording, no code", status: 401, type: "invalid_request_error",
                message: "This key is associated with a deactivated account. If you feel this is an error, contact "
                    + "us through our help center at help.openai.com."),
            .auth, .accountDeactivated, .message),
        Expectation(
            LineSpec(
                "401 invalid_issuer", status: 401, code: "invalid_issuer", type: "invalid_request_error",
                message: "Your authentication token is not from a valid issuer.",
                key: "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.FAKEsignatureFAKE"),
            .auth, .invalidIssuer, .code),
        Expectation(
            LineSpec(
                "401 missing scopes, code null", status: 401, code: "null", type: "invalid_request_error",
                message: "You have insufficient permissions for this operation. Missing scopes: "
                    + "api.responses.write. Check that you have the correct role in your organization."),
            .auth, .permissionDenied, .message),
        Expectation(
            LineSpec(
                "401 missing scope model.request", status: 401, type: "invalid_request_error",
                message: "You have insufficient permissions for this operation. Missing scopes: model.request."),
            .auth, .permissionDenied, .message),
        Expectation(
            LineSpec("401 ip_not_authorized", status: 401, code: "ip_not_authorized"),
            .auth, .ipNotAuthorized, .code),
        Expectation(
            LineSpec(
                "403 unsupported_country_region_territory", status: 403,
                code: "unsupported_country_region_territory", type: "request_forbidden",
                message: "Country, region, or territory not supported"),
            .auth, .regionUnsupported, .code),
        Expectation(
            LineSpec(
                "403 model_not_found", status: 403, code: "model_not_found", type: "invalid_request_error",
                message: "Project `proj_FAKEFAKEFAKEFAKEFAKEFAKE` does not have access to model `gpt-4o-mini`"),
            .auth, .permissionDenied, .code),
        Expectation(
            LineSpec(
                "404 model_not_found", status: 404, code: "model_not_found", type: "invalid_request_error",
                message: "The model `gpt-9` does not exist or you do not have access to it."),
            .client, .notFound, .code),
        Expectation(
            LineSpec(
                "429 TPM", status: 429, code: "rate_limit_exceeded", type: "tokens",
                message: "Rate limit reached for gpt-4o in organization org-FAKEFAKEFAKEFAKEFAKEFAKE on tokens per "
                    + "min (TPM): Limit 30000, Used 29937, Requested 385. Please try again in 644ms."),
            .rateLimit, .tokensLimit, .code),
        Expectation(
            LineSpec(
                "429 RPM", status: 429, code: "rate_limit_exceeded", type: "requests",
                message: "Rate limit reached for gpt-4o in organization org-FAKEFAKEFAKEFAKEFAKEFAKE on requests per "
                    + "min (RPM): Limit 500, Used 500, Requested 1. Please try again in 120ms."),
            .rateLimit, .requestsLimit, .code),
        Expectation(
            LineSpec(
                "429 TPM, 2023 wording", status: 429, code: "rate_limit_exceeded", type: "tokens",
                message: "Rate limit reached for default-gpt-4 in organization org-FAKE on tokens per min. "
                    + "Limit: 10000 / min. Please try again in 6ms."),
            .rateLimit, .tokensLimit, .code),
        Expectation(
            LineSpec("429 RPM by type only", status: 429, code: "rate_limit_exceeded", type: "requests"),
            .rateLimit, .requestsLimit, .code),
        Expectation(
            LineSpec("429 type tokens without code", status: 429, type: "tokens"),
            .rateLimit, .tokensLimit, .code),
        Expectation(
            LineSpec(
                "429 Request too large", status: 429, code: "rate_limit_exceeded", type: "tokens",
                message: "Request too large for gpt-4o in organization org-FAKE on tokens per min (TPM): Limit "
                    + "30000, Requested 31538. The input or output tokens must be reduced in order to run "
                    + "successfully."),
            .rateLimit, .requestTooLarge, .code),
        Expectation(
            LineSpec(
                "429 Request too large, type tokens, no code", status: 429, type: "tokens",
                message: "Request too large for gpt-4o in organization org-FAKE on tokens per min (TPM): Limit "
                    + "30000, Requested 31538."),
            .rateLimit, .requestTooLarge, .message),
        Expectation(
            LineSpec("429 slow_down", status: 429, code: "slow_down", type: "rate_limit_error"),
            .rateLimit, .slowDown, .code),
        Expectation(
            LineSpec(
                "429 insufficient_quota", status: 429, code: "insufficient_quota", type: "insufficient_quota",
                message: "You exceeded your current quota, please check your plan and billing details. For more "
                    + "information on this error, read the docs: "
                    + "https://platform.openai.com/docs/guides/error-codes/api-errors."),
            .billing, .quotaExhausted, .code),
        Expectation(
            LineSpec(
                "429 insufficient_quota, older: code null", status: 429, code: "null", type: "insufficient_quota",
                message: "You exceeded your current quota, please check your plan and billing details."),
            .billing, .quotaExhausted, .code),
        Expectation(
            LineSpec(
                "429 quota sentence alone", status: 429,
                message: "You exceeded your current quota, please check your plan and billing details."),
            .billing, .quotaExhausted, .message),
        Expectation(
            LineSpec(
                "429 credit_balance_exhausted", status: 429, code: "credit_balance_exhausted",
                type: "insufficient_quota",
                message: "You have no credits remaining. Add credits to continue using the API at "
                    + "https://platform.openai.com/settings/organization/billing/."),
            .billing, .creditExhausted, .code),
        Expectation(
            LineSpec(
                "429 organization_spend_limit_exceeded", status: 429, code: "organization_spend_limit_exceeded",
                type: "insufficient_quota"),
            .billing, .spendLimit, .code),
        Expectation(
            LineSpec(
                "429 project_spend_limit_exceeded", status: 429, code: "project_spend_limit_exceeded",
                type: "insufficient_quota"),
            .billing, .spendLimit, .code),
        Expectation(
            LineSpec(
                "429 organization_usage_limit_exceeded", status: 429, code: "organization_usage_limit_exceeded",
                type: "insufficient_quota"),
            .billing, .spendLimit, .code),
        Expectation(
            LineSpec(
                "400 billing_hard_limit_reached", status: 400, code: "billing_hard_limit_reached",
                type: "invalid_request_error", message: "Billing hard limit has been reached"),
            .billing, .billingHardLimit, .code),
        Expectation(
            LineSpec(
                "500 server_error", status: 500, type: "server_error",
                message: "The server had an error while processing your request. Sorry about that! (Please include "
                    + "the request ID req_0123456789abcdef0123456789abcdef in your message.)"),
            .upstream, .serverError, .message),
        Expectation(
            LineSpec(
                "503 model overloaded", status: 503, code: "null", type: "server_error",
                message: "That model is currently overloaded with other requests. You can retry your request, or "
                    + "contact us through our help center at help.openai.com if the error persists."),
            .upstream, .overloaded, .message),
        Expectation(
            LineSpec(
                "503 server_is_overloaded", status: 503, code: "server_is_overloaded", type: "service_unavailable_error"
            ),
            .upstream, .overloaded, .code),
        Expectation(
            LineSpec(
                "503 engine overloaded", status: 503,
                message: "The engine is currently overloaded, please try again later"),
            .upstream, .overloaded, .message),
        Expectation(
            LineSpec(
                "429 engine overloaded (pre-2024)", status: 429,
                message: "The engine is currently overloaded, please try again later"),
            .upstream, .overloaded, .message),
        Expectation(
            LineSpec(
                "200 then a streamed server_is_overloaded", status: 200, code: "server_is_overloaded",
                message: "Our servers are currently overloaded. Please try again later."),
            .upstream, .overloaded, .code),
        Expectation(
            LineSpec(
                "400 context_length_exceeded", status: 400, code: "context_length_exceeded",
                type: "invalid_request_error",
                message: "This model's maximum context length is 128000 tokens. However, your messages resulted in "
                    + "130000 tokens."),
            .client, .contextLength, .code),
        Expectation(
            LineSpec(
                "400 invalid_request_error", status: 400, type: "invalid_request_error",
                message: "Invalid value for 'temperature': must be between 0 and 2."),
            .client, .badRequest, .code),
    ]

    @Test("classifies", arguments: rows)
    func classifies(_ row: Expectation) {
        let result = row.line.classified()
        #expect(result.category == row.category)
        #expect(result.cause == row.cause)
        if let evidence = row.evidence { #expect(result.evidence == evidence) }
    }
}
