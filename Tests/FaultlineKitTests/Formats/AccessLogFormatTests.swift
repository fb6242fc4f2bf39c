import FaultlineKit
import Testing

@Suite("Access logs: presets and hand-made lines")
struct AccessLogFormatTests {
    // MARK: CLF time

    /// Expected values from `date -u -d "2000-10-10 13:55:36 -0700" +%s%3N` and so on.
    @Test(arguments: [
        ("10/Oct/2000:13:55:36 -0700", Int64(971_211_336_000)),
        ("10/Oct/2000:13:55:36 +0000", Int64(971_186_136_000)),
        ("10/Oct/2000:13:55:36 +0530", Int64(971_166_336_000)),
        ("07/Feb/2020:11:48:51 +0000", Int64(1_581_076_131_000)),
    ])
    func clfTime(text: String, millis: Int64) {
        let bytes = Array(text.utf8)
        let parsed = bytes.withUnsafeBytes { Timestamp.parseCLF($0) }
        #expect(parsed?.millis == millis)
        #expect(parsed?.assumedUTC == false)
    }

    @Test(arguments: [
        "10/Oct/2000:13:55:36", "10/Foo/2000:13:55:36 +0000", "10/Oct/2000:25:55:36 +0000",
        "10/Oct/2000 13:55:36 +0000", "1x/Oct/2000:13:55:36 +0000", "10/Oct/2000:13:55:36 *0000", "",
    ])
    func badCLFTime(text: String) {
        let bytes = Array(text.utf8)
        #expect(bytes.withUnsafeBytes { Timestamp.parseCLF($0) } == nil)
    }

    @Test func clfCacheDoesNotConfuseZones() {
        var cache = Timestamp.CLFCache()
        let read = { (text: String, cache: inout Timestamp.CLFCache) -> Int64? in
            Array(text.utf8).withUnsafeBytes { Timestamp.parseCLF($0, cache: &cache)?.millis }
        }
        #expect(read("10/Oct/2000:13:55:36 -0700", &cache) == 971_211_336_000)
        #expect(read("10/Oct/2000:13:55:36 -0700", &cache) == 971_211_336_000)
        #expect(read("10/Oct/2000:13:55:36 -0730", &cache) == 971_213_136_000)
        #expect(read("10/Oct/2000:13:55:36 +0000", &cache) == 971_186_136_000)
        #expect(read("10/Oct/2000:13:55:3x +0000", &cache) == nil)
    }

    // MARK: combined and common

    @Test func combinedLineWithKeyInTheQuery() {
        let line =
            #"203.0.113.9 - - [10/Mar/2025:12:00:00 +0000] "#
            + #""POST /v1beta/models/gemini-pro:generateContent?alt=sse&key=AIzaSyDUMMY-key_123 HTTP/1.1" "#
            + #"400 117 "-" "google-genai-sdk/1.2.0 gl-python/3.12""#
        let outcome = parseLine(.combined, line)
        #expect(outcome.result == .record)
        #expect(outcome.record.status == 400)
        #expect(outcome.record.time == 1_741_608_000_000)
        #expect(outcome[.method] == "POST")
        #expect(outcome[.endpoint] == "/v1beta/models/gemini-pro:generateContent")
        #expect(outcome[.url] == "/v1beta/models/gemini-pro:generateContent?alt=sse&key=AIzaSyDUMMY-key_123")
        #expect(outcome[.key] == "AIzaSyDUMMY-key_123")
        #expect(outcome.record.keyFieldPresent)
        #expect(outcome[.userAgent] == "google-genai-sdk/1.2.0 gl-python/3.12")
        #expect(outcome.record.upstreamUnanswered == false)
    }

    @Test func quotedFieldsWithEscapesAndStrayQuotes() {
        let escaped = parseLine(
            .combined, #"1.2.3.4 - bob [10/Mar/2025:12:00:00 +0000] "GET /a\"b c HTTP/1.1" 200 5 "-" "curl/8""#)
        #expect(escaped.result == .record)
        #expect(escaped[.url] == #"/a\"b c"#)
        #expect(escaped[.method] == "GET")
        // A raw quote inside the request: the field ends at the quote the status follows.
        let stray = parseLine(
            .combined, #"1.2.3.4 - - [10/Mar/2025:12:00:00 +0000] "GET /x"y HTTP/1.0" 404 0 "-" "a "quoted" agent""#)
        #expect(stray.result == .record)
        #expect(stray.record.status == 404)
        #expect(stray[.url] == #"/x"y"#)
        #expect(stray[.userAgent] == #"a "quoted" agent"#)
    }

    @Test func commonAndCombinedDoNotAcceptEachOther() {
        let common = #"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326"#
        #expect(parseLine(.common, common).result == .record)
        #expect(parseLine(.common, common).record.time == 971_211_336_000)
        #expect(parseLine(.combined, common).result == .skipped(.formatMismatch))
        // The last field of common runs to the end of the line, so common reads combined lines too;
        // sniffing still prefers combined for them.
        let combined = common + #" "-" "curl""#
        #expect(parseLine(.common, combined).result == .record)
        #expect(AccessLogFormat.sniff([Array(combined.utf8)[...]])?.name == "combined")
    }

    @Test(arguments: [
        (#"1.2.3.4 - - [10/Mar/2025:12:00:00 +0000] "GET / HTTP/1.1" 2x0 5 "-" "c""#, ParseResult.skipped(.badStatus)),
        (#"1.2.3.4 - - [10/Mar/2025:12:00:00 +0000] "GET / HTTP/1.1" 2000 5 "-" "c""#, .skipped(.badStatus)),
        (#"1.2.3.4 - - [10/Mar/2025:12:00:00 +0000] "GET / HTTP/1.1" - 5 "-" "c""#, .skipped(.noStatus)),
        (#"1.2.3.4 - - [10/Mar/2025:99:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "c""#, .skipped(.badTime)),
        (#"1.2.3.4 - - [yesterday] "GET / HTTP/1.1" 200 5 "-" "c""#, .skipped(.badTime)),
        (#"1.2.3.4 - - [10/Mar/2025:12:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "c"#, .skipped(.formatMismatch)),
        (#"1.2.3.4 - - [10/Mar/2025:12:00:00 +0000] "GET / HTTP/1.1" 200"#, .skipped(.formatMismatch)),
        ("garbage that is not a log line", .skipped(.formatMismatch)),
        (#"{"status":200,"time":"2025-03-10T12:00:00Z"}"#, .skipped(.formatMismatch)),
        ("", .skipped(.blankLine)),
        ("   \t ", .skipped(.blankLine)),
        ("1.2.3.4 - - [\u{0}\u{1}\u{2}", .skipped(.binary)),
    ])
    func malformedCombinedLines(line: String, expected: ParseResult) {
        #expect(parseLine(.combined, line).result == expected)
    }

    @Test func requestThatIsNotARequestStillGivesARecord() {
        let line = #"5.6.7.8 - - [10/Mar/2025:12:00:00 +0000] "\x16\x03\x01\x02\x00" 400 157 "-" "-""#
        let outcome = parseLine(.combined, line)
        #expect(outcome.result == .record)
        #expect(outcome.record.status == 400)
        #expect(outcome[.method] == nil)
        #expect(outcome[.endpoint] == nil)
        #expect(outcome[.userAgent] == nil)
    }

    // MARK: ingress-nginx

    @Test func ingressUpstreamListsAndUnansweredUpstream() {
        let prefix = #"10.0.0.1 - - [10/Mar/2025:12:00:00 +0000] "POST /v1/chat/completions HTTP/1.1" "#
        let retried = parseLine(
            .ingressNginx,
            prefix + #"502 150 "-" "OpenAI/Python 1.30.1" 512 0.004 [llm-gw-8080] [] 10.1.2.3:8080, 10.1.2.4:8080 "#
                + "0, 0 0.001, 0.002 502, 502 0123456789abcdef0123456789abcdef")
        #expect(retried.result == .record)
        #expect(retried[.upstreamStatus] == "502, 502")
        #expect(retried[.requestID] == "0123456789abcdef0123456789abcdef")
        #expect(retried[.host] == "llm-gw-8080")
        #expect(retried.record.latencyMillis == 4)
        #expect(retried.record.upstreamUnanswered == false)

        let unanswered = parseLine(
            .ingressNginx,
            prefix + #"503 190 "-" "OpenAI/Python 1.30.1" 512 0.000 [llm-gw-8080] [] - - - - "#
                + "fedcba9876543210fedcba9876543210")
        #expect(unanswered.result == .record)
        #expect(unanswered[.upstreamStatus] == nil)
        #expect(unanswered.record.upstreamUnanswered)

        let timeout = parseLine(
            .ingressNginx,
            prefix + #"504 160 "-" "curl/8" 512 60.001 [llm-gw-8080] [] 10.1.2.3:8080 0 60.000 504 "#
                + "fedcba9876543210fedcba9876543210")
        #expect(timeout.record.latencyMillis == 60001)
        #expect(timeout[.upstreamStatus] == "504")
        #expect(timeout.record.upstreamUnanswered == false)
    }

    // MARK: Envoy

    @Test func envoyLines() {
        let ok = parseLine(
            .envoy,
            #"[2016-04-15T20:17:00.310Z] "POST /api/v1/locations HTTP/2" 204 - 154 0 226 100 "10.0.35.28" "#
                + #""nsq2http" "cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2" "locations" "tcp://10.0.2.1:80""#)
        #expect(ok.result == .record)
        #expect(ok.record.time == 1_460_751_420_310)
        #expect(ok.record.status == 204)
        #expect(ok[.responseFlags] == nil)
        #expect(ok.record.latencyMillis == 226)
        #expect(ok[.requestID] == "cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2")
        #expect(ok[.host] == "locations")
        #expect(ok[.userAgent] == "nsq2http")
        #expect(ok[.endpoint] == "/api/v1/locations")
        #expect(ok.record.upstreamUnanswered == false)

        let disconnected = parseLine(
            .envoy,
            #"[2018-05-18T14:37:42.343Z] "GET /service/1 HTTP/1.1" 0 UF,URX 0 0 5 - "-" "curl/7.54.0" "#
                + #""a5b1e3c9-6f6f-4e2c-9a8a-2b1c0d1e2f3a" "localhost:8000" "172.18.0.4:80""#)
        #expect(disconnected.result == .record)
        #expect(disconnected.record.status == 0)
        #expect(disconnected[.responseFlags] == "UF,URX")
        #expect(disconnected.record.upstreamUnanswered)

        let noHealthy = parseLine(
            .envoy,
            #"[2018-05-18T14:37:43.000Z] "POST /v1/chat/completions HTTP/1.1" 503 UH 0 19 0 - "-" "#
                + #""OpenAI/Python 1.30.1" "b6c1e3c9-6f6f-4e2c-9a8a-2b1c0d1e2f3b" "api.openai.com" "-""#)
        #expect(noHealthy.result == .record)
        #expect(noHealthy.record.status == 503)
        #expect(noHealthy[.responseFlags] == "UH")
        #expect(noHealthy.record.upstreamUnanswered)
        #expect(noHealthy[.host] == "api.openai.com")

        // Older Envoy stops after the authority; newer ones may add fields.
        let older = parseLine(
            .envoy,
            #"[2018-05-18T14:37:43.000Z] "GET /healthz HTTP/1.1" 200 - 0 2 1 1 "-" "kube-probe/1.29" "-" "svc""#)
        #expect(older.result == .record)
        #expect(older[.host] == "svc")
        let newer = parseLine(
            .envoy,
            #"[2018-05-18T14:37:43.000Z] "GET /healthz HTTP/1.1" 200 - 0 2 1 1 "-" "kube-probe/1.29" "-" "svc" "#
                + #""10.0.0.2:80" extra"#)
        #expect(newer.result == .record)
    }

    // MARK: ALB

    static let albOK =
        "http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 "
        + #"0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/v1/models?limit=5 HTTP/1.1" "#
        + #""curl/7.46.0" - - "#
        + "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "
        + #""Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2018-07-02T22:22:48.364000Z "forward" "-" "-" "#
        + #""10.0.0.1:80" "200" "-" "-""#

    @Test func albLines() {
        let ok = parseLine(.alb, Self.albOK)
        #expect(ok.result == .record)
        #expect(ok.record.time == 1_530_570_180_186)
        #expect(ok.record.status == 200)
        #expect(ok[.upstreamStatus] == "200")
        #expect(ok[.requestID] == "Root=1-58337262-36d228ad5d99923122bbe354")
        #expect(ok[.host] == nil)
        #expect(ok[.url] == "http://www.example.com:80/v1/models?limit=5")
        #expect(ok[.endpoint] == "/v1/models")
        #expect(ok[.errorCode] == nil)
        #expect(ok.record.latencyMillis == 1)
        #expect(ok.record.upstreamUnanswered == false)

        // Fields AWS added later (conn_trace_id) are accepted and ignored.
        #expect(parseLine(.alb, Self.albOK + " TID_1234abcd").result == .record)

        let older =
            "https 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 - -1 -1 -1 "
            + #"502 - 34 366 "#
            + #""POST https://gw.example.com:443/v1beta/models/gemini-pro:generateContent?key=AIzaSyDUMMY HTTP/1.1" "#
            + #""Mozilla/5.0 (X11; Linux x86_64) python-requests/2.31" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 "#
            + #"arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "#
            + #""Root=1-58337364-23a8c76965a2ef7629b185e3" "gw.example.com" "arn:aws:acm:us-east-2:1:certificate/1" "#
            + #"1 2018-07-02T22:22:48.364000Z "forward" "-" "LambdaInvalidResponse""#
        let unanswered = parseLine(.alb, older)
        #expect(unanswered.result == .record)
        #expect(unanswered.record.status == 502)
        #expect(unanswered[.upstreamStatus] == nil)
        #expect(unanswered.record.upstreamUnanswered)
        #expect(unanswered.record.latencyMillis == nil)
        #expect(unanswered[.errorCode] == "LambdaInvalidResponse")
        #expect(unanswered[.userAgent] == "Mozilla/5.0 (X11; Linux x86_64) python-requests/2.31")
        #expect(unanswered[.key] == "AIzaSyDUMMY")
        #expect(unanswered[.endpoint] == "/v1beta/models/gemini-pro:generateContent")
        #expect(unanswered[.host] == "gw.example.com")

        // A line cut inside the optional tail is not a complete line.
        #expect(parseLine(.alb, older + #" "10.0.0.1:80""#).result == .skipped(.formatMismatch))
    }

    // MARK: presets and sniffing

    @Test(arguments: ["combined", "common", "ingress-nginx", "envoy", "alb"])
    func presetsHaveNamesSummariesAndLayouts(name: String) {
        let format = AccessLogFormat.preset(named: name)
        #expect(format?.name == name)
        #expect(format?.summary.isEmpty == false)
        #expect(format?.layout.isEmpty == false)
    }

    @Test func unknownPreset() {
        #expect(AccessLogFormat.preset(named: "jsonl") == nil)
        #expect(AccessLogFormat.presets.map(\.name) == ["ingress-nginx", "combined", "common", "envoy", "alb"])
    }

    @Test func sniffingHandMadeLines() {
        let envoy = Array(
            #"[2018-05-18T14:37:43.000Z] "GET /healthz HTTP/1.1" 200 - 0 2 1 1 "-" "kube-probe/1.29" "-" "svc""#.utf8)
        #expect(AccessLogFormat.sniff([envoy[...], envoy[...]])?.name == "envoy")
        #expect(AccessLogFormat.sniff([Array(Self.albOK.utf8)[...]])?.name == "alb")
        let common = Array(#"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 2326"#.utf8)
        let sniffed = AccessLogFormat.sniff([common[...], Array("junk".utf8)[...]])
        #expect(sniffed?.name == "common")
        #expect(sniffed?.matched == 1)
        #expect(AccessLogFormat.sniff([Array("junk".utf8)[...], []]) == nil)
        #expect(AccessLogFormat.sniff([]) == nil)
    }

    // MARK: robustness

    @Test(arguments: [
        (
            AccessLogFormat.combined,
            #"1.2.3.4 - - [10/Mar/2025:12:00:00 +0000] "GET /a?key=k HTTP/1.1" 200 5 "-" "c d""#
        ),
        (
            AccessLogFormat.ingressNginx,
            #"10.0.0.1 - - [10/Mar/2025:12:00:00 +0000] "GET / HTTP/1.1" 502 1 "-" "c" "#
                + "5 0.004 [gw] [] 10.1.2.3:80, 10.1.2.4:80 0, 0 0.001, 0.002 502, 502 0123456789abcdef0123456789abcdef"
        ),
        (AccessLogFormat.envoy, #"[2018-05-18T14:37:42.343Z] "GET /s HTTP/1.1" 0 UF,URX 0 0 5 - "-" "c" "i" "h" "u""#),
        (AccessLogFormat.alb, albOK),
    ])
    func everyTruncationIsSafe(format: AccessLogFormat, line: String) {
        let bytes = Array(line.utf8)
        for length in 0...bytes.count {
            let outcome = parseLine(format, Array(bytes[..<length]))
            if length == bytes.count {
                #expect(outcome.result == .record)
            } else if case .record = outcome.result {
                // Some prefixes are complete lines themselves (an ALB line without its optional tail).
                #expect(outcome.record.status != nil)
            }
        }
    }
}
