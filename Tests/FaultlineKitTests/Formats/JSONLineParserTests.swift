import Foundation
import Testing

@testable import FaultlineKit

/// One JSON line run through the real parser `LineParser` builds (with the wrapped-line parser).
struct JSONProbe {
    var result: ParseResult
    var record: RequestRecord
    /// The line after parsing (strings with escapes are decoded in place).
    var bytes: [UInt8]

    init(_ line: String, overrides: [FieldAliases.Alias] = []) {
        self.init(bytes: Array(line.utf8), overrides: overrides)
    }

    init(bytes: [UInt8], overrides: [FieldAliases.Alias] = []) {
        var parser = LineParser(json: overrides)
        var record = RequestRecord()
        var buffer = bytes
        result = buffer.withUnsafeMutableBytes { parser.parse($0, into: &record) }
        self.record = record
        self.bytes = buffer
    }

    func string(_ field: RecordField) -> String? {
        bytes.withUnsafeBytes { ParsedLine(bytes: $0, record: record, number: 1).string(field) }
    }

    /// A field's value as text: typed fields through their conversion, the rest as the bytes found.
    func value(_ field: RecordField) -> String? {
        switch field {
        case .status: record.status.map { String($0) }
        case .time: record.time.map { String($0) }
        case .retryAfter: record.retryAfterMillis.map { String($0) }
        case .latency: record.latencyMillis.map { String($0) }
        default: string(field)
        }
    }
}

/// Builds JSON objects from dotted alias paths, merging shared prefixes.
struct JSONTree {
    private indirect enum Node {
        case leaf(String)
        case object([(String, Node)])
    }

    private var entries: [(String, Node)] = []
    /// Keys whose object is written inside an array (Gemini's `details`, `violations`).
    static let arrayKeys: Set<String> = ["details", "violations", "errors"]

    /// Adds `json` at `path`; false when the path collides with a value already there.
    @discardableResult
    mutating func insert(_ path: [String], _ json: String) -> Bool {
        Self.insert(path[...], json, into: &entries)
    }

    private static func insert(_ path: ArraySlice<String>, _ json: String, into entries: inout [(String, Node)]) -> Bool
    {
        guard let key = path.first else { return false }
        let index = entries.firstIndex { $0.0 == key }
        if path.count == 1 {
            guard index == nil else { return false }
            entries.append((key, .leaf(json)))
            return true
        }
        var children: [(String, Node)] = []
        if let index {
            guard case .object(let existing) = entries[index].1 else { return false }
            children = existing
        }
        guard insert(path.dropFirst(), json, into: &children) else { return false }
        if let index { entries[index].1 = .object(children) } else { entries.append((key, .object(children))) }
        return true
    }

    var json: String { Self.render(entries) }

    private static func render(_ entries: [(String, Node)]) -> String {
        let members = entries.map { key, node -> String in
            let value: String
            switch node {
            case .leaf(let json): value = json
            case .object(let children): value = arrayKeys.contains(key) ? "[\(render(children))]" : render(children)
            }
            return "\"\(key)\":\(value)"
        }
        return "{" + members.joined(separator: ",") + "}"
    }
}

/// A distinctive value for an alias: the JSON written and the value the record must show.
struct AliasValue {
    var json: String
    var expected: String

    static let isoTime = "2025-03-10T12:00:00.123Z"
    static let isoMillis: Int64 = 1_741_608_000_123

    init(json: String, expected: String) {
        self.json = json
        self.expected = expected
    }

    init(_ alias: FieldAliases.Alias, variant: Int) {
        let tag = "v\(variant)-\(alias.field.name)-\(alias.path.joined(separator: "_"))"
        switch alias.field {
        case .status:
            self.init(json: variant == 0 ? "418" : "\"419\"", expected: variant == 0 ? "418" : "419")
        case .time:
            if variant == 0 {
                self.init(json: "\"\(Self.isoTime)\"", expected: String(Self.isoMillis))
            } else {
                self.init(json: "1741608060", expected: "1741608060000")
            }
        case .retryAfter:
            let number = variant == 0 ? 7 : 9
            let millis = alias.transform == .milliseconds ? number : number * 1000
            self.init(json: String(number), expected: String(millis))
        case .latency:
            let number = variant == 0 ? 7.0 : 9.0
            let millis = alias.transform == .milliseconds ? number : number * 1000
            self.init(json: String(Int(number)), expected: String(millis))
        default:
            if alias.transform == .authorization {
                self.init(json: "\"Bearer sk-\(tag)\"", expected: "sk-\(tag)")
            } else {
                self.init(json: "\"\(tag)\"", expected: tag)
            }
        }
    }
}

extension FieldAliases.Alias: CustomTestStringConvertible {
    /// The alias as `field <- path`.
    public var testDescription: String { "\(field.name) <- \(dotted)" }
}

@Suite("JSON lines: every alias, priorities and overrides")
struct JSONAliasTests {
    /// A line with `alias` set and whatever else a record needs (time, status) under other names.
    static func line(_ values: [(FieldAliases.Alias, AliasValue)], under prefix: [String] = []) -> String {
        var tree = JSONTree()
        let fields = Set(values.map(\.0.field))
        if !fields.contains(.time) { tree.insert(["ts"], "\"2025-03-10T12:00:00Z\"") }
        if !fields.contains(.status) { tree.insert(["status"], "200") }
        for (alias, value) in values { tree.insert(prefix + alias.path, value.json) }
        return tree.json
    }

    @Test("every built-in alias fills its field", arguments: FieldAliases.builtIn)
    func builtIn(alias: FieldAliases.Alias) {
        let value = AliasValue(alias, variant: 0)
        let probe = JSONProbe(Self.line([(alias, value)]))
        #expect(probe.result == .record)
        #expect(probe.value(alias.field) == value.expected)
        if alias.field == .key {
            #expect(probe.record.keyFieldPresent)
            #expect(probe.record.keyIsHashed == (alias.transform == .hashedKey))
        }
    }

    @Test("every error-body alias fills its field inside every error-body key", arguments: FieldAliases.errorBodyFields)
    func errorBodyField(alias: FieldAliases.Alias) {
        for container in FieldAliases.errorBodies {
            // `error_information.error_code` is a status alias (LiteLLM), which takes the key's place there.
            if container == ["error_information"] && alias.path == ["error_code"] { continue }
            let value = AliasValue(alias, variant: 0)
            let line = Self.line([(alias, value)], under: container)
            let probe = JSONProbe(line)
            #expect(probe.result == .record, "\(line)")
            #expect(probe.value(alias.field) == value.expected, "\(line)")
        }
    }

    static var fieldsWithSeveralAliases: [RecordField] {
        RecordField.allCases.filter { field in FieldAliases.builtIn.count(where: { $0.field == field }) > 1 }
    }

    @Test(
        "of two built-in aliases present, the earlier wins, whatever the order in the line",
        arguments: fieldsWithSeveralAliases)
    func priority(field: RecordField) {
        let aliases = FieldAliases.builtIn.filter { $0.field == field }
        for (i, earlier) in aliases.enumerated() {
            for later in aliases[(i + 1)...] {
                let first = AliasValue(earlier, variant: 0)
                let second = AliasValue(later, variant: 1)
                // The later alias is written first, so document order cannot explain the result.
                var tree = JSONTree()
                if field != .time { tree.insert(["ts"], "\"2025-03-10T12:00:00Z\"") }
                if field != .status { tree.insert(["status"], "200") }
                guard tree.insert(later.path, second.json), tree.insert(earlier.path, first.json) else { continue }
                let probe = JSONProbe(tree.json)
                #expect(probe.value(field) == first.expected, "\(earlier.dotted) over \(later.dotted): \(tree.json)")
            }
        }
    }

    @Test("inside an error body the earlier alias wins at the same depth; a deeper body wins over a shallower one")
    func errorBodyPriority() {
        let probe = JSONProbe(
            #"{"ts":1741608000,"status":429,"error":{"detail":"D","status":"S","#
                + #""type":"T","error_message":"E","message":"M"}}"#
        )
        #expect(probe.string(.errorMessage) == "M")
        #expect(probe.string(.errorType) == "T")
        let nested = JSONProbe(#"{"ts":1741608000,"status":429,"error":{"type":"outer","error":{"type":"inner"}}}"#)
        #expect(nested.string(.errorType) == "inner")
    }

    @Test("a top-level error field beats the one inside an error body")
    func topLevelBeatsBody() {
        let probe = JSONProbe(#"{"ts":1741608000,"status":400,"error":{"code":"inner"},"error_code":"outer"}"#)
        #expect(probe.string(.errorCode) == "outer")
    }

    @Test("duplicate keys: the first occurrence wins; a later duplicate of a better alias still wins by priority")
    func duplicateKeys() {
        let probe = JSONProbe(#"{"ts":1741608000,"status":200,"status":500,"model":"a","model":"b"}"#)
        #expect(probe.record.status == 200)
        #expect(probe.string(.model) == "a")
        let ranked = JSONProbe(#"{"ts":1741608000,"status_code":500,"status":200}"#)
        #expect(ranked.record.status == 200)
    }

    @Test("--field overrides beat the built-in aliases")
    func overrides() throws {
        let status = try FieldAliases.parseOverride("status=response.code")
        let probe = JSONProbe(#"{"ts":1741608000,"status":200,"response":{"code":503}}"#, overrides: [status])
        #expect(probe.record.status == 503)
        let time = try FieldAliases.parseOverride("time=meta.when")
        let timed = JSONProbe(
            #"{"ts":1741608000,"meta":{"when":"2025-03-10T12:00:00.123Z"},"status":200}"#, overrides: [time])
        #expect(timed.record.time == AliasValue.isoMillis)
    }

    @Test("--field paths: quoted segments hold dots; an authorization key loses its scheme")
    func quotedOverride() throws {
        let alias = try FieldAliases.parseOverride(#"key=meta."x.api.key""#)
        #expect(alias.path == ["meta", "x.api.key"])
        #expect(alias.dotted == #"meta."x.api.key""#)
        let probe = JSONProbe(
            #"{"ts":1741608000,"status":200,"api_key":"sk-builtin","meta":{"x.api.key":"sk-override"}}"#,
            overrides: [alias])
        #expect(probe.string(.key) == "sk-override")
        let header = try FieldAliases.parseOverride("key=req.Authorization")
        #expect(header.transform == .authorization)
        let bearer = JSONProbe(
            #"{"ts":1741608000,"status":200,"req":{"authorization":"Bearer sk-hdr"}}"#, overrides: [header])
        #expect(bearer.string(.key) == "sk-hdr")
        let model = try FieldAliases.parseOverride(#"model="gen_ai.request.model""#)
        let flat = JSONProbe(
            #"{"ts":1741608000,"status":200,"model":"m1","gen_ai.request.model":"m2"}"#, overrides: [model])
        #expect(flat.string(.model) == "m2")
    }

    @Test(
        "malformed --field values are usage errors",
        arguments: ["status", "bogus=x", "status=a..b", #"status="a.b"#, "status="])
    func badOverride(text: String) {
        #expect(throws: FaultlineError.self) { try FieldAliases.parseOverride(text) }
    }
}

@Suite("JSON lines: provider and gateway shapes")
struct JSONShapeTests {
    struct Shape: Sendable, CustomTestStringConvertible {
        var name: String
        var line: String
        var status: Int
        var time: Int64?
        var fields: [RecordField: String]
        var keyIsHashed = false
        var testDescription: String { name }
    }

    static let shapes: [Shape] = [
        Shape(
            name: "OpenAI",
            line: #"""
                {"ts":"2025-03-10T12:00:00.040Z","status":429,"request_id":"req_abc","model":"gpt-4o",\#
                "headers":{"Authorization":"Bearer sk-proj-abcdef1234","OpenAI-Organization":"org-A"},\#
                "path":"/v1/chat/completions","response":{"headers":{"retry-after":"20"}},\#
                "error":{"message":"You exceeded your current quota","type":"insufficient_quota","param":null,\#
                "code":"insufficient_quota"}}
                """#,
            status: 429, time: 1_741_608_000_040,
            fields: [
                .requestID: "req_abc", .model: "gpt-4o", .key: "sk-proj-abcdef1234", .org: "org-A",
                .endpoint: "/v1/chat/completions", .errorType: "insufficient_quota", .errorCode: "insufficient_quota",
                .errorMessage: "You exceeded your current quota", .retryAfter: "20000",
            ]),
        Shape(
            name: "Anthropic: the inner type wins over \"type\":\"error\"",
            line: #"""
                {"timestamp":"2025-03-10T12:00:00Z","status_code":529,"headers":{"x-api-key":"sk-ant-api03-xyz"},\#
                "response_body":{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},\#
                "request_id":"req_011CS"}}
                """#,
            status: 529, time: 1_741_608_000_000,
            fields: [
                .key: "sk-ant-api03-xyz", .errorType: "overloaded_error", .errorMessage: "Overloaded",
                .requestID: "req_011CS",
            ]),
        Shape(
            name: "Azure: string codes and apim-request-id",
            line: #"""
                {"time":"2025-03-10T12:00:00Z","status":"429","headers":{"api-key":"0123abcd",\#
                "apim-request-id":"9f1"},\#
                "error":{"code":"429","message":"Please retry after 6 seconds."}}
                """#,
            status: 429, time: 1_741_608_000_000,
            fields: [
                .key: "0123abcd", .requestID: "9f1", .errorCode: "429", .errorMessage: "Please retry after 6 seconds.",
            ]
        ),
        Shape(
            name: "Gemini: details[].reason, violations[].quotaId, key in the URL",
            line: #"""
                {"ts":"2025-03-10T12:00:00Z","status":429,\#
                "url":"https://generativelanguage.googleapis.com/v1beta/models/gemini-1.5-pro:generateContent?\#
                alt=sse&key=AIzaSyA-test_KEY_0123456789abcdefghij",\#
                "error":{"code":429,"message":"Resource has been exhausted","status":"RESOURCE_EXHAUSTED","details":[\#
                {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"m",\#
                "quotaId":"GenerateRequestsPerMinutePerProjectPerModel"}]},\#
                {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"RATE_LIMIT_EXCEEDED"}]}}
                """#,
            status: 429, time: 1_741_608_000_000,
            fields: [
                .key: "AIzaSyA-test_KEY_0123456789abcdefghij", .errorType: "RESOURCE_EXHAUSTED", .errorCode: "429",
                .errorReason: "RATE_LIMIT_EXCEEDED", .quotaID: "GenerateRequestsPerMinutePerProjectPerModel",
                .endpoint: "/v1beta/models/gemini-1.5-pro:generateContent",
            ]),
        Shape(
            name: "Vertex: an array-wrapped body in a string",
            line: #"""
                {"ts":"2025-03-10T12:00:00Z","status":400,"response_body":"[{\"error\":{\"code\":400,\#
                \"message\":\"API key not valid.\",\"status\":\"INVALID_ARGUMENT\",\#
                \"details\":[{\"reason\":\"API_KEY_INVALID\"}]}}]"}
                """#,
            status: 400, time: 1_741_608_000_000,
            fields: [
                .errorType: "INVALID_ARGUMENT", .errorReason: "API_KEY_INVALID", .errorMessage: "API key not valid.",
                .errorCode: "400",
            ]),
        Shape(
            name: "Vertex: an array-wrapped body as JSON",
            line: #"""
                {"ts":"2025-03-10T12:00:00Z","status":403,"response_body":[{"error":{"code":403,\#
                "message":"Permission denied","status":"PERMISSION_DENIED"}}]}
                """#,
            status: 403, time: 1_741_608_000_000,
            fields: [.errorType: "PERMISSION_DENIED", .errorMessage: "Permission denied", .errorCode: "403"]),
        Shape(
            name: "LiteLLM spend log (hashed key, status success)",
            line: #"""
                {"request_id":"chatcmpl-1","call_type":"acompletion",\#
                "api_key":"88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b","spend":0.01,\#
                "startTime":"2025-03-10T12:00:00.000Z","endTime":"2025-03-10T12:00:01.234Z",\#
                "request_duration_ms":1234,\#
                "model":"gpt-4o","model_group":"gpt-4o","custom_llm_provider":"openai","team_id":"team-1",\#
                "organization_id":"org-lite","status":"success"}
                """#,
            status: 200, time: 1_741_608_000_000,
            fields: [
                .requestID: "chatcmpl-1", .model: "gpt-4o", .provider: "openai", .project: "team-1", .org: "org-lite",
                .latency: "1234.0",
            ],
            keyIsHashed: true),
        Shape(
            name: "LiteLLM error log (status_code a string)",
            line: #"""
                {"request_id":"r1","startTime":"2025-03-10T12:00:00Z","endTime":"2025-03-10T12:00:02Z",\#
                "api_base":"https://api.openai.com/v1","model_group":"gpt-4o","litellm_model_name":"openai/gpt-4o",\#
                "exception_type":"RateLimitError","exception_string":"litellm.RateLimitError: slow down",\#
                "status_code":"429"}
                """#,
            status: 429, time: 1_741_608_000_000,
            fields: [
                .requestID: "r1", .model: "gpt-4o", .errorType: "RateLimitError",
                .errorMessage: "litellm.RateLimitError: slow down", .url: "https://api.openai.com/v1",
            ]),
        Shape(
            name: "LiteLLM StandardLoggingPayload success",
            line: #"""
                {"id":"slp-1","trace_id":"t1","status":"success","startTime":1741608000.123,"endTime":1741608001.5,\#
                "model":"gpt-4o","metadata":{"user_api_key_hash":\#
                "88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b","user_api_key_org_id":"org-x",\#
                "user_api_key_team_id":"team-y"}}
                """#,
            status: 200, time: 1_741_608_000_123,
            fields: [.requestID: "slp-1", .org: "org-x", .project: "team-y"],
            keyIsHashed: true),
        Shape(
            name: "LiteLLM StandardLoggingPayload failure (error_information)",
            line: #"""
                {"id":"slp-2","status":"failure","startTime":1741608000.5,"error_str":"litellm.BudgetExceededError",\#
                "error_information":{"error_code":"400","error_class":"BudgetExceededError","llm_provider":"openai",\#
                "error_message":"Budget has been exceeded"}}
                """#,
            status: 400, time: 1_741_608_000_500,
            fields: [
                .requestID: "slp-2", .errorType: "BudgetExceededError", .errorMessage: "litellm.BudgetExceededError",
            ]
        ),
        Shape(
            name: "Helicone",
            line: #"""
                {"request_id":"h1","request_created_at":"2025-03-10T12:00:00.000Z",\#
                "request_path":"/v1/chat/completions",\#
                "request_user_id":"u","request_model":"gpt-4o","response_status":401,"provider":"OPENAI","delay_ms":250}
                """#,
            status: 401, time: 1_741_608_000_000,
            fields: [
                .requestID: "h1", .endpoint: "/v1/chat/completions", .model: "gpt-4o", .provider: "OPENAI",
                .latency: "250.0",
            ]),
        Shape(
            name: "Cloudflare Logpush (nanosecond EdgeStartTimestamp)",
            line: #"""
                {"RayID":"7f1a","EdgeStartTimestamp":1741608000123456789,"EdgeEndTimestamp":1741608001123456789,\#
                "ClientRequestHost":"api.example.com","ClientRequestMethod":"POST","ClientRequestURI":"/v1/chat?x=1",\#
                "ClientRequestPath":"/v1/chat","EdgeResponseStatus":524,"OriginResponseStatus":0,\#
                "ClientRequestUserAgent":"OpenAI/Python 1.0"}
                """#,
            status: 524, time: 1_741_608_000_123,
            fields: [
                .requestID: "7f1a", .host: "api.example.com", .method: "POST", .endpoint: "/v1/chat",
                .upstreamStatus: "0", .userAgent: "OpenAI/Python 1.0", .url: "/v1/chat?x=1",
            ]),
        Shape(
            name: "OpenTelemetry span with dotted attribute keys",
            line: #"""
                {"name":"chat gpt-4o","startTimeUnixNano":"1741608000123000000","attributes":{\#
                "http.response.status_code":503,"gen_ai.request.model":"gpt-4o","gen_ai.system":"openai"}}
                """#,
            status: 503, time: 1_741_608_000_123,
            fields: [.model: "gpt-4o", .provider: "openai"]),
        Shape(
            name: "OpenTelemetry flattened",
            line: #"""
                {"timestamp":"2025-03-10T12:00:00Z","http.response.status_code":200,"gen_ai.request.model":"claude",\#
                "gen_ai.provider.name":"anthropic","server.address":"api.anthropic.com","url.path":"/v1/messages"}
                """#,
            status: 200, time: 1_741_608_000_000,
            fields: [.model: "claude", .provider: "anthropic", .host: "api.anthropic.com", .endpoint: "/v1/messages"]),
        Shape(
            name: "nginx JSON log_format (status a string)",
            line: #"""
                {"time":"2025-03-10T12:00:00+00:00","remote_addr":"10.0.0.1",\#
                "request":"POST /v1/chat/completions HTTP/1.1",\#
                "status":"502","body_bytes_sent":"0","request_time":1.5,"upstream_response_time":"1.499",\#
                "request_id":"abc","http_user_agent":"curl/8.0","upstream_status":"502"}
                """#,
            status: 502, time: 1_741_608_000_000,
            fields: [
                .endpoint: "/v1/chat/completions", .requestID: "abc", .userAgent: "curl/8.0", .latency: "1500.0",
                .upstreamStatus: "502",
            ]),
        Shape(
            name: "Kubernetes wrapper around a combined line",
            line: #"""
                {"log":"10.0.0.1 - - [10/Mar/2025:12:00:00 +0000] \"POST /v1/chat/completions HTTP/1.1\" \#
                429 120 \"-\" \#
                \"openai-python/1.0\"\n","stream":"stdout","time":"2025-03-10T12:00:00.5Z"}
                """#,
            status: 429, time: 1_741_608_000_000,
            fields: [.endpoint: "/v1/chat/completions", .method: "POST", .userAgent: "openai-python/1.0"]),
        Shape(
            name: "Docker wrapper around an ingress-nginx line",
            line: #"""
                {"log":"192.168.64.1 - - [07/Feb/2020:11:48:51 +0000] \"POST /products HTTP/1.1\" 503 59 \"-\" \#
                \"curl/7.54.0\" 89 0.001 [default-web-8080] [] 172.17.0.5:8080 59 0.000 503 529a007902362a5f\n",\#
                "stream":"stderr","time":"2020-02-07T11:48:51.123456789Z"}
                """#,
            status: 503, time: 1_581_076_131_000,
            fields: [.endpoint: "/products", .requestID: "529a007902362a5f", .upstreamStatus: "503"]),
    ]

    @Test("a provider's or gateway's line gives the documented fields", arguments: shapes)
    func shape(_ shape: Shape) {
        let probe = JSONProbe(shape.line)
        #expect(probe.result == .record)
        #expect(probe.record.status == shape.status)
        if let time = shape.time { #expect(probe.record.time == time) }
        for (field, expected) in shape.fields.sorted(by: { $0.key < $1.key }) {
            #expect(probe.value(field) == expected, "\(field.name)")
        }
        #expect(probe.record.keyIsHashed == shape.keyIsHashed)
    }

    @Test("an error body as escaped JSON, a Python-repr dict or plain text")
    func errorBodyForms() {
        let escaped = JSONProbe(
            #"{"ts":1741608000,"status":401,"response_body":"{\"error\":{\"message\":\"Incorrect API key\","#
                + #"\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"}"#
        )
        #expect(escaped.string(.errorCode) == "invalid_api_key")
        #expect(escaped.string(.errorType) == "invalid_request_error")
        #expect(escaped.string(.errorMessage) == "Incorrect API key")
        let repr = "{'error': {'message': 'Incorrect API key', 'code': 'invalid_api_key'}}"
        let python = JSONProbe(#"{"ts":1741608000,"status":401,"error_body":"\#(repr)"}"#)
        #expect(python.result == .record)
        #expect(python.string(.errorMessage) == repr)
        let text = JSONProbe(#"{"ts":1741608000,"status":502,"error":"upstream connect error or disconnect"}"#)
        #expect(text.string(.errorMessage) == "upstream connect error or disconnect")
        // `body` is an error body even though `body.model` is a model alias.
        let body = JSONProbe(#"{"ts":1741608000,"status":401,"body":{"model":"m","error":{"code":"invalid_api_key"}}}"#)
        #expect(body.string(.errorCode) == "invalid_api_key")
        #expect(body.string(.model) == "m")
        // A truncated body keeps what was read before the fault.
        let cut = JSONProbe(
            #"{"ts":1741608000,"status":429,"body":"{\"error\":{\"code\":\"rate_limit_exceeded\",\"mess"}"#)
        #expect(cut.result == .record)
        #expect(cut.string(.errorCode) == "rate_limit_exceeded")
    }
}

@Suite("JSON lines: escapes, order, nesting, size, truncation")
struct JSONRobustnessTests {
    static let escapes: [(json: String, decoded: String)] = [
        (#"a\"b"#, "a\"b"), (#"a\\b"#, "a\\b"), (#"a\/b"#, "a/b"), (#"a\nb\tc"#, "a\nb\tc"),
        (#"caf\u00e9"#, "café"), (#"\ud83d\ude00!"#, "😀!"), (#"x\ud83dy"#, "x\u{FFFD}y"), (#"x\ude00y"#, "x\u{FFFD}y"),
        (#"\ud83d"#, "\u{FFFD}"), (#"\u12"#, "\u{FFFD}"), (#"\\\""#, "\\\""),
        (#"\uZZ"#, "?ZZ"), (#"é\u"#, "é?"),
        // Bare `\u` frees 2 bytes, U+FFFD needs 3: decoding in place must not overrun into the next field.
        (String(repeating: #"\u"#, count: 5000), String(repeating: "?\u{FFFD}", count: 2500)),
    ]

    @Test("string escapes are decoded; lone surrogates become U+FFFD", arguments: escapes.indices)
    func escape(index: Int) {
        let (json, decoded) = Self.escapes[index]
        let probe = JSONProbe(#"{"ts":1741608000,"status":200,"model":"\#(json)","request_id":"after"}"#)
        #expect(probe.result == .record)
        #expect(probe.string(.model) == decoded)
        #expect(probe.string(.requestID) == "after")
    }

    @Test("fields in any order give the same record")
    func anyOrder() {
        let members = [
            #""ts":"2025-03-10T12:00:00Z""#, #""status":429"#, #""model":"gpt-4o""#, #""request_id":"r""#,
            #""error":{"code":"rate_limit_exceeded","message":"m"}"#, #""headers":{"authorization":"Bearer sk-x"}"#,
        ]
        var order = Array(members.indices)
        for _ in 0..<60 {
            order.shuffle()
            let probe = JSONProbe("{" + order.map { members[$0] }.joined(separator: ",") + "}")
            #expect(probe.record.status == 429)
            #expect(probe.record.time == 1_741_608_000_000)
            #expect(probe.string(.model) == "gpt-4o")
            #expect(probe.string(.errorCode) == "rate_limit_exceeded")
            #expect(probe.string(.key) == "sk-x")
        }
    }

    @Test(
        "10,000 nested brackets: no crash; closed ones are skipped over, unclosed ones are malformed",
        .timeLimit(.minutes(1)))
    func deepNesting() {
        let depth = 10_000
        for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
            let closed =
                #"{"ts":1741608000,"status":200,"x":"# + String(repeating: open, count: depth) + "1"
                + String(repeating: close, count: depth) + "}"
            #expect(JSONProbe(closed).result == .record)
            let unclosed = #"{"ts":1741608000,"status":200,"x":"# + String(repeating: open, count: depth)
            #expect(JSONProbe(unclosed).result == .skipped(.malformedJSON))
        }
        // Nesting along an alias path (error bodies nest in error bodies).
        let errors =
            #"{"ts":1741608000,"status":500,"error":"# + String(repeating: #"{"error":"#, count: depth)
            + #"{"code":"deep"}"# + String(repeating: "}", count: depth + 1)
        #expect(JSONProbe(errors).result == .record)
        let bare = String(repeating: "{", count: depth)
        #expect(JSONProbe(bare).result == .skipped(.malformedJSON))
        #expect(JSONProbe(String(repeating: "[", count: depth)).result == .skipped(.notAnObject))
    }

    @Test("1 MB strings are read whole")
    func longStrings() {
        let message = String(repeating: "x", count: 1 << 20)
        let probe = JSONProbe(#"{"ts":1741608000,"status":500,"error":{"message":"\#(message)"},"model":"m"}"#)
        #expect(probe.string(.errorMessage)?.utf8.count == 1 << 20)
        #expect(probe.string(.model) == "m")
        let escaped = String(repeating: #"\u00e9\n"#, count: 1 << 17)
        let decoded = JSONProbe(#"{"ts":1741608000,"status":500,"error":"\#(escaped)","model":"m"}"#)
        #expect(decoded.string(.errorMessage) == String(repeating: "é\n", count: 1 << 17))
        let skipped = JSONProbe(#"{"ts":1741608000,"junk":"\#(message)","status":200}"#)
        #expect(skipped.record.status == 200)
    }

    @Test("a line cut at any byte is skipped, never a crash")
    func truncatedAtEveryByte() {
        for full in JSONShapeTests.shapes.map({ Array($0.line.utf8) }) {
            #expect(JSONProbe(bytes: full).result == .record)
            // Every proper prefix of an object is incomplete JSON.
            for cut in 0..<full.count {
                let result = JSONProbe(bytes: Array(full[..<cut])).result
                #expect(result != .record, "cut at \(cut): \(String(decoding: full[..<cut], as: UTF8.self))")
            }
        }
    }
}

@Suite("JSON lines: keys, times and statuses")
struct JSONValueTests {
    static let keys: [(json: String, key: String?, hashed: Bool)] = [
        (#""headers":{"authorization":"Bearer sk-live-123"}"#, "sk-live-123", false),
        (#""headers":{"Authorization":"bearer sk-live-123"}"#, "sk-live-123", false),
        (#""headers":{"authorization":"Bearer"}"#, "", false),
        (#""headers":{"authorization":"Bearer  sk-two-spaces"}"#, " sk-two-spaces", false),
        (#""headers":{"authorization":"Basic dXNlcjpwYXNz"}"#, "Basic dXNlcjpwYXNz", false),
        (
            #""url":"https://generativelanguage.googleapis.com/v1/models/x:generateContent?key=AIzaSyTEST123""#,
            "AIzaSyTEST123", false
        ),
        (#""url":"/v1/models?alt=json&key=AIzaSyQ&x=1""#, "AIzaSyQ", false),
        (#""url":"/v1/models?monkey=1""#, nil, false),
        (
            #""api_key":"88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b""#,
            "88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b", true
        ),
        (
            #""api_key":"88DC28D0F030C55ED4AB77ED8FAF098196CB1C05DF778539800C9F1243FE6B4B""#,
            "88DC28D0F030C55ED4AB77ED8FAF098196CB1C05DF778539800C9F1243FE6B4B", false
        ),
        (#""api_key":"sk-abc***xyz""#, "sk-abc***xyz", false),
    ]

    @Test("keys: scheme removed, Bearer alone empty, ?key= from URLs, 64-hex hashed", arguments: keys.indices)
    func key(index: Int) {
        let (json, key, hashed) = Self.keys[index]
        let probe = JSONProbe(#"{"ts":1741608000,"status":401,\#(json)}"#)
        #expect(probe.result == .record)
        #expect(probe.string(.key) == key)
        #expect(probe.record.keyFieldPresent == (key != nil))
        #expect(probe.record.keyIsHashed == hashed)
    }

    static let base: Int64 = 1_741_608_000_000
    static let times: [(json: String, millis: Int64?, assumedUTC: Bool)] = [
        (#""2025-03-10T12:00:00Z""#, base, false),
        (#""2025-03-10T12:00:00.123Z""#, base + 123, false),
        (#""2025-03-10T12:00:00.1Z""#, base + 100, false),
        (#""2025-03-10T12:00:00.123456789Z""#, base + 123, false),
        (#""2025-03-10T14:00:00+02:00""#, base, false),
        (#""2025-03-10T14:00:00.250+0200""#, base + 250, false),
        (#""2025-03-10T07:00:00-05:00""#, base, false),
        (#""2025-03-10t12:00:00z""#, base, false),
        (#""2025-03-10 12:00:00Z""#, base, false),
        (#""2025-03-10 12:00:00 UTC""#, base, false),
        (#""2025-03-10T12:00:00""#, base, true),
        (#""2025-03-10T12:00:00.5""#, base + 500, true),
        ("1741608000", base, false), (#""1741608000""#, base, false),
        ("1741608000123", base + 123, false), (#""1741608000123""#, base + 123, false),
        ("1741608000123456", base + 123, false), ("1741608000123456789", base + 123, false),
        (#""1741608000123456789""#, base + 123, false),
        ("1741608000.25", base + 250, false), ("1.741608e9", base, false), ("1.741608000123E12", base + 123, false),
        ("9999999999", 9_999_999_999_000, false), (#""9999-12-31T23:59:59Z""#, 253_402_300_799_000, false),
        (#""yesterday""#, nil, false), (#""2025-13-10T12:00:00Z""#, nil, false),
        (#""2025-03-10T12:00:00Zjunk""#, nil, false), (#""2025-03-10T12:00:00+2""#, nil, false),
        (#""2025-03-10T12:00""#, nil, false), (#""""#, nil, false), ("true", nil, false), ("-5", nil, false),
        ("1e999", nil, false), (#""12:00:00""#, nil, false), (#""2025-03-10T12:00:00.Z""#, nil, false),
    ]

    @Test("time forms; garbage is bad_time", arguments: times.indices)
    func time(index: Int) {
        let (json, millis, assumedUTC) = Self.times[index]
        let probe = JSONProbe(#"{"ts":\#(json),"status":200}"#)
        if let millis {
            #expect(probe.result == .record)
            #expect(probe.record.time == millis)
            #expect(probe.record.timeAssumedUTC == assumedUTC)
        } else {
            #expect(probe.result == .skipped(.badTime))
        }
    }

    @Test("a missing or null time is no_time")
    func noTime() {
        #expect(JSONProbe(#"{"status":200,"model":"m"}"#).result == .skipped(.noTime))
        #expect(JSONProbe(#"{"ts":null,"status":200}"#).result == .skipped(.noTime))
    }

    static let statuses: [(json: String, result: ParseResult, status: Int?)] = [
        ("429", .record, 429), (#""429""#, .record, 429), (#""429.0""#, .record, 429), ("429.00", .record, 429),
        ("0", .record, 0), ("999", .record, 999), (#""success""#, .record, 200), (#""OK""#, .record, 200),
        ("99999", .skipped(.badStatus), nil), ("1000", .skipped(.badStatus), nil),
        (#""4x9""#, .skipped(.badStatus), nil), ("429.5", .skipped(.badStatus), nil),
        ("4.29e2", .skipped(.badStatus), nil),
        // Words other than success/ok are not statuses at all (LiteLLM's "failure"): the line has none.
        (#""garbage""#, .skipped(.noStatus), nil), (#""failure""#, .skipped(.noStatus), nil),
        (#""""#, .skipped(.noStatus), nil), ("-1", .skipped(.noStatus), nil), ("null", .skipped(.noStatus), nil),
        ("true", .skipped(.noStatus), nil),
    ]

    @Test("status forms; garbage that starts like a number is bad_status", arguments: statuses.indices)
    func status(index: Int) {
        let (json, result, status) = Self.statuses[index]
        let probe = JSONProbe(#"{"ts":1741608000,"status":\#(json)}"#)
        #expect(probe.result == result)
        #expect(probe.record.status == status)
    }

    @Test("a missing status is no_status, checked before the time")
    func noStatus() {
        #expect(JSONProbe(#"{"ts":1741608000,"model":"m"}"#).result == .skipped(.noStatus))
        #expect(JSONProbe(#"{"model":"m"}"#).result == .skipped(.noStatus))
        #expect(JSONProbe("{}").result == .skipped(.noStatus))
    }

    @Test("lines that are not one object")
    func notObjects() {
        #expect(JSONProbe("").result == .skipped(.blankLine))
        #expect(JSONProbe("   \t").result == .skipped(.blankLine))
        #expect(JSONProbe("[").result == .skipped(.notAnObject))
        #expect(JSONProbe("]").result == .skipped(.notAnObject))
        #expect(JSONProbe("42").result == .skipped(.malformedJSON))
        #expect(JSONProbe(#""text""#).result == .skipped(.malformedJSON))
        #expect(JSONProbe(#"{"ts":1741608000,"status":200},"#).result == .record)
        #expect(JSONProbe(#"{"ts":1741608000,"status":200} {"#).result == .skipped(.malformedJSON))
        #expect(JSONProbe(#"{"ts":1741608000,"status":200,}"#).result == .skipped(.malformedJSON))
    }
}
