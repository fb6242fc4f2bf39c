import FaultlineKit
import Foundation

/// Fake secrets planted in the input; none may reach any report.
enum PlantedSecrets {
    static let projectKey = "sk-proj-FAKEfakeFAKEfake0123456789abcdWXYZ"
    static let revokedKey = "sk-proj-REVOKEDrevokedREVOKED9876543210zz"
    static let googleKey = "AIzaSyFAKEfakeFAKEfakeFAKEfake12345678"
    static let bearerInAgent = "sk-proj-AGENTagentAGENTagent5555544444"
    static let tokenInMessage = "sk-proj-MESSAGEmessageMESSAGE777888999"
    static let tokenInURL = "AIzaSyURLurlURLurlURLurlURLurl000111"

    static let all = [projectKey, revokedKey, googleKey, bearerInAgent, tokenInMessage, tokenInURL]
    /// Long enough pieces that a partly masked secret is still caught.
    static let fragments = all.map { String($0.dropFirst(8).prefix(16)) }
}

/// A JSONL log with a billing incident, a revoked key and an outage, run through the real pipeline.
enum ReportFixture {
    static let hostileModel = "<script>alert('x')</script>|`m`"

    static func lines() -> [String] {
        var lines: [String] = []
        var counter = 0
        // 10:00 to 14:00 UTC, one request every 10 seconds.
        for second in stride(from: 0, to: 4 * 3600, by: 10) {
            counter += 1
            let time = 1_741_600_800 + second  // 2025-03-10T10:00:00Z
            let stamp = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(time)))
            let useRevoked = counter % 3 == 0
            let useGoogle = counter % 3 == 1
            let key =
                useRevoked
                ? PlantedSecrets.revokedKey : useGoogle ? PlantedSecrets.googleKey : PlantedSecrets.projectKey
            let org = useGoogle ? "org-BBBB" : "org-AAAA"
            let model = counter % 5 == 0 ? hostileModel : "gpt-4o"
            var record: [String: Any] = [
                "ts": stamp, "status": 200, "request_id": "req_\(counter)", "model": model, "org": org,
                "endpoint": "/v1/chat/completions",
                "url": "https://generativelanguage.googleapis.com/v1/models?key=\(PlantedSecrets.tokenInURL)",
                "user_agent": "OpenAI/Python 1.54.3 Bearer \(PlantedSecrets.bearerInAgent)",
                "headers": ["authorization": "Bearer \(key)"],
            ]
            if second >= 3600 && second < 7200 && org == "org-AAAA" {
                record["status"] = 429
                record["error"] = [
                    "message": "You exceeded your current quota, please check your plan and billing details. "
                        + "token \(PlantedSecrets.tokenInMessage) | <b>",
                    "type": "insufficient_quota", "code": "insufficient_quota",
                ]
            }
            if second >= 9000 && useRevoked {
                record["status"] = 401
                record["error"] = [
                    "message": "Incorrect API key provided: \(PlantedSecrets.revokedKey).",
                    "type": "invalid_request_error", "code": "invalid_api_key",
                ]
            }
            if second >= 12000 && second < 12600 {
                record["status"] = 503
                record["error"] = ["message": "The server is overloaded", "type": "server_error"]
            }
            let data = try! JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])
            lines.append(String(decoding: data, as: UTF8.self))
        }
        lines.insert("{not json", at: 3)
        lines.insert("binary \u{1} junk", at: 40)
        return lines
    }

    /// Findings from the real pipeline over a temporary file holding `lines()`.
    static func findings() throws -> Findings {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-report-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("gateway.jsonl")
        try (lines().joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let analyzer = try Analyzer(Analyzer.Configuration())
        let summary = analyzer.analyze(InputSource(path: file.path, name: "gateway.jsonl"))
        return Findings(summary)
    }

    static func options(zone: String = "UTC") throws -> ReportOptions {
        var options = ReportOptions()
        options.offsetSeconds = try ReportOptions.parseZone(zone)
        options.zoneName = zone
        return options
    }
}
