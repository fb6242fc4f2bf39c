import FaultlineKit
import Testing

@Suite("Access logs: nginx log_format strings")
struct NginxLogFormatTests {
    @Test func jsonFormatWithEscapes() throws {
        let format = try AccessLogFormat(
            nginxLogFormat: #"escape=json '{"time":"$time_iso8601","status":"$status","request":"$request",'"#
                + #"'"request_time":$request_time,"request_id":"$request_id","ua":"$http_user_agent",'"#
                + #"'"auth":"$http_authorization","org":"$http_openai_organization",'"#
                + #"'"project":"$http_openai_project","upstream_time":$upstream_response_time}'"#)
        #expect(format.name == "nginx")
        let line =
            #"{"time":"2025-03-10T12:00:00.123+00:00","status":"429","request":"POST /v1/chat/completions HTTP/1.1","#
            + #""request_time":0.250,"request_id":"0123456789abcdef0123456789abcdef","ua":"my \"quoted\", agent","#
            + #""auth":"Bearer sk-proj-abc123","org":"org-uVqpjtJiKqvVJMVfvpaounIh","project":"proj_abc","#
            + #""upstream_time":0.100, 0.004}"#
        let outcome = parseLine(format, line)
        #expect(outcome.result == .record)
        #expect(outcome.record.time == 1_741_608_000_123)
        #expect(outcome.record.status == 429)
        #expect(outcome.record.latencyMillis == 250)
        #expect(outcome[.requestID] == "0123456789abcdef0123456789abcdef")
        #expect(outcome[.userAgent] == #"my \"quoted\", agent"#)
        #expect(outcome[.key] == "sk-proj-abc123")
        #expect(outcome.record.keyFieldPresent)
        #expect(outcome[.org] == "org-uVqpjtJiKqvVJMVfvpaounIh")
        #expect(outcome[.project] == "proj_abc")
        #expect(outcome[.endpoint] == "/v1/chat/completions")
    }

    @Test func msecFormatWithBracesAndHeaderKey() throws {
        let format = try AccessLogFormat(
            nginxLogFormat: #"$msec ${status} $request_time "$request" $http_x_api_key $http_x_request_id ${host}"#)
        let outcome = parseLine(
            format, #"1741608000.123 401 0.012 "GET /v1/models HTTP/1.1" sk-ant-api03-xyz req_abc example.com"#)
        #expect(outcome.result == .record)
        #expect(outcome.record.time == 1_741_608_000_123)
        #expect(outcome.record.status == 401)
        #expect(outcome.record.latencyMillis == 12)
        #expect(outcome[.key] == "sk-ant-api03-xyz")
        #expect(outcome.record.keyFieldPresent)
        #expect(outcome[.requestID] == "req_abc")
        #expect(outcome[.host] == "example.com")

        let noKey = parseLine(format, #"1741608000.123 401 0.012 "GET /v1/models HTTP/1.1" - - example.com"#)
        #expect(noKey.result == .record)
        #expect(noKey[.key] == nil)
        #expect(noKey.record.keyFieldPresent == false)
    }

    @Test func headerKeyWinsOverQueryKey() throws {
        let format = try AccessLogFormat(
            nginxLogFormat: #"$remote_addr [$time_local] "$request_method $request_uri" $status $http_x_goog_api_key"#)
        let outcome = parseLine(
            format, #"1.2.3.4 [10/Mar/2025:12:00:00 +0100] "GET /v1/models?key=AIzaQUERY&x=1" 200 AIzaHEADER"#)
        #expect(outcome.result == .record)
        #expect(outcome.record.time == 1_741_604_400_000)
        #expect(outcome[.key] == "AIzaHEADER")
        #expect(outcome[.endpoint] == "/v1/models")
        #expect(outcome[.url] == "/v1/models?key=AIzaQUERY&x=1")
        #expect(outcome[.method] == "GET")
    }

    @Test func emptyBearerIsAPresentEmptyKey() throws {
        let format = try AccessLogFormat(nginxLogFormat: #"$status "$http_authorization" $uri"#)
        let outcome = parseLine(format, #"401 "Bearer " /v1/chat/completions"#)
        #expect(outcome.result == .record)
        #expect(outcome[.key] == "")
        #expect(outcome.record.keyFieldPresent)
        #expect(outcome[.endpoint] == "/v1/chat/completions")
        let absent = parseLine(format, #"401 "-" /v1/chat/completions"#)
        #expect(absent[.key] == nil)
        #expect(absent.record.keyFieldPresent == false)
    }

    @Test func pastedDirective() throws {
        let format = try AccessLogFormat(
            nginxLogFormat: """
                log_format main '$remote_addr - $remote_user [$time_local] "$request" '
                                '$status $body_bytes_sent "$http_referer" '
                                '"$http_user_agent" "$http_x_forwarded_for"';
                """)
        let outcome = parseLine(
            format,
            #"1.2.3.4 - - [10/Mar/2025:12:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8.5" "10.0.0.1, 10.0.0.2""#)
        #expect(outcome.result == .record)
        #expect(outcome[.userAgent] == "curl/8.5")
    }

    @Test func bareFormatMayStartWithAQuote() throws {
        let format = try AccessLogFormat(nginxLogFormat: #""$time_local" "$request" "$status""#)
        let outcome = parseLine(format, #""10/Mar/2025:12:00:00 +0000" "GET / HTTP/1.1" "503""#)
        #expect(outcome.result == .record)
        #expect(outcome.record.status == 503)
    }

    @Test func combinedIsTheNginxFormat() throws {
        let format = try AccessLogFormat(nginxLogFormat: AccessLogFormat.combined.layout)
        let line = #"1.2.3.4 - - [10/Mar/2025:12:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "c""#
        #expect(parseLine(format, line).result == .record)
        #expect(parseLine(format, line).record.status == parseLine(.combined, line).record.status)
    }

    @Test(arguments: [
        ("", "empty"),
        ("$remote_addr $", "not followed by a variable name"),
        ("$status $ body", "not followed by a variable name"),
        ("$status$body_bytes_sent", "follow each other"),
        ("${status", "no closing"),
        ("${} $status", "not followed by a variable name"),
        ("$remote_addr [$time_local]", "no $status"),
        ("log_format main '$status", "not closed"),
        ("log_format main '$status' trailing", "not closed"),
    ])
    func badFormats(text: String, reasonContains: String) {
        #expect {
            _ = try AccessLogFormat(nginxLogFormat: text)
        } throws: { error in
            guard let error = error as? FaultlineError else { return false }
            return error.code == .badOption && error.reason.contains(reasonContains) && error.hint != nil
        }
    }
}
