extension ClassificationRules {
    /// OpenAI's codes and sentences (DOMAIN.md §2).
    static let openAI: [Rule] = [
        // MARK: Billing: a 429 or 400 that waiting cannot cure (DOMAIN.md §0.1, §0.2).

        // 429 code credit_balance_exhausted: "You have no credits remaining. Add credits to continue using the
        // API at https://platform.openai.com/settings/organization/billing/." (Dev Proxy docs)
        Rule(.billing, .creditExhausted, .code("credit_balance_exhausted")),
        // 429 organization_spend_limit_exceeded / project_spend_limit_exceeded / organization_usage_limit_exceeded:
        // only the codes are known (Dev Proxy openai-insufficient-quota).
        Rule(.billing, .spendLimit, .code("organization_spend_limit_exceeded")),
        Rule(.billing, .spendLimit, .code("project_spend_limit_exceeded")),
        Rule(.billing, .spendLimit, .code("organization_usage_limit_exceeded")),
        // 400 billing_hard_limit_reached: "Billing hard limit has been reached" (dfinke/PowerShellAI#127;
        // all-in-aigc/aiwallpaper#2).
        Rule(.billing, .billingHardLimit, .code("billing_hard_limit_reached")),
        // 429 insufficient_quota / insufficient_quota: "You exceeded your current quota, please check your plan
        // and billing details." Not a rate limit (NextChat#4101, #1792; Dev Proxy openai-insufficient-quota).
        // After the codes above, which come with the type insufficient_quota too.
        Rule(.billing, .quotaExhausted, .code("insufficient_quota")),

        // MARK: Auth (401, 403)

        // 401 invalid_api_key: "Incorrect API key provided: sk-proj-****…MxYA. ..." (continuedev/continue#9634).
        // The key's shape may sharpen this to missing, placeholder or malformed.
        Rule(.auth, .invalidKey, .code("invalid_api_key")),
        // 401 no_organization: "You must be a member of an organization to use the API." (screenshot-to-code#9)
        Rule(.auth, .noOrganization, .code("no_organization")),
        // 401 mismatched_organization: "OpenAI-Organization header should match organization for API key"
        // (microsoft/foundry-dev-tools#262, openai/codex#1000)
        Rule(.auth, .orgMismatch, .code("mismatched_organization")),
        // 401 account_deactivated: "The OpenAI account associated with this API key has been deactivated."
        // (ChatGPTNextWeb/NextChat#2782)
        Rule(.auth, .accountDeactivated, .code("account_deactivated")),
        // 401 invalid_issuer: "Your authentication token is not from a valid issuer." (a JWT sent as the key)
        Rule(.auth, .invalidIssuer, .code("invalid_issuer")),
        // 401 ip_not_authorized: guide "401 - IP not authorized" (developers.openai.com ip-allowlist guide)
        Rule(.auth, .ipNotAuthorized, .code("ip_not_authorized")),
        // 403 request_forbidden / unsupported_country_region_territory: "Country, region, or territory not
        // supported" (home-assistant/core#120072)
        Rule(.auth, .regionUnsupported, .code("unsupported_country_region_territory")),
        // 403 model_not_found: "Project `proj_…` does not have access to model `gpt-4o-mini`" (cursor#2953);
        // the same code on a 404 is a model that does not exist.
        Rule(.auth, .permissionDenied, .code("model_not_found"), .status([401, 403])),
        Rule(.client, .notFound, .code("model_not_found")),

        // MARK: Rate limits (429 rate_limit_exceeded)

        // 429 tokens / rate_limit_exceeded: "Request too large for gpt-4o in organization org-… on tokens per min
        // (TPM): Limit 30000, Requested 31538." A retry cannot succeed (TheR1D/shell_gpt#653).
        Rule(.rateLimit, .requestTooLarge, .code("rate_limit_exceeded"), .phrase("request too large")),
        // 429 requests / rate_limit_exceeded: "Rate limit reached for gpt-4o in organization org-… on requests per
        // min (RPM): ..." (BuilderIO/micro-agent#86)
        Rule(.rateLimit, .requestsLimit, .code("rate_limit_exceeded"), .phrase("on requests per")),
        // 429 tokens / rate_limit_exceeded: "... on tokens per min (TPM): Limit 30000, Used 29937, Requested 385.
        // Please try again in 644ms."; 2023: "...on tokens per min. Limit: 10000 / min." (gpt-pilot#15)
        Rule(.rateLimit, .tokensLimit, .code("rate_limit_exceeded"), .phrase("on tokens per")),
        Rule(.rateLimit, .requestsLimit, .code("rate_limit_exceeded"), .code("requests")),
        Rule(.rateLimit, .tokensLimit, .code("rate_limit_exceeded"), .code("tokens")),
        Rule(.rateLimit, .unknown, .code("rate_limit_exceeded")),
        // 429 rate_limit_error / slow_down: traffic grew too fast (Dev Proxy openai-rate-limit-reached).
        Rule(.rateLimit, .slowDown, .code("slow_down")),

        // MARK: Outages

        // 503 service_unavailable_error / server_is_overloaded (Dev Proxy docs; also streamed after a 200,
        // openai/codex).
        Rule(.upstream, .overloaded, .code("server_is_overloaded")),

        // MARK: Client

        // 400 context_length_exceeded: "This model's maximum context length is 128000 tokens. ..." (the code is
        // OpenAI's; the sentence is not in DOMAIN.md).
        Rule(.client, .contextLength, .code("context_length_exceeded")),

        // MARK: Sentences, for bodies without a code (older API versions, gateways that keep only the text)

        // 429, code null (older): "You exceeded your current quota, please check your plan and billing details."
        // (NextChat#1792). Gemini's identical sentence is caught first (ClassificationRules+Gemini.swift).
        Rule(.billing, .quotaExhausted, .phrase("you exceeded your current quota")),
        Rule(.billing, .creditExhausted, .phrase("you have no credits remaining")),
        Rule(.billing, .billingHardLimit, .phrase("billing hard limit has been reached")),
        // 401: "You didn't provide an API key. You need to provide your API key in an Authorization header using
        // Bearer auth (i.e. Authorization: Bearer YOUR_KEY)…" (yihong0618/bilingual_book_maker#137)
        Rule(.auth, .missingKey, .phrase("you didn't provide an api key")),
        Rule(.auth, .invalidKey, .phrase("incorrect api key provided")),
        Rule(.auth, .noOrganization, .phrase("must be a member of an organization")),
        Rule(.auth, .orgMismatch, .phrase("openai-organization header should match")),
        // "This key is associated with a deactivated account." (older, Zero6992/chatGPT-discord-bot#442)
        Rule(.auth, .accountDeactivated, .phrase("associated with this api key has been deactivated")),
        Rule(.auth, .accountDeactivated, .phrase("associated with a deactivated account")),
        Rule(.auth, .invalidIssuer, .phrase("not from a valid issuer")),
        // 401 invalid_request_error, code null: "You have insufficient permissions for this operation. Missing
        // scopes: api.responses.write." (continuedev/continue#10059, microsoft/PowerToys#32989)
        Rule(.auth, .permissionDenied, .phrase("you have insufficient permissions")),
        Rule(.auth, .permissionDenied, .phrase("missing scopes")),
        Rule(.auth, .permissionDenied, .phrase("does not have access to model")),
        Rule(.auth, .regionUnsupported, .phrase("country, region, or territory not supported")),
        Rule(.rateLimit, .requestTooLarge, .phrase("request too large for")),
        Rule(.rateLimit, .requestsLimit, .phrase("rate limit reached for"), .phrase("on requests per")),
        Rule(.rateLimit, .tokensLimit, .phrase("rate limit reached for"), .phrase("on tokens per")),
        // 503, and 429 before 2024: "That model is currently overloaded with other requests." (node-chatgpt-api#34);
        // "The engine is currently overloaded, please try again later" (error-codes guide). A capacity shortage,
        // even when it arrives as a 429 (DOMAIN.md §0.5).
        Rule(.upstream, .overloaded, .phrase("is currently overloaded")),
        // 500 server_error: "The server had an error while processing your request. Sorry about that!"
        // (openai-python#213); also seen as a 429 before 2024.
        Rule(.upstream, .serverError, .phrase("the server had an error while processing your request")),
        Rule(.client, .contextLength, .phrase("maximum context length")),

        // MARK: Generic types, after the sentences that sharpen them

        // 429 type requests / tokens without the rate_limit_exceeded code.
        Rule(.rateLimit, .requestsLimit, .code("requests"), .status([429]), broad: true),
        Rule(.rateLimit, .tokensLimit, .code("tokens"), .status([429]), broad: true),
        // 503 type service_unavailable_error (Dev Proxy docs).
        Rule(.upstream, .overloaded, .code("service_unavailable_error"), broad: true),
        // 500 type server_error (openai-python#213); a 503 server_error says "overloaded" in its message.
        Rule(.upstream, .serverError, .code("server_error"), broad: true),
        // 403 type request_forbidden without a known code.
        Rule(.auth, .permissionDenied, .code("request_forbidden"), .status([403]), broad: true),
        // invalid_request_error is on 400s and 401s alike: only a 400-class status makes it a bad request.
        Rule(.client, .badRequest, .code("invalid_request_error"), .status([400, 422]), broad: true),
    ]
}
