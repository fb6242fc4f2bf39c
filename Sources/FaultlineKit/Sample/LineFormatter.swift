/// Turns one request attempt into one log line of bytes, with no per-line allocation.
struct LineFormatter {
    let world: SampleWorld
    let format: SampleFormat
    private var cachedSecond = Int64.min
    /// `2025-03-10T13:12:00.`: the part of an RFC 3339 time that changes once a second.
    private var isoPrefix = [UInt8](repeating: 0, count: 20)
    /// `10/Mar/2025:13:12:00 +0000`, nginx's `$time_local` in UTC.
    private var clfTime = [UInt8](repeating: 0, count: 26)

    init(world: SampleWorld, format: SampleFormat) {
        self.world = world
        self.format = format
    }

    /// Writes the line and returns the time as logged (access logs keep whole seconds).
    mutating func write(
        _ writer: inout ByteWriter, scratch: inout ByteWriter, time: Int64, request: SampleRequest,
        outcome: SampleOutcome, random: inout SampleRandom
    ) -> Int64 {
        let second = time >= 0 ? time / 1000 : (time - 999) / 1000
        if second != cachedSecond { cacheSecond(second) }
        switch format {
        case .jsonl:
            writeJSON(&writer, scratch: &scratch, millis: Int(time - second * 1000), request, outcome, &random)
            return time
        case .access:
            writeAccess(&writer, request, outcome, &random)
            return second * 1000
        }
    }

    private mutating func cacheSecond(_ second: Int64) {
        cachedSecond = second
        let days = second >= 0 ? second / 86400 : (second - 86399) / 86400
        let secondOfDay = Int(second - days * 86400)
        let (year, month, day) = Timestamp.civilFromDays(Int(days))
        let hour = secondOfDay / 3600
        let minute = secondOfDay / 60 % 60
        let sec = secondOfDay % 60
        isoPrefix.withUnsafeMutableBufferPointer { buffer in
            var writer = ByteWriter(base: buffer.baseAddress!, capacity: buffer.count)
            writer.appendPadded(year, width: 4)
            writer.append(UInt8(ascii: "-"))
            writer.appendPadded(month, width: 2)
            writer.append(UInt8(ascii: "-"))
            writer.appendPadded(day, width: 2)
            writer.append(UInt8(ascii: "T"))
            writer.appendPadded(hour, width: 2)
            writer.append(UInt8(ascii: ":"))
            writer.appendPadded(minute, width: 2)
            writer.append(UInt8(ascii: ":"))
            writer.appendPadded(sec, width: 2)
            writer.append(UInt8(ascii: "."))
        }
        clfTime.withUnsafeMutableBufferPointer { buffer in
            var writer = ByteWriter(base: buffer.baseAddress!, capacity: buffer.count)
            writer.appendPadded(day, width: 2)
            writer.append(UInt8(ascii: "/"))
            writer.append(Fragments.months[month - 1])
            writer.append(UInt8(ascii: "/"))
            writer.appendPadded(year, width: 4)
            writer.append(UInt8(ascii: ":"))
            writer.appendPadded(hour, width: 2)
            writer.append(UInt8(ascii: ":"))
            writer.appendPadded(minute, width: 2)
            writer.append(UInt8(ascii: ":"))
            writer.appendPadded(sec, width: 2)
            writer.append(Fragments.utcOffset)
        }
    }

    // MARK: JSON lines

    private enum Field {
        case time, status, requestID, method, endpoint, model, provider, org, project, host, latency, userAgent
        case headers, error
    }

    /// Field orders of three gateway versions; a host logs in one of them.
    private static let layouts: [[Field]] = [
        [
            .time, .requestID, .status, .method, .endpoint, .model, .provider, .org, .project, .host, .latency,
            .userAgent, .headers, .error,
        ],
        [
            .time, .host, .provider, .model, .endpoint, .method, .status, .latency, .requestID, .org, .userAgent,
            .headers, .error,
        ],
        [
            .time, .status, .latency, .model, .provider, .endpoint, .requestID, .headers, .org, .project, .host,
            .method, .userAgent, .error,
        ],
    ]

    private func writeJSON(
        _ w: inout ByteWriter, scratch: inout ByteWriter, millis: Int, _ request: SampleRequest,
        _ outcome: SampleOutcome, _ random: inout SampleRandom
    ) {
        let layout = request.host % 3
        let key = world.keys[request.key]
        let model = world.models[request.model]
        var wholeBody = false
        if outcome.failure != .none {
            scratch.count = 0
            wholeBody = errorBody(&scratch, request, outcome, key, model)
        }
        // Only the time, always first, has no leading comma in its fragment.
        w.append(UInt8(ascii: "{"))
        for field in Self.layouts[layout] {
            switch field {
            case .time:
                w.append(layout == 1 ? Fragments.timestampKey : Fragments.tsKey)
                w.append(isoPrefix)
                w.appendPadded(millis, width: 3)
                w.append(Fragments.zQuote)
            case .status:
                w.append(layout == 1 ? Fragments.statusCodeKey : Fragments.statusKey)
                w.appendDecimal(outcome.status)
            case .requestID:
                w.append(Fragments.requestIDKey)
                writeRequestID(&w, request, key.provider)
                w.append(UInt8(ascii: "\""))
            case .method: w.append(Fragments.methodPost)
            case .endpoint:
                w.append(Fragments.endpointKey)
                w.append(model.endpoint)
                w.append(UInt8(ascii: "\""))
            case .model:
                w.append(Fragments.modelKey)
                w.append(model.name)
                w.append(UInt8(ascii: "\""))
            case .provider:
                w.append(Fragments.providerKey)
                w.append(Fragments.providers[key.provider.rawValue])
                w.append(UInt8(ascii: "\""))
            case .org:
                guard let org = orgID(request, key) else { continue }
                w.append(Fragments.orgKey)
                w.append(org)
                w.append(UInt8(ascii: "\""))
            case .project:
                guard let project = key.project else { continue }
                w.append(Fragments.projectKey)
                w.append(project)
                w.append(UInt8(ascii: "\""))
            case .host:
                w.append(Fragments.hostKey)
                w.append(world.hosts[request.host])
                w.append(UInt8(ascii: "\""))
            case .latency:
                w.append(Fragments.latencyKey)
                w.appendDecimal(latency(outcome, model, &random))
            case .userAgent:
                w.append(Fragments.userAgentKey)
                w.append(world.userAgents[key.userAgent])
                w.append(UInt8(ascii: "\""))
            case .headers:
                w.append(Fragments.headersKey)
                writeHeaders(&w, request, outcome, key)
            case .error:
                guard outcome.failure != .none else { continue }
                if layout == 1 {
                    w.append(Fragments.responseBodyKey)
                    if !wholeBody { w.appendJSONEscaped(Fragments.errorWrapOpen.withUnsafeBytes { $0 }) }
                    w.appendJSONEscaped(scratch.bytes)
                    if !wholeBody { w.append(UInt8(ascii: "}")) }
                    w.append(UInt8(ascii: "\""))
                } else {
                    w.append(Fragments.errorKey)
                    w.append(scratch.bytes)
                }
            }
        }
        w.append(Fragments.lineEnd)
    }

    private func orgID(_ request: SampleRequest, _ key: SampleKey) -> [UInt8]? {
        if request.wrongOrg, let plan = world.mismatch { return plan.wrongOrg }
        guard let org = key.org else { return nil }
        return world.orgs[org].id
    }

    @inline(__always)
    private func writeRequestID(_ w: inout ByteWriter, _ request: SampleRequest, _ provider: SampleProvider) {
        if provider == .anthropic {
            w.append(Fragments.anthropicRequestPrefix)
            w.appendBase62(request.idHigh, count: 10)
            w.appendBase62(request.idLow, count: 10)
        } else {
            w.append(Fragments.requestPrefix)
            w.appendHex(request.idHigh)
            w.appendHex(request.idLow)
        }
    }

    private func latency(_ outcome: SampleOutcome, _ model: SampleModel, _ random: inout SampleRandom) -> Int {
        switch outcome.status {
        case 200: model.fast ? 30 + random.below(250) : 300 + random.below(2200) + random.below(2200)
        case 401, 404, 429: 12 + random.below(110)
        case 400: 40 + random.below(400)
        default: 80 + random.below(4000)
        }
    }

    private func writeHeaders(
        _ w: inout ByteWriter, _ request: SampleRequest, _ outcome: SampleOutcome, _ key: SampleKey
    ) {
        switch key.provider {
        case .openai:
            switch key.carriage {
            case .header:
                w.append(Fragments.authorizationBearer)
                w.append(key.json)
                w.append(UInt8(ascii: "\""))
                if let org = orgID(request, key) {
                    w.append(Fragments.organizationHeader)
                    w.append(org)
                    w.append(UInt8(ascii: "\""))
                }
                w.append(Fragments.requestIDHeader)
            case .emptyBearer:
                w.append(Fragments.authorizationBearer)
                w.append(UInt8(ascii: "\""))
                w.append(Fragments.requestIDHeader)
            case .absent:
                w.append(Fragments.requestIDHeaderFirst)
            }
        case .anthropic:
            w.append(Fragments.apiKeyAnthropic)
            w.append(key.json)
            w.append(Fragments.anthropicVersion)
            w.append(Fragments.requestIDHeader)
        case .azure:
            w.append(Fragments.apiKeyAzure)
            w.append(key.json)
            w.append(UInt8(ascii: "\""))
            w.append(Fragments.requestIDHeader)
        }
        writeRequestID(&w, request, key.provider)
        w.append(UInt8(ascii: "\""))
        if key.provider == .azure { w.append(Fragments.azureRegion) }
        if outcome.retryAfter > 0 {
            w.append(Fragments.retryAfterHeader)
            w.appendDecimal(outcome.retryAfter)
            w.append(Fragments.resetTokensHeader)
            w.appendDecimal(outcome.tryAgainMillis)
            w.append(Fragments.msQuote)
        }
        w.append(UInt8(ascii: "}"))
    }

    // MARK: Error bodies

    /// Writes the provider's error body into `s`: the inner `error` object for OpenAI and Azure (returns
    /// false), the whole body for Anthropic (returns true), as each provider's gateway logs it.
    private func errorBody(
        _ s: inout ByteWriter, _ request: SampleRequest, _ outcome: SampleOutcome, _ key: SampleKey,
        _ model: SampleModel
    ) -> Bool {
        switch (key.provider, outcome.failure) {
        case (_, .revoked), (_, .placeholder), (_, .malformed):
            s.append(Fragments.messageOpen)
            s.append(Fragments.incorrectKey)
            s.append(key.masked)
            s.append(Fragments.incorrectKeyTail)
            s.append(Fragments.invalidAPIKeyEnd)
        case (_, .missing):
            s.append(Fragments.messageOpen)
            s.append(Fragments.noKeyMessage)
            s.append(Fragments.invalidRequestNullCodeEnd)
        case (_, .mismatch):
            s.append(Fragments.messageOpen)
            s.append(Fragments.mismatchMessage)
            s.append(Fragments.mismatchEnd)
        case (_, .quota):
            s.append(Fragments.messageOpen)
            s.append(Fragments.quotaMessage)
            s.append(Fragments.quotaEnd)
        case (_, .storm):
            s.append(Fragments.messageOpen)
            s.append(Fragments.tpmOpen)
            s.append(model.name)
            s.append(Fragments.tpmOrganization)
            if let org = key.org { s.append(world.orgs[org].id) }
            s.append(Fragments.tpmLimit)
            s.appendDecimal(30000 - outcome.tryAgainMillis % 600)
            s.append(Fragments.tpmRequested)
            s.appendDecimal(200 + outcome.tryAgainMillis % 3000)
            s.append(Fragments.tpmTryAgain)
            s.appendDecimal(outcome.tryAgainMillis)
            s.append(Fragments.tpmTail)
            s.append(Fragments.tpmEnd)
        case (.anthropic, _):
            s.append(Fragments.anthropicOpen)
            switch outcome.failure {
            case .noiseContext:
                s.append(Fragments.anthropicPromptTooLong)
                s.appendDecimal(200_001 + Int(request.idLow % 40_000))
                s.append(Fragments.anthropicPromptTooLongTail)
            case .noiseBadRequest: s.append(Fragments.anthropicBadRequest)
            case .noiseNotFound: s.append(Fragments.anthropicNotFound)
            default: s.append(outcome.status == 529 ? Fragments.anthropicOverloaded : Fragments.anthropicAPIError)
            }
            s.append(Fragments.anthropicRequestID)
            writeRequestID(&s, request, .anthropic)
            s.append(Fragments.quoteBrace)
            return true
        case (.azure, _):
            switch outcome.failure {
            case .noiseContext:
                s.append(Fragments.azureContextOpen)
                s.appendDecimal(16_386 + Int(request.idLow % 4_000))
                s.append(Fragments.azureContextTail)
            case .noiseBadRequest: s.append(Fragments.azureBadRequest)
            case .noiseNotFound: s.append(Fragments.azureNotFound)
            default: s.append(outcome.status == 503 ? Fragments.azureUnavailable : Fragments.azureServerError)
            }
        case (.openai, _):
            switch outcome.failure {
            case .noiseContext:
                s.append(Fragments.messageOpen)
                s.append(Fragments.contextOpen)
                s.appendDecimal(128_001 + Int(request.idLow % 20_000))
                s.append(Fragments.contextTail)
            case .noiseBadRequest: s.append(Fragments.openAIBadRequest)
            case .noiseNotFound: s.append(Fragments.openAINotFound)
            default:
                switch outcome.status {
                case 502: s.append(Fragments.openAIBadGateway)
                case 503 where outcome.failure == .degraded:
                    s.append(Fragments.messageOpen)
                    s.append(Fragments.modelOverloaded)
                    writeRequestID(&s, request, .openai)
                    s.append(Fragments.modelOverloadedEnd)
                case 503: s.append(Fragments.openAIServerOverloaded)
                default:
                    s.append(Fragments.messageOpen)
                    s.append(Fragments.serverErrorMessage)
                    writeRequestID(&s, request, .openai)
                    s.append(Fragments.serverErrorEnd)
                }
            }
        }
        return false
    }

    // MARK: Access log

    private func writeAccess(
        _ w: inout ByteWriter, _ request: SampleRequest, _ outcome: SampleOutcome, _ random: inout SampleRandom
    ) {
        let key = world.keys[request.key]
        let model = world.models[request.model]
        let status = outcome.status
        let millis = latency(outcome, model, &random)
        let bodyBytes =
            status == 200
            ? (model.fast ? 9000 + random.below(30000) : 300 + random.below(3500))
            : 120 + random.below(300)
        w.append(key.clientIP)
        w.append(Fragments.clfOpen)
        w.append(clfTime)
        w.append(Fragments.clfRequestOpen)
        w.append(model.endpoint)
        w.append(model.query)
        w.append(Fragments.httpVersionClose)
        w.appendDecimal(status)
        w.append(UInt8(ascii: " "))
        w.appendDecimal(bodyBytes)
        w.append(Fragments.refererOpen)
        w.append(world.userAgents[key.userAgent])
        w.append(Fragments.quoteSpace)
        w.appendDecimal(250 + random.below(6000))
        w.append(UInt8(ascii: " "))
        w.appendSeconds(millis: millis)
        w.append(Fragments.upstreamNames[key.provider.rawValue])
        let upstream = random.below(world.upstreamAddrs.count)
        if status == 503 && outcome.failure == .outage && random.chance(0.4) {
            // ingress-nginx answered itself: no endpoints, so no upstream fields.
            w.append(Fragments.noUpstream)
        } else if status == 502 && random.chance(0.5) {
            let other = (upstream + 1) % world.upstreamAddrs.count
            let firstTry = min(millis / 2, 2 + random.below(40))
            w.append(world.upstreamAddrs[upstream])
            w.append(Fragments.commaSpace)
            w.append(world.upstreamAddrs[other])
            w.append(Fragments.zeroZero)
            w.appendSeconds(millis: firstTry)
            w.append(Fragments.commaSpace)
            w.appendSeconds(millis: max(0, millis - firstTry - 1))
            w.append(UInt8(ascii: " "))
            w.appendDecimal(status)
            w.append(Fragments.commaSpace)
            w.appendDecimal(status)
        } else {
            w.append(world.upstreamAddrs[upstream])
            w.append(UInt8(ascii: " "))
            w.appendDecimal(bodyBytes)
            w.append(UInt8(ascii: " "))
            w.appendSeconds(millis: max(0, millis - 1 - random.below(3)))
            w.append(UInt8(ascii: " "))
            w.appendDecimal(status)
        }
        w.append(UInt8(ascii: " "))
        w.appendHex(random.next())
        w.appendHex(random.next())
        w.append(UInt8(ascii: "\n"))
    }
}

/// Every constant piece of a line, as bytes made once.
enum Fragments {
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].map {
        Array($0.utf8)
    }
    static let utcOffset = bytes(" +0000")
    static let providers = [SampleProvider.openai.name, SampleProvider.anthropic.name, SampleProvider.azure.name]

    static let tsKey = bytes(#""ts":""#)
    static let timestampKey = bytes(#""timestamp":""#)
    static let zQuote = bytes(#"Z""#)
    static let statusKey = bytes(#","status":"#)
    static let statusCodeKey = bytes(#","status_code":"#)
    static let requestIDKey = bytes(#","request_id":""#)
    static let methodPost = bytes(#","method":"POST""#)
    static let endpointKey = bytes(#","endpoint":""#)
    static let modelKey = bytes(#","model":""#)
    static let providerKey = bytes(#","provider":""#)
    static let orgKey = bytes(#","org":""#)
    static let projectKey = bytes(#","project":""#)
    static let hostKey = bytes(#","host":""#)
    static let latencyKey = bytes(#","latency_ms":"#)
    static let userAgentKey = bytes(#","user_agent":""#)
    static let headersKey = bytes(#","headers":"#)
    static let errorKey = bytes(#","error":"#)
    static let responseBodyKey = bytes(#","response_body":""#)
    static let errorWrapOpen = bytes(#"{"error":"#)
    static let lineEnd = bytes("}\n")
    static let requestPrefix = bytes("req_")
    static let anthropicRequestPrefix = bytes("req_011C")

    static let authorizationBearer = bytes(#"{"authorization":"Bearer "#)
    static let organizationHeader = bytes(#","openai-organization":""#)
    static let requestIDHeader = bytes(#","x-request-id":""#)
    static let requestIDHeaderFirst = bytes(#"{"x-request-id":""#)
    static let apiKeyAnthropic = bytes(#"{"x-api-key":""#)
    static let anthropicVersion = bytes(#"","anthropic-version":"2023-06-01""#)
    static let apiKeyAzure = bytes(#"{"api-key":""#)
    static let azureRegion = bytes(#","x-ms-region":"East US 2""#)
    static let retryAfterHeader = bytes(#","retry-after":""#)
    static let resetTokensHeader = bytes(#"","x-ratelimit-reset-tokens":""#)
    static let msQuote = bytes(#"ms""#)

    static let messageOpen = bytes(#"{"message":""#)
    static let incorrectKey = bytes("Incorrect API key provided: ")
    static let incorrectKeyTail = bytes(". You can find your API key at https://platform.openai.com/account/api-keys.")
    static let invalidAPIKeyEnd = bytes(#"","type":"invalid_request_error","param":null,"code":"invalid_api_key"}"#)
    static let noKeyMessage = bytes(
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer "
            + "auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're "
            + "accessing the API from your browser and are prompted for a username and password. You can obtain an "
            + "API key from https://platform.openai.com/account/api-keys.")
    static let invalidRequestNullCodeEnd = bytes(#"","type":"invalid_request_error","param":null,"code":null}"#)
    static let mismatchMessage = bytes("OpenAI-Organization header should match organization for API key")
    static let mismatchEnd = bytes(
        #"","type":"invalid_request_error","param":null,"code":"mismatched_organization"}"#)
    static let quotaMessage = bytes(
        "You exceeded your current quota, please check your plan and billing details. For more information on "
            + "this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.")
    static let quotaEnd = bytes(#"","type":"insufficient_quota","param":null,"code":"insufficient_quota"}"#)
    static let tpmOpen = bytes("Rate limit reached for ")
    static let tpmOrganization = bytes(" in organization ")
    static let tpmLimit = bytes(" on tokens per min (TPM): Limit 30000, Used ")
    static let tpmRequested = bytes(", Requested ")
    static let tpmTryAgain = bytes(". Please try again in ")
    static let tpmTail = bytes("ms. Visit https://platform.openai.com/account/rate-limits to learn more.")
    static let tpmEnd = bytes(#"","type":"tokens","param":null,"code":"rate_limit_exceeded"}"#)
    static let contextOpen = bytes(
        "This model's maximum context length is 128000 tokens. However, your messages resulted in ")
    static let contextTail = bytes(
        #" tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","#
            + #""code":"context_length_exceeded"}"#
    )
    static let openAIBadRequest = bytes(
        #"{"message":"'messages' must contain the word 'json' in some form, to use 'response_format' of type "#
            + #"'json_object'.","type":"invalid_request_error","param":"messages","code":null}"#
    )
    static let openAINotFound = bytes(
        #"{"message":"The model `gpt-4-32k` does not exist or you do not have access to it.","#
            + #""type":"invalid_request_error","param":null,"code":"model_not_found"}"#
    )
    static let openAIBadGateway = bytes(#"{"code":502,"message":"Bad gateway.","param":null,"type":"cf_bad_gateway"}"#)
    static let openAIServerOverloaded = bytes(
        #"{"message":"The server is overloaded or not ready yet.","type":"service_unavailable_error","param":null,"#
            + #""code":"server_is_overloaded"}"#
    )
    static let modelOverloaded = bytes(
        "That model is currently overloaded with other requests. You can retry your request, or contact us "
            + "through our help center at help.openai.com if the error persists. (Please include the request ID ")
    static let modelOverloadedEnd = bytes(#" in your message.)","type":"server_error","param":null,"code":null}"#)
    static let serverErrorMessage = bytes(
        "The server had an error while processing your request. Sorry about that! You can retry your request, "
            + "or contact us through our help center at help.openai.com if the error persists. (Please include the "
            + "request ID ")
    static let serverErrorEnd = modelOverloadedEnd

    static let anthropicOpen = bytes(#"{"type":"error","error":{"type":""#)
    static let anthropicPromptTooLong = bytes(#"invalid_request_error","message":"prompt is too long: "#)
    static let anthropicPromptTooLongTail = bytes(#" tokens > 200000 maximum"#)
    static let anthropicBadRequest = bytes(
        #"invalid_request_error","message":"messages: roles must alternate between \"user\" and \"assistant\", "#
            + #"but found multiple \"user\" roles in a row"#
    )
    static let anthropicNotFound = bytes(#"not_found_error","message":"model: claude-3-opus-latest"#)
    static let anthropicOverloaded = bytes(#"overloaded_error","message":"Overloaded"#)
    static let anthropicAPIError = bytes(#"api_error","message":"Internal server error"#)
    static let anthropicRequestID = bytes(#""},"request_id":""#)
    static let quoteBrace = bytes(#""}"#)

    static let azureContextOpen = bytes(
        #"{"code":"context_length_exceeded","message":"This model's maximum context length is 16385 tokens. "#
            + #"However, your messages resulted in "#
    )
    static let azureContextTail = bytes(
        #" tokens. Please reduce the length of the messages.","param":"messages","type":"invalid_request_error"}"#)
    static let azureBadRequest = bytes(
        #"{"code":"BadRequest","message":"Unsupported data type\n","param":null,"type":"invalid_request_error"}"#)
    static let azureNotFound = bytes(
        #"{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist. If you "#
            + #"created the deployment within the last 5 minutes, please wait a moment and try again."}"#
    )
    static let azureUnavailable = bytes(
        #"{"code":"ServiceUnavailable","message":"The service is temporarily unable to process your request. "#
            + #"Please try again later."}"#
    )
    static let azureServerError = bytes(
        #"{"code":"InternalServerError","message":"The server had an error while processing your request. Sorry "#
            + #"about that!"}"#
    )

    static let clfOpen = bytes(" - - [")
    static let clfRequestOpen = bytes(#"] "POST "#)
    static let httpVersionClose = bytes(#" HTTP/1.1" "#)
    static let refererOpen = bytes(#" "-" ""#)
    static let quoteSpace = bytes(#"" "#)
    static let upstreamNames = [
        bytes(" [llm-gateway-openai-443] [] "), bytes(" [llm-gateway-anthropic-443] [] "),
        bytes(" [llm-gateway-azure-openai-443] [] "),
    ]
    static let noUpstream = bytes("- - - -")
    static let commaSpace = bytes(", ")
    static let zeroZero = bytes(" 0, 0 ")

    private static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
}
