/// The fields a log line can give a `RequestRecord`, each filled from a byte range of the line.
public enum RecordField: Int, CaseIterable, Sendable, Comparable {
    /// When the request was made (RFC 3339, epoch numbers, access-log forms).
    case time
    /// The HTTP status the client received.
    case status
    /// The request ID; attempts of one request share it.
    case requestID
    /// The API key as logged (an `Authorization` scheme word removed), or a hash of it.
    case key
    /// The organization (OpenAI org id or slug, Anthropic org UUID, LiteLLM org).
    case org
    /// The project (OpenAI `proj_...`, a LiteLLM team).
    case project
    /// The model asked for.
    case model
    /// The URL path called.
    case endpoint
    /// The HTTP method.
    case method
    /// The provider's error type (`insufficient_quota`, `authentication_error`, `RESOURCE_EXHAUSTED`).
    case errorType
    /// The provider's error code (`invalid_api_key`, `rate_limit_exceeded`, `"429"`).
    case errorCode
    /// The provider's error message, or an error body that is not JSON.
    case errorMessage
    /// Gemini's `details[].reason` (`API_KEY_INVALID`).
    case errorReason
    /// Gemini's `QuotaFailure.violations[].quotaId`.
    case quotaID
    /// The `retry-after` a response carried (seconds, or `retry-after-ms` when that is all there is).
    case retryAfter
    /// `retry-after-ms`.
    case retryAfterMillis
    /// The request's duration.
    case latency
    /// The client's user agent (SDK and version).
    case userAgent
    /// The host that sent or served the request (a gateway pod, a virtual host).
    case host
    /// Envoy response flags (`UF`, `UH`, `UT`, `URX`).
    case responseFlags
    /// The upstream's status, or list of statuses (`502, 502`).
    case upstreamStatus
    /// The provider (`openai`, `anthropic`, `azure`, `gemini`) when the log names it.
    case provider
    /// A full URL or request line, searched for `?key=`.
    case url

    /// The field's name on the command line (`--field NAME=PATH`) and in `faultline formats`.
    public var name: String {
        switch self {
        case .time: "time"
        case .status: "status"
        case .requestID: "request_id"
        case .key: "key"
        case .org: "org"
        case .project: "project"
        case .model: "model"
        case .endpoint: "endpoint"
        case .method: "method"
        case .errorType: "error_type"
        case .errorCode: "error_code"
        case .errorMessage: "error_message"
        case .errorReason: "error_reason"
        case .quotaID: "quota_id"
        case .retryAfter: "retry_after"
        case .retryAfterMillis: "retry_after_ms"
        case .latency: "latency"
        case .userAgent: "user_agent"
        case .host: "host"
        case .responseFlags: "response_flags"
        case .upstreamStatus: "upstream_status"
        case .provider: "provider"
        case .url: "url"
        }
    }

    /// The field with this command-line name.
    public init?(name: String) {
        guard let field = RecordField.allCases.first(where: { $0.name == name }) else { return nil }
        self = field
    }

    /// Orders fields by declaration.
    public static func < (lhs: RecordField, rhs: RecordField) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A range of bytes inside the line a record was parsed from.
public struct ByteSpan: Sendable, Equatable {
    /// The offset of the first byte from the start of the line.
    public var start: Int32
    /// The number of bytes.
    public var count: Int32

    /// A span at `start` of `count` bytes.
    @inline(__always)
    public init(start: Int, count: Int) {
        self.start = Int32(truncatingIfNeeded: start)
        self.count = Int32(truncatingIfNeeded: count)
    }

    /// No value: the field was not found.
    public static let absent = ByteSpan(start: -1, count: 0)

    /// Whether the field was found.
    @inline(__always)
    public var isPresent: Bool { start >= 0 }
}
