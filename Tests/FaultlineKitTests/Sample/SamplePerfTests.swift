import Glibc
import FaultlineKit
import Testing

@Test(.enabled(if: Environment.perf)) func samplePerf() throws {
    for format in [SampleFormat.jsonl, .access] {
        for gzip in [false, true] {
            let clock = ContinuousClock()
            let start = clock.now
            let options = SampleOptions(format: format, bytes: gzip ? 50_000_000 : 200_000_000, seed: 3, gzip: gzip, gzipLevel: 1)
            _ = try SampleGenerator.run(options: options, outputPath: "/dev/null", truthPath: nil)
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print("PERF \(format) gzip=\(gzip): \(Double(options.bytes!) / seconds / 1e6) MB/s")
        }
    }
}

enum Environment {
    static var perf: Bool {
        guard let value = getenv("FAULTLINE_PERF") else { return false }
        return String(cString: value) == "1"
    }
}
