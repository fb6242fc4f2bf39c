import FaultlineKit
import Testing

/// The option parsers `faultline sample` uses.
@Suite struct SampleOptionsTests {
    @Test(arguments: [
        ("200MB", Int64(200_000_000)), ("1GB", 1_000_000_000), ("512KiB", 524_288), ("2GiB", 2_147_483_648),
        ("1.5G", 1_500_000_000), ("1000", 1000), ("10b", 10), ("3 MB", 3_000_000),
    ])
    func sizes(text: String, bytes: Int64) {
        #expect(SampleOptions.parseSize(text) == bytes)
    }

    @Test(arguments: ["", "MB", "12XB", "-5MB", "1..2GB"])
    func badSizes(text: String) {
        #expect(SampleOptions.parseSize(text) == nil)
    }

    @Test(arguments: [
        ("24h", Int64(86_400_000)), ("90m", 5_400_000), ("30s", 30_000), ("2d", 172_800_000), ("500ms", 500),
        ("1h30m", 5_400_000), ("45", 45_000),
    ])
    func durations(text: String, millis: Int64) {
        #expect(SampleOptions.parseDuration(text) == millis)
    }

    @Test(arguments: ["", "h", "5x", "1h-3m"])
    func badDurations(text: String) {
        #expect(SampleOptions.parseDuration(text) == nil)
    }

    @Test func startTimes() {
        #expect(SampleOptions.parseTime("2025-03-10") == SampleOptions.defaultStart)
        #expect(SampleOptions.parseTime("2025-03-10T00:00:01Z") == SampleOptions.defaultStart + 1000)
        #expect(SampleOptions.parseTime("yesterday") == nil)
    }

    @Test func invalidOptionsAreRejected() {
        #expect(throws: FaultlineError.self) { try SampleGenerator(options: SampleOptions(lines: -1)) }
        #expect(throws: FaultlineError.self) { try SampleGenerator(options: SampleOptions(duration: 0)) }
        #expect(throws: FaultlineError.self) { try SampleGenerator(options: SampleOptions(gzipLevel: 0)) }
        #expect(throws: FaultlineError.self) { try SampleGenerator(options: SampleOptions(distinctKeys: 0)) }
    }

    @Test(arguments: [1, 2, 5, 300])
    func anyKeyAndOrgCountWorks(keys: Int) throws {
        let sample = try SampleGenerator(
            options: SampleOptions(lines: 3000, seed: 1, distinctKeys: keys, distinctOrgs: 1)
        )
        .generate()
        #expect(sample.truth.totals.requests == 3000)
    }
}
