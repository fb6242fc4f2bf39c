import FaultlineKit
import Foundation
import Testing

/// Generation speed; run with `FAULTLINE_PERF=1 swift test -c release --filter samplePerf` (writes to /dev/null).
@Test(.enabled(if: ProcessInfo.processInfo.environment["FAULTLINE_PERF"] == "1"))
func samplePerf() throws {
    for format in SampleFormat.allCases {
        for gzip in [false, true] {
            let options = SampleOptions(
                format: format, bytes: gzip ? 50_000_000 : 200_000_000, seed: 3, gzip: gzip, gzipLevel: 1)
            let elapsed = try ContinuousClock().measure {
                try SampleGenerator.run(options: options, outputPath: "/dev/null", truthPath: nil)
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print("sample \(format) gzip=\(gzip): \(Int(Double(options.bytes!) / seconds / 1e6)) MB/s")
        }
    }
}
