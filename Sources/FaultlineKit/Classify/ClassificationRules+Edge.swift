extension ClassificationRules {
    /// Proxies in front of the providers (Envoy, Cloudflare, AWS ALB, nginx) and the bare statuses (DOMAIN.md §6).
    ///
    /// These rules know only a status or a flag, so their evidence is `statusOnly`.
    static let edge: [Rule] = [
        // MARK: Envoy response flags (envoy access_log docs; beats envoy.log "0 UF,URX"). A flag names the
        // failure more exactly than the status it came with.

        // DC: the downstream (client) connection terminated.
        Rule(.client, .clientClosed, .flag("DC")),
        // UF: upstream connection failure; UH: no healthy upstream; URX: retry limit exceeded; UR/UC/LR: resets
        // and terminations (all 503).
        Rule(.upstream, .connectionFailure, .flag("UF")),
        Rule(.upstream, .connectionFailure, .flag("UH")),
        Rule(.upstream, .connectionFailure, .flag("URX")),
        Rule(.upstream, .connectionFailure, .flag("UR")),
        Rule(.upstream, .connectionFailure, .flag("UC")),
        Rule(.upstream, .connectionFailure, .flag("LR")),
        // UT: upstream request timeout (504).
        Rule(.upstream, .gatewayTimeout, .flag("UT")),
        // UO: upstream overflow, the circuit breaker (503).
        Rule(.upstream, .overloaded, .flag("UO")),
        // RL: Envoy's local rate limit, a token bucket of requests (429).
        Rule(.rateLimit, .requestsLimit, .flag("RL")),
        // NR: no route for the request (404).
        Rule(.client, .notFound, .flag("NR")),

        // MARK: Client went away: Envoy 0, nginx 499, ALB 460.

        Rule(.client, .clientClosed, .status([0, 460, 499])),

        // MARK: ALB: elb_status_code 502/503/504 with target_status_code "-" and "-1 -1 -1" timings: the
        // target never answered (a public sample).

        Rule(.upstream, .gatewayTimeout, .status([504]), .unanswered),
        Rule(.upstream, .connectionFailure, .status([502, 503]), .unanswered),

        // MARK: Cloudflare 52x (LiteLLM treats 520 and 524 as server errors).

        // 520 "Web server is returning an unknown error": the origin answered with nonsense.
        Rule(.upstream, .badGateway, .status([520])),
        // 521 web server down, 522 connection timed out, 523 origin unreachable, 525 TLS handshake failed,
        // 526 invalid origin certificate: Cloudflare never reached the origin.
        Rule(.upstream, .connectionFailure, .status([521, 522, 523, 525, 526])),
        // 524 "A timeout occurred": the origin took longer than 100 s.
        Rule(.upstream, .gatewayTimeout, .status([524])),

        // MARK: Bare statuses

        // Anthropic 529 overloaded_error without its body.
        Rule(.upstream, .overloaded, .status([529])),
        // 504, and 408, which LiteLLM maps to Timeout like 504; nginx answers 504 at proxy_read_timeout (60 s).
        Rule(.upstream, .gatewayTimeout, .status([408, 504])),
        Rule(.upstream, .badGateway, .status([502])),
        // A bare 503 says nothing about load; only the overloaded wording or UNAVAILABLE does (rules above).
        Rule(.upstream, .serverError, .statusRange(500...599)),
        // A bare 429 is not a confident rate limit: the billing stops share it (DOMAIN.md §0.1).
        Rule(.rateLimit, .unknown, .status([429])),
        Rule(.rateLimit, .requestTooLarge, .status([413])),
        Rule(.billing, .paymentRequired, .status([402])),
        // A bare 401: the key's shape may say more (Classifier); otherwise unknown.
        Rule(.auth, .unknown, .status([401])),
        // A bare 403 could be a model permission, a geo-block, a WAF or an APIM quota (DOMAIN.md §4).
        Rule(.auth, .unknown, .status([403])),
        Rule(.client, .notFound, .status([404])),
        Rule(.client, .badRequest, .status([400, 422])),
        Rule(.client, .unknown, .statusRange(400...499)),
    ]
}
