import Testing

@testable import FaultlineKit

/// Inputs libFuzzer found (Fuzz/README.md), minimized, fed through the API the fuzz target calls.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static func parseJSON(_ line: String) -> (result: ParseResult, record: RequestRecord) {
        var bytes = Array(line.utf8)
        var record = RequestRecord()
        var parser = JSONLineParser()
        let result = bytes.withUnsafeMutableBytes { parser.parse($0, into: &record) }
        return (result, record)
    }

    static func epoch(_ text: String) -> Timestamp.Parsed? {
        Array(text.utf8).withUnsafeBytes { Timestamp.parseEpoch($0) }
    }

    @Test("an epoch of 19 digits past Int64 is a bad time, not an overflow")
    func epochPastInt64() {
        #expect(Self.parseJSON(#"{"status":4,"Time":9999999999999999990}"#).result == .skipped(.badTime))
        #expect(Self.epoch("9999999999999999999") == nil)
        #expect(Self.epoch("9223372036854775808") == nil)
        #expect(Self.epoch("9223372036854775807")?.millis == 9_223_372_036_854)
        #expect(Self.epoch("1741564800000000000")?.millis == 1_741_564_800_000)
    }

    @Test("a retry-after past Int64 milliseconds is dropped, not converted with a trap")
    func retryAfterPastInt64() {
        let seconds = Self.parseJSON(#"{"status":429,"ts":1,"retry_after":99999999999999999999}"#)
        #expect(seconds.result == .record)
        #expect(seconds.record.retryAfterMillis == nil)
        let negative = Self.parseJSON(#"{"status":429,"ts":1,"retry_after_ms":"-99999999999999999999999"}"#)
        #expect(negative.result == .record)
        #expect(negative.record.retryAfterMillis == nil)
        #expect(Self.parseJSON(#"{"status":429,"ts":1,"retry_after":"19s"}"#).record.retryAfterMillis == 19_000)
    }

    @Test("a message that says to retry after more seconds than Int64 milliseconds hold")
    func rateLimitMessagePastInt64() {
        let message = Array("retry after 55555555555555555".utf8)
        let details = message.withUnsafeBytes { Classifier.rateLimitDetails($0) }
        #expect(details == nil)
        let sane = Array("Please retry after 60 seconds.".utf8).withUnsafeBytes { Classifier.rateLimitDetails($0) }
        #expect(sane?.retryAfterMillis == 60_000)
    }
}
