import FaultlineKit
import Testing

/// Lines an attacker or a broken logger could write: the classifier must answer, quickly, without crashing.
@Suite("Hostile inputs")
struct HostileInputTests {
    static func line(status: Int, message: [UInt8], key: [UInt8]? = nil) -> LineSpec {
        var line = LineSpec(status: status)
        line.fields[.errorMessage] = message
        line.fields[.errorCode] = Array("invalid_api_key".utf8)
        if let key {
            line.fields[.key] = key
            line.keyFieldPresent = true
        }
        return line
    }

    @Test("a 1 MB message")
    func megabyteMessage() {
        let message = [UInt8](repeating: UInt8(ascii: "y"), count: 1 << 20)
        let result = Self.line(status: 429, message: message).classified()
        #expect(result.category == .auth)
        var plain = LineSpec(status: 429)
        plain.fields[.errorMessage] = message
        #expect(plain.classified() == Classification(.rateLimit, .unknown, evidence: .statusOnly))
    }

    @Test("a 1 MB message of quoted tokens, the code at the end")
    func megabyteOfTokens() {
        var message = Array(String(repeating: "'per_minute_token_xx', ", count: 45_000).utf8)
        message += Array("'code': 'insufficient_quota'".utf8)
        var line = LineSpec(status: 429, type: "throttling_error")
        line.fields[.errorMessage] = message
        // Past the token limit, the quoted code is not read; the classifier still answers from what it read.
        #expect(line.classified().category == .rateLimit)
    }

    @Test("invalid UTF-8 in every field")
    func invalidUTF8() {
        let garbage: [UInt8] = [0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0x80, 0x00, 0x27, 0x22]
        var line = LineSpec(status: 401)
        for field in [RecordField.errorCode, .errorType, .errorMessage, .errorReason, .quotaID, .key, .responseFlags] {
            line.fields[field] = garbage
        }
        line.keyFieldPresent = true
        #expect(line.classified() == Classification(.auth, .malformedKey, evidence: .key))
        #expect(garbage.withUnsafeBytes { Classifier.rateLimitDetails($0) } == nil)
    }

    @Test("10,000 nested braces")
    func nestedBraces() {
        let message = String(repeating: "{'error': ", count: 10_000) + "'x'" + String(repeating: "}", count: 10_000)
        let line = LineSpec(status: 429, code: "429", type: "throttling_error", message: message)
        #expect(line.classified() == Classification(.rateLimit, .unknown, evidence: .code))
    }

    @Test("a run of digits and unterminated quotes")
    func digitsAndQuotes() {
        let message =
            "Limit " + String(repeating: "9", count: 100_000) + " try again in "
            + String(repeating: "9", count: 5000) + "ms retry after " + String(repeating: "'\"", count: 50_000)
        let details = withBytes(message) { Classifier.rateLimitDetails($0) }
        #expect(details != nil)
        #expect(LineSpec(status: 429, message: message).classified().category == .rateLimit)
    }

    @Test("durations that would overflow")
    func hugeDurations() {
        let message = "Limit 1, try again in " + String(repeating: "9999999999999999999h", count: 50)
        let details = withBytes(message) { Classifier.rateLimitDetails($0) }
        #expect(details?.retryAfterMillis.map { $0 > 0 } == true)
    }

    @Test("generic Google words quoted in an unrelated message do not decide", arguments: [400, 404, 422])
    func genericWords(status: Int) {
        let line = LineSpec(status: status, message: #"field "unavailable" or 'unauthenticated' is unknown"#)
        #expect(line.classified().category == .client)
    }

    @Test("a huge key")
    func hugeKey() {
        let key = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20)
        #expect(key.withUnsafeBytes { KeyInspector.inspect($0, fieldPresent: true, isHashed: false) } == .wellFormed)
    }

    @Test("statuses far out of range", arguments: [-1, 1, 99, 600, 999, Int.max, Int.min])
    func oddStatuses(status: Int) {
        #expect(LineSpec(status: status).classified().category != .success || (1..<400).contains(status))
    }
}
