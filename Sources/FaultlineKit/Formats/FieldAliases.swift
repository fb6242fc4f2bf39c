/// Where each record field is looked for in JSON lines, in the order tried (REPORT.md, "Where fields are found").
///
/// A path is a list of object keys; arrays on the way are transparent (every element is searched),
/// key names match in any ASCII case, and a string value that holds JSON is searched as if it were
/// the object itself (gateways log bodies as strings). `faultline formats` prints this table.
public enum FieldAliases {
    /// How a found value is turned into the record's value.
    public enum Transform: Sendable {
        /// Kept as it is.
        case none
        /// An `Authorization` header: the scheme word (`Bearer `) is removed.
        case authorization
        /// A key the log already hashed (LiteLLM).
        case hashedKey
        /// A duration in seconds, for `latency` and `retry_after`.
        case seconds
        /// A duration in milliseconds.
        case milliseconds
        /// A duration in nanoseconds (OpenTelemetry).
        case nanoseconds
    }

    /// One place a field may be found.
    public struct Alias: Sendable {
        /// The field filled.
        public var field: RecordField
        /// The keys leading to the value.
        public var path: [String]
        /// How the value is read.
        public var transform: Transform

        init(_ field: RecordField, _ path: [String], _ transform: Transform = .none) {
            self.field = field
            self.path = path
            self.transform = transform
        }

        /// The path as `a.b.c`, with segments that hold dots in quotes.
        public var dotted: String {
            path.map { $0.contains(".") ? "\"\($0)\"" : $0 }.joined(separator: ".")
        }
    }

    private static func a(_ field: RecordField, _ dotted: String, _ transform: Transform = .none) -> Alias {
        Alias(field, dotted.split(separator: ".").map(String.init), transform)
    }

    /// Top-level aliases, tried in this order within each field.
    public static let builtIn: [Alias] = [
        // time
        a(.time, "ts"), a(.time, "timestamp"), a(.time, "time"), a(.time, "@timestamp"), a(.time, "startTime"),
        a(.time, "start_time"), a(.time, "request_created_at"), a(.time, "EdgeStartTimestamp"),
        a(.time, "created_at"), a(.time, "datetime"), a(.time, "date"), a(.time, "time_local"),
        a(.time, "time_iso8601"), a(.time, "startTimeUnixNano"),
        // status
        a(.status, "status"), a(.status, "status_code"), a(.status, "http_status"), a(.status, "response.status"),
        a(.status, "response.status_code"), a(.status, "http.response.status_code"), a(.status, "response_status"),
        a(.status, "EdgeResponseStatus"), a(.status, "statusCode"), a(.status, "http_status_code"),
        a(.status, "response.statusCode"), a(.status, "elb_status_code"),
        Alias(.status, ["attributes", "http.response.status_code"]),
        Alias(.status, ["http.response.status_code"]), Alias(.status, ["http.status_code"]),
        a(.status, "error_information.error_code"),
        // request id
        a(.requestID, "request_id"), a(.requestID, "headers.x-request-id"),
        a(.requestID, "response.headers.x-request-id"), a(.requestID, "x-request-id"), a(.requestID, "req_id"),
        a(.requestID, "requestId"), a(.requestID, "headers.request-id"), a(.requestID, "response.headers.request-id"),
        a(.requestID, "response_headers.x-request-id"), a(.requestID, "headers.apim-request-id"),
        a(.requestID, "x_request_id"), a(.requestID, "RayID"), a(.requestID, "id"),
        // key
        a(.key, "api_key"), a(.key, "headers.authorization", .authorization), a(.key, "headers.x-api-key"),
        a(.key, "headers.api-key"), a(.key, "headers.x-goog-api-key"), a(.key, "key"),
        a(.key, "metadata.user_api_key_hash", .hashedKey), a(.key, "request.headers.authorization", .authorization),
        a(.key, "request_headers.authorization", .authorization), a(.key, "request.headers.x-api-key"),
        a(.key, "authorization", .authorization), a(.key, "http_authorization", .authorization),
        a(.key, "x-api-key"), a(.key, "user_api_key_hash", .hashedKey), a(.key, "user_api_key", .hashedKey),
        // org
        a(.org, "org"), a(.org, "organization"), a(.org, "org_id"), a(.org, "organization_id"),
        a(.org, "headers.openai-organization"), a(.org, "metadata.user_api_key_org_id"),
        a(.org, "response.headers.openai-organization"), a(.org, "response_headers.openai-organization"),
        a(.org, "headers.anthropic-organization-id"), a(.org, "response.headers.anthropic-organization-id"),
        a(.org, "openai_organization"),
        // project
        a(.project, "project"), a(.project, "project_id"), a(.project, "headers.openai-project"),
        a(.project, "response.headers.openai-project"), a(.project, "metadata.user_api_key_team_id"),
        a(.project, "team_id"),
        // model
        a(.model, "model"), a(.model, "request.model"), a(.model, "request_model"), a(.model, "model_group"),
        a(.model, "response_model"), a(.model, "request.body.model"), a(.model, "body.model"),
        Alias(.model, ["attributes", "gen_ai.request.model"]), Alias(.model, ["gen_ai.request.model"]),
        a(.model, "litellm_model_name"), a(.model, "deployment"),
        // endpoint
        a(.endpoint, "endpoint"), a(.endpoint, "path"), a(.endpoint, "request_path"), a(.endpoint, "request.path"),
        a(.endpoint, "api_route"), a(.endpoint, "ClientRequestPath"), Alias(.endpoint, ["url.path"]),
        Alias(.endpoint, ["http.target"]), Alias(.endpoint, ["http.route"]), a(.endpoint, "route"),
        a(.endpoint, "uri"),
        // url
        a(.url, "url"), a(.url, "request_url"), a(.url, "request_uri"), a(.url, "request.url"),
        a(.url, "ClientRequestURI"), Alias(.url, ["url.full"]), a(.url, "api_base"), a(.url, "request"),
        // method
        a(.method, "method"), a(.method, "request_method"), a(.method, "request.method"),
        a(.method, "ClientRequestMethod"), Alias(.method, ["http.request.method"]), Alias(.method, ["http.method"]),
        // retry-after
        a(.retryAfter, "headers.retry-after", .seconds), a(.retryAfter, "response.headers.retry-after", .seconds),
        a(.retryAfter, "response_headers.retry-after", .seconds), a(.retryAfter, "retry_after", .seconds),
        a(.retryAfter, "retry-after", .seconds), a(.retryAfter, "headers.retry-after-ms", .milliseconds),
        a(.retryAfter, "response.headers.retry-after-ms", .milliseconds),
        a(.retryAfter, "retry_after_ms", .milliseconds),
        // latency
        a(.latency, "latency_ms", .milliseconds), a(.latency, "duration_ms", .milliseconds),
        a(.latency, "request_duration_ms", .milliseconds), a(.latency, "elapsed_ms", .milliseconds),
        a(.latency, "delay_ms", .milliseconds), a(.latency, "response_time_ms", .milliseconds),
        a(.latency, "request_time", .seconds), a(.latency, "latency", .seconds), a(.latency, "duration", .seconds),
        a(.latency, "upstream_response_time", .seconds),
        // user agent
        a(.userAgent, "user_agent"), a(.userAgent, "headers.user-agent"),
        a(.userAgent, "request.headers.user-agent"), a(.userAgent, "http_user_agent"), a(.userAgent, "userAgent"),
        a(.userAgent, "ClientRequestUserAgent"), Alias(.userAgent, ["user_agent.original"]),
        Alias(.userAgent, ["http.user_agent"]), a(.userAgent, "user-agent"),
        // host
        a(.host, "host"), a(.host, "hostname"), a(.host, "pod"), a(.host, "kubernetes.pod_name"),
        a(.host, "kubernetes.pod.name"), a(.host, "ClientRequestHost"), Alias(.host, ["server.address"]),
        a(.host, "server_name"), a(.host, "instance"),
        // provider
        a(.provider, "provider"), a(.provider, "custom_llm_provider"), Alias(.provider, ["gen_ai.provider.name"]),
        Alias(.provider, ["gen_ai.system"]), Alias(.provider, ["attributes", "gen_ai.system"]),
        // proxies
        a(.responseFlags, "response_flags"), a(.upstreamStatus, "upstream_status"),
        a(.upstreamStatus, "OriginResponseStatus"), a(.upstreamStatus, "target_status_code"),
        // error text outside an error object
        a(.errorMessage, "error_message"), a(.errorMessage, "exception_string"), a(.errorMessage, "error_str"),
        a(.errorMessage, "errorMessage"), a(.errorType, "exception_type"), a(.errorType, "error_type"),
        a(.errorCode, "error_code"),
    ]

    /// Keys whose value is an error body: an object, a string holding JSON, a Python-repr dict or text.
    public static let errorBodies: [[String]] = [
        ["error"], ["response", "error"], ["response", "body"], ["response", "body", "error"], ["response_body"],
        ["body"], ["error_body"], ["error_information"], ["response", "error_body"], ["errors"],
        ["response_error"],
    ]

    /// Inside an error body: where its parts are (DOMAIN.md section 1, every provider's shape).
    public static let errorBodyFields: [Alias] = [
        a(.errorMessage, "message"), a(.errorType, "type"), a(.errorCode, "code"), a(.errorType, "status"),
        a(.errorReason, "reason"), a(.errorReason, "details.reason"), a(.quotaID, "details.violations.quotaId"),
        a(.errorReason, "errors.reason"), a(.errorMessage, "error_message"), a(.errorCode, "error_code"),
        a(.errorType, "error_class"), a(.errorMessage, "detail"), a(.requestID, "request_id"),
    ]

    /// Keys whose string value is a whole log line of another format (Kubernetes and Docker wrappers).
    public static let wrappedLines: [String] = ["log", "message", "msg"]
}

extension FieldAliases {
    /// Reads `--field NAME=PATH`: a record field's name and a dotted JSON path (quote a segment holding dots).
    public static func parseOverride(_ text: String) throws(FaultlineError) -> Alias {
        guard let equals = text.firstIndex(of: "=") else {
            throw FaultlineError(
                .badOption, reason: "--field '\(text)' has no '='",
                hint: "write it as NAME=PATH, e.g. status=response.code")
        }
        let name = String(text[..<equals])
        let path = String(text[text.index(after: equals)...])
        guard let field = RecordField(name: name) else {
            let names = RecordField.allCases.map(\.name).joined(separator: ", ")
            throw FaultlineError(.badOption, reason: "--field: unknown field '\(name)'", hint: "use one of \(names)")
        }
        var segments: [String] = []
        var current = ""
        var quoted = false
        for character in path {
            if character == "\"" {
                quoted.toggle()
            } else if character == "." && !quoted {
                segments.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        segments.append(current)
        guard !quoted, !segments.contains(where: \.isEmpty) else {
            throw FaultlineError(
                .badOption, reason: "--field: '\(path)' is not a path",
                hint: "use dots between keys, e.g. response.headers.x-request-id; quote a key holding dots")
        }
        let transform: Transform =
            field == .key && segments.last?.lowercased() == "authorization" ? .authorization : .none
        return Alias(field, segments, transform)
    }
}
