/// The sentence and next steps for each cause, drawn from DOMAIN.md: a table to read and extend.
enum Advice {
    static func steps(for cause: Cause, category: Category) -> [String] {
        switch cause {
        case .missingKey:
            return [
                "Check that the client sets the key: the environment variable's exact name (OPENAI_API_KEY) in this deployment.",
                "If only one host or path is affected, check proxies in between: some strip the Authorization header.",
            ]
        case .placeholderKey:
            return [
                "Replace the template value with a real key in the affected deployment's secrets.",
                "Add a start-up check that refuses template values (YOUR_API_KEY, ${OPENAI_API_KEY}, <your key>).",
            ]
        case .malformedKey:
            return [
                "Strip whitespace, newlines and quotes from the key where it is loaded (Windows `set VAR=\"sk-...\"` keeps the quotes).",
                "Check the header is `Authorization: Bearer <key>` with one Bearer.",
            ]
        case .invalidKey:
            return [
                "Check the key exists and belongs to this account and environment (not a dev key in production).",
                "Compare the key hint with the keys listed on the provider's API keys page.",
            ]
        case .revokedKey:
            return [
                "The key stopped working at the time shown: check whether it was revoked, rotated or deleted then.",
                "Deploy the current key everywhere the old one is still used; the key hint tells which one.",
            ]
        case .orgMismatch:
            return [
                "Make the OpenAI-Organization header match the key's organization, or drop the header."
            ]
        case .noOrganization, .accountDeactivated:
            return [
                "Check the account and its organization membership on the provider's dashboard; contact support with the request IDs."
            ]
        case .invalidIssuer:
            return [
                "A token from another service (a JWT) was sent as the API key: check which secret is mapped to the key variable."
            ]
        case .ipNotAuthorized:
            return ["Add the caller's egress IP to the project's IP allowlist, or call from an allowed network."]
        case .permissionDenied:
            return ["Give the key's project access to the model or the missing scopes, or use a key that has them."]
        case .regionUnsupported:
            return [
                "Requests come from a country or region the provider does not serve: route them through a supported region."
            ]
        case .leakedKey:
            return [
                "The provider disabled the key as leaked: create a new key, deploy it, and remove the old one from the code or logs that exposed it."
            ]
        case .requestsLimit, .tokensLimit, .slowDown:
            return [
                "Honour retry-after and back off exponentially with jitter; cap concurrency per key.",
                "If this recurs at the same hours, request a higher limit or spread the load over time.",
            ]
        case .requestTooLarge:
            return [
                "Reduce the input or max_tokens: a request larger than the per-minute token limit can never succeed by retrying."
            ]
        case .quotaExhausted, .creditExhausted, .spendLimit, .billingHardLimit, .paymentRequired:
            return [
                "Check the organization's billing: plan, credit balance, spend limits and payment method.",
                "Retrying cannot help until billing is fixed: stop retries on these errors (they are not rate limits).",
            ]
        case .budgetExceeded:
            return [
                "The gateway's own budget for this key or team ran out: raise it in the gateway (LiteLLM) or wait for its reset."
            ]
        case .serverError, .badGateway, .overloaded, .gatewayTimeout, .connectionFailure:
            return [
                "Check the provider's status page for the same minutes; keep the request IDs for their support.",
                "Retry with backoff, and fail over to another model or region if the outage lasts.",
            ]
        case .badRequest, .notFound, .contextLength:
            return [
                "Check the requests the client sends (model name, path, parameters); these fail the same way every time."
            ]
        case .clientClosed:
            return ["Clients gave up before the response: check client timeouts against the provider's latency."]
        case .none, .unknown:
            switch category {
            case .auth:
                return ["Check the key and organization the client sends; the provider's message below says more."]
            case .rateLimit: return ["Back off and honour retry-after."]
            case .billing: return ["Check the organization's billing and quota."]
            case .upstream: return ["Check the provider's status page for the same minutes."]
            default: return ["Inspect the requests behind the sample request IDs."]
            }
        }
    }

    static func explain(_ incident: inout Incident, summary: Summary, offsetSeconds: Int) {
        func time(_ millis: Int64) -> String { Timestamp.format(millis, offsetSeconds: offsetSeconds) }
        let scope: String
        switch incident.scope.kind {
        case "key": scope = incident.scope.value == "none" ? "requests without a key" : "key \(incident.scope.value)"
        case "org": scope = "org \(incident.scope.value)"
        case "model": scope = "model \(incident.scope.value)"
        case "endpoint":
            scope =
                incident.cause == .missingKey
                ? "requests without a key to \(incident.scope.value)" : "endpoint \(incident.scope.value)"
        case "host":
            scope =
                incident.cause == .missingKey
                ? "requests without a key from host \(incident.scope.value)" : "host \(incident.scope.value)"
        default: scope = incident.cause == .missingKey ? "requests without a key" : "all traffic"
        }
        let when =
            incident.ongoing
            ? "since \(time(incident.start)), still failing at the end of the log"
            : "from \(time(incident.start)) to \(time(incident.end))"
        let what: String
        switch incident.cause {
        case .revokedKey: what = "stopped working (revoked or rotated): it succeeded before, then only 401s"
        case .invalidKey: what = "was refused as invalid and never succeeded"
        case .placeholderKey: what = "is a placeholder, not a real key"
        case .malformedKey: what = "is malformed (whitespace, quotes or a wrong prefix)"
        case .missingKey: what = "were refused: no API key was sent"
        case .orgMismatch: what = "was used with an organization it does not belong to"
        case .quotaExhausted: what = "ran out of quota (429 insufficient_quota: billing, not a rate limit)"
        case .creditExhausted: what = "ran out of credit"
        case .spendLimit: what = "hit its spend or usage limit"
        case .billingHardLimit: what = "hit its billing hard limit"
        case .paymentRequired: what = "was refused for billing or payment"
        case .budgetExceeded: what = "exceeded the gateway's budget"
        case .requestsLimit: what = "was rate limited on requests per minute"
        case .tokensLimit: what = "was rate limited on tokens per minute"
        case .requestTooLarge: what = "sent requests too large for the token limit"
        case .slowDown: what = "was told to slow down (traffic grew too fast)"
        case .serverError: what = "got provider server errors (5xx)"
        case .badGateway: what = "got bad gateway errors"
        case .overloaded: what = "got overloaded errors from the provider"
        case .gatewayTimeout: what = "timed out upstream"
        case .connectionFailure: what = "could not reach the upstream"
        default: what = "failed with \(incident.category.rawValue)/\(incident.cause.rawValue)"
        }
        var sentence =
            "\(scope.prefix(1).uppercased() + scope.dropFirst()) \(what), \(when): \(incident.failures) failures"
        if let recovered = incident.recoveredAt { sentence += "; recovered at \(time(recovered))" }
        incident.summary = sentence + "."
        incident.nextSteps = steps(for: incident.cause, category: incident.category)
        if incident.evidence == .statusOnly {
            incident.ruledOut.append("classified from the HTTP status alone: the log held no error code or message")
        }
        if incident.category == .billing {
            incident.ruledOut.append("not a rate limit: the error code says the quota or billing stopped the requests")
        }
    }
}
