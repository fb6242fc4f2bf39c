extension ClassificationRules {
    /// Azure OpenAI and API Management sentences (DOMAIN.md §4). Azure's `code` is only the status as a string
    /// ("401", "429"), so the message carries the evidence.
    static let azure: [Rule] = [
        // 401 (code "401" or "Unauthorized"): "Access denied due to invalid subscription key or wrong API
        // endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API
        // endpoint for your resource." (SciSharp/BotSharp#386; vercel/chatbot#588)
        Rule(.auth, .invalidKey, .phrase("access denied due to invalid subscription key")),
        // 401 (APIM): "Access denied due to missing subscription key. Make sure to include subscription key when
        // making requests to an API." (microsoft/MCW-App-modernization#44)
        Rule(.auth, .missingKey, .phrase("access denied due to missing subscription key")),
        // 429: "The system is currently experiencing high demand and cannot process your request. … Please
        // retry after 20 seconds." A capacity shortage, not the caller's rate (pollinations#6260).
        Rule(.upstream, .overloaded, .phrase("currently experiencing high demand")),
        // 429: "Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2023-05-15 have
        // exceeded token rate limit of your current AIServices S0 pricing tier. Please retry after 86400
        // seconds." A wait of an hour or more is a daily quota (jasonacox/TinyLLM#17).
        Rule(.billing, .quotaExhausted, .phrase("token rate limit"), .retryAfterAtLeast(seconds: 3600)),
        // 429: "Your requests to gpt-5.1 for gpt-5.1 in East US 2 have exceeded the token rate limit for your
        // current AIServices S0 pricing tier. … Please retry after 60 seconds." (dyad-sh/dyad#1849)
        Rule(.rateLimit, .tokensLimit, .phrase("token rate limit")),
        // 429: "... have exceeded call rate limit of your current OpenAI S0 pricing tier." Azure's
        // requests-per-minute sibling of the sentence above (Azure's wording, not in DOMAIN.md).
        Rule(.billing, .quotaExhausted, .phrase("call rate limit"), .retryAfterAtLeast(seconds: 3600)),
        Rule(.rateLimit, .requestsLimit, .phrase("call rate limit")),
        // 404 DeploymentNotFound: "The API deployment for this resource does not exist." (Azure's code, not in
        // DOMAIN.md)
        Rule(.client, .notFound, .code("deploymentnotfound")),
        // 503 `{"error":{"code":"ServiceUnavailable","message":"The service is temporarily unable to process your
        // request. Please try again later."}}`: Azure's capacity refusal, the 503 sibling of "high demand" (Azure's
        // code, not in DOMAIN.md).
        Rule(.upstream, .overloaded, .code("serviceunavailable")),
    ]
}
