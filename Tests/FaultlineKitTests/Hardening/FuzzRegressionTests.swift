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
}
