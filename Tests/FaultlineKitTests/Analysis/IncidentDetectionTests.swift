import Foundation
import Testing

@testable import FaultlineKit

/// Incidents of every kind, from small hand-made logs with explicit times.
@Suite("Incident detection on hand-made logs")
struct IncidentDetectionTests {
    typealias H = AnalysisHarness
    static let window = H.minute
    static let span = 6 * H.hour

    static let hosts = ["gw-1", "gw-2", "gw-3", "gw-4"]
    static let orgs = ["org-a", "org-b", "org-c"]
    static let models = ["gpt-4o", "gpt-4o-mini", "o3-mini"]

    static func keyID(_ key: String) -> String { KeyFingerprinter().keyID(key) }

    /// Healthy traffic every 20 s over six hours, spread over 6 keys, 3 orgs, 3 models and 4 hosts.
    static func background(every step: Int64 = 20_000, from: Int64 = H.t0, to: Int64 = H.t0 + span) -> [LogLine] {
        var lines: [LogLine] = []
        var index = 0
        var time = from
        while time < to {
            lines.append(
                LogLine(
                    time: time, status: 200, key: fakeKey(index % 6), org: orgs[index % 3], model: models[index % 3],
                    host: hosts[index % 4], requestID: "req_bg_\(index)"))
            index += 1
            time += step
        }
        return lines
    }

    /// The report of `lines` (sorted by time) with one-minute windows.
    static func report(_ lines: [LogLine]) throws -> [String: Any] {
        var options = AnalysisOptions()
        options.windowMillis = window
        let sorted = lines.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
        return try H.report(lines: sorted.map(\.element.text), options: options, windowMillis: window)
    }

    struct Expected: CustomTestStringConvertible, Sendable {
        var name: String
        var category: String
        var cause: String
        var scope: String
        var value: String
        var start: Int64
        var end: Int64
        var testDescription: String { name }
    }

    /// A scenario: its log lines and the incident it must produce.
    struct Scenario: CustomTestStringConvertible, Sendable {
        var expected: Expected
        var make: @Sendable () -> [LogLine]
        var testDescription: String { expected.name }
    }

    static let revokedKey = "sk-proj-FAKErevokedRevokedRevokedRevokedRevoked0001"
    static let neverKey = "sk-proj-FAKEneverNeverNeverNeverNeverNeverNever0002"
    static let placeholderKey = "sk-YOUR_API_KEY"
    static let malformedKey = "sk-proj-FAKEmalformedMalformedMalformedMalformed03 "
    static let mismatchKey = "sk-proj-FAKEmismatchMismatchMismatchMismatchMism04"

    /// Failures of `key` every `step` from `from` to `to` (inclusive), with the provider's invalid-key body.
    static func failing(
        _ key: String?, from: Int64, to: Int64, step: Int64, host: String = "gw-1", org: String? = "org-a",
        body: (inout LogLine) -> Void = Errors.invalidKey
    ) -> [LogLine] {
        var lines: [LogLine] = []
        var time = from
        var index = 0
        while time <= to {
            var line = LogLine(
                time: time, status: 0, key: key, org: org, host: host, requestID: "req_f_\(time)_\(index)")
            body(&line)
            lines.append(line)
            time += step
            index += 1
        }
        return lines
    }

    static let scenarios: [Scenario] = [
        Scenario(
            expected: Expected(
                name: "revoked key", category: "auth", cause: "revoked_key", scope: "key", value: keyID(revokedKey),
                start: H.t0 + H.hour + 30_000, end: H.t0 + 3 * H.hour)
        ) {
            var lines = background()
            var time = H.t0
            while time <= H.t0 + H.hour {
                lines.append(
                    LogLine(time: time, status: 200, key: revokedKey, org: "org-a", requestID: "req_r_\(time)"))
                time += 30_000
            }
            return lines + failing(revokedKey, from: H.t0 + H.hour + 30_000, to: H.t0 + 3 * H.hour, step: 30_000)
        },
        Scenario(
            expected: Expected(
                name: "never-succeeding key", category: "auth", cause: "invalid_key", scope: "key",
                value: keyID(neverKey), start: H.t0 + H.hour, end: H.t0 + 4 * H.hour)
        ) {
            background() + failing(neverKey, from: H.t0 + H.hour, to: H.t0 + 4 * H.hour, step: 5 * H.minute)
        },
        Scenario(
            expected: Expected(
                name: "placeholder key", category: "auth", cause: "placeholder_key", scope: "key",
                value: keyID(placeholderKey), start: H.t0 + 2 * H.hour, end: H.t0 + 2 * H.hour + 40 * H.minute)
        ) {
            background()
                + failing(
                    placeholderKey, from: H.t0 + 2 * H.hour, to: H.t0 + 2 * H.hour + 40 * H.minute, step: H.minute)
        },
        Scenario(
            expected: Expected(
                name: "malformed key", category: "auth", cause: "malformed_key", scope: "key",
                value: keyID(malformedKey), start: H.t0 + 3 * H.hour, end: H.t0 + 3 * H.hour + 20 * H.minute)
        ) {
            background()
                + failing(malformedKey, from: H.t0 + 3 * H.hour, to: H.t0 + 3 * H.hour + 20 * H.minute, step: H.minute)
        },
        Scenario(
            expected: Expected(
                name: "missing key from one host", category: "auth", cause: "missing_key", scope: "host",
                value: "gw-legacy", start: H.t0 + H.hour, end: H.t0 + H.hour + 30 * H.minute)
        ) {
            // The legacy host strips the key: `Authorization: Bearer ` with nothing after it.
            var lines = background()
            // Its own healthy traffic before, so the host is one of several with real volume.
            var time = H.t0
            while time < H.t0 + H.hour {
                lines.append(LogLine(time: time, status: 200, key: fakeKey(1), host: "gw-legacy"))
                time += 60_000
            }
            return lines
                + failing("", from: H.t0 + H.hour, to: H.t0 + H.hour + 30 * H.minute, step: H.minute, host: "gw-legacy")
            {
                $0.status = 401
                $0.type = "invalid_request_error"
                $0.message =
                    "You didn't provide an API key. You need to provide your API key in an Authorization header "
                    + "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
            }
        },
        Scenario(
            expected: Expected(
                name: "org mismatch", category: "auth", cause: "org_mismatch", scope: "key", value: keyID(mismatchKey),
                start: H.t0 + 4 * H.hour, end: H.t0 + 4 * H.hour + 30 * H.minute)
        ) {
            background()
                + failing(
                    mismatchKey, from: H.t0 + 4 * H.hour, to: H.t0 + 4 * H.hour + 30 * H.minute, step: H.minute,
                    org: "org-wrong"
                ) {
                    $0.status = 401
                    $0.code = "mismatched_organization"
                    $0.type = "invalid_request_error"
                    $0.message = "OpenAI-Organization header should match organization for API key"
                }
        },
        Scenario(
            expected: Expected(
                name: "org quota exhausted, then restored", category: "billing", cause: "quota_exhausted",
                scope: "org", value: "org-q", start: H.t0 + 2 * H.hour, end: H.t0 + 3 * H.hour)
        ) { quotaLines() },
        Scenario(
            expected: Expected(
                name: "rate-limit storm", category: "rate_limit", cause: "tokens_limit", scope: "global", value: "",
                start: H.t0 + 2 * H.hour, end: H.t0 + 2 * H.hour + 12 * H.minute)
        ) {
            spread(from: H.t0 + 2 * H.hour, to: H.t0 + 2 * H.hour + 12 * H.minute, step: 3_000, body: Errors.rateLimit)
        },
        Scenario(
            expected: Expected(
                name: "global outage", category: "upstream", cause: "server_error", scope: "global", value: "",
                start: H.t0 + 3 * H.hour, end: H.t0 + 3 * H.hour + 20 * H.minute)
        ) {
            spread(from: H.t0 + 3 * H.hour, to: H.t0 + 3 * H.hour + 20 * H.minute, step: 2_000) {
                $0.status = [500, 500, 502, 503][Int($0.time / 2000 % 4)]
                $0.type = "server_error"
                $0.message = "The server had an error while processing your request."
            }
        },
        Scenario(
            expected: Expected(
                name: "one model degraded", category: "upstream", cause: "overloaded", scope: "model",
                value: "gpt-4o-mini", start: H.t0 + 4 * H.hour, end: H.t0 + 4 * H.hour + 30 * H.minute)
        ) {
            // Every request to gpt-4o-mini fails for half an hour; the other models go on succeeding.
            let from = H.t0 + 4 * H.hour
            let to = from + 30 * H.minute
            var lines = background().filter { $0.model != "gpt-4o-mini" || $0.time < from || $0.time > to }
            var time = from
            var index = 0
            while time <= to {
                var line = LogLine(
                    time: time, status: 0, key: fakeKey(index % 6), org: orgs[index % 3], model: "gpt-4o-mini",
                    host: hosts[index % 4], requestID: "req_m_\(index)")
                Errors.overloaded(&line)
                lines.append(line)
                time += 5_000
                index += 1
            }
            return lines
        },
    ]

    /// Failures across every key, org, model and host from `from` to `to`, on top of the background.
    static func spread(from: Int64, to: Int64, step: Int64, body: (inout LogLine) -> Void) -> [LogLine] {
        var lines = background()
        var time = from
        var index = 0
        while time <= to {
            var line = LogLine(
                time: time, status: 0, key: fakeKey(index % 6), org: orgs[index % 3], model: models[index % 3],
                host: hosts[index % 4], requestID: "req_s_\(index)")
            body(&line)
            lines.append(line)
            time += step
            index += 1
        }
        return lines
    }

    /// org-q: fine until T1 (+2 h), only `insufficient_quota` until T2 (+3 h), then fine again.
    static func quotaLines() -> [LogLine] {
        var lines = background()
        var time = H.t0
        var index = 0
        while time < H.t0 + span {
            var line = LogLine(
                time: time, status: 200, key: fakeKey(10 + index % 2), org: "org-q", requestID: "req_q_\(index)")
            if time >= H.t0 + 2 * H.hour && time <= H.t0 + 3 * H.hour { Errors.quota(&line) }
            lines.append(line)
            time += 30_000
            index += 1
        }
        return lines
    }

    @Test("each kind of incident is found with its category, cause, scope and times", arguments: scenarios)
    func finds(_ scenario: Scenario) throws {
        let report = try Self.report(scenario.make())
        let want = scenario.expected
        let matches = report.incidents.filter {
            $0["category"] as? String == want.category && $0["cause"] as? String == want.cause
        }
        let found = try #require(
            matches.first, "no \(want.category)/\(want.cause) in \(IncidentDetectionTests.describe(report))")
        #expect(matches.count == 1, "\(IncidentDetectionTests.describe(report))")
        let scope = found["scope"] as! [String: String]
        #expect(scope["kind"] == want.scope)
        #expect(scope["value"] == want.value)
        let start = try #require(millis(found["start"] as? String))
        let end = try #require(millis(found["end"] as? String))
        #expect(abs(start - want.start) <= Self.window, "start \(found["start"]!)")
        #expect(abs(end - want.end) <= Self.window, "end \(found["end"]!)")
        // The background is healthy: nothing else is an incident.
        #expect(report.incidents.count == 1, "\(IncidentDetectionTests.describe(report))")
    }

    @Test("a revoked key's diagnosis starts at its first failure")
    func revokedSince() throws {
        let report = try Self.report(Self.scenarios[0].make())
        let keys = report["keys"] as! [[String: Any]]
        let key = try #require(keys.first { $0["key_id"] as? String == Self.keyID(Self.revokedKey) })
        #expect(key["diagnosis"] as? String == "revoked_key")
        #expect(millis(key["diagnosis_since"] as? String) == H.t0 + H.hour + 30_000)
        #expect(millis(key["last_success"] as? String) == H.t0 + H.hour)
        let incident = try #require(report.incidents.first)
        // Every 30 s from +1h00m30s to +3h, inclusive.
        #expect(incident["failures"] as? Int == 240)
        #expect(incident["ongoing"] as? Bool == false)
    }

    @Test("an org's quota recovery is dated within one window of the first success")
    func quotaRecovery() throws {
        let report = try Self.report(Self.quotaLines())
        let orgs = report["orgs"] as! [[String: Any]]
        let org = try #require(orgs.first { $0["org"] as? String == "org-q" })
        #expect(org["diagnosis"] as? String == "quota_exhausted")
        let recovered = try #require(millis(org["recovered_at"] as? String))
        #expect(abs(recovered - (H.t0 + 3 * H.hour)) <= Self.window)
        let incident = try #require(report.incidents.first)
        let incidentRecovered = try #require(millis(incident["recovered_at"] as? String))
        #expect(abs(incidentRecovered - (H.t0 + 3 * H.hour)) <= Self.window)
        #expect(incident["ongoing"] as? Bool == false)
        #expect(incident["failures"] as? Int == 121)
    }

    @Test("a key that succeeds from one host and fails from another is an environment difference")
    func environmentDifference() throws {
        let key = "sk-proj-FAKEenvironmentEnvironmentEnvironmentEnv05"
        var lines = Self.background()
        var time = H.t0 + 10_000
        var index = 0
        while time < H.t0 + Self.span {
            var line = LogLine(
                time: time, status: 200, key: key, org: "org-b", host: index % 2 == 0 ? "gw-a" : "gw-b",
                requestID: "req_e_\(index)")
            if index % 2 == 1 { Errors.invalidKey(&line) }
            lines.append(line)
            time += 60_000
            index += 1
        }
        let report = try Self.report(lines)
        let keys = report["keys"] as! [[String: Any]]
        let finding = try #require(keys.first { $0["key_id"] as? String == Self.keyID(key) })
        let note = try #require(finding["note"] as? String)
        #expect(note.contains("environment difference"), "\(note)")
        #expect(note.contains("gw-b") && note.contains("gw-a"), "\(note)")
        let incident = try #require(report.incidents.first { $0["category"] as? String == "auth" })
        let ruledOut = incident["ruled_out"] as? [String] ?? []
        #expect(ruledOut.contains { $0.contains("environment difference") }, "\(ruledOut)")
        #expect(report.incidents.count == 1, "\(Self.describe(report))")
    }

    @Test("background noise alone, under one failure per window over a day, is no incident")
    func noiseOnly() throws {
        let day = 24 * H.hour
        var lines = Self.background(every: 30_000, from: H.t0, to: H.t0 + day)
        var random = SeededRandom(state: 42)
        // One failure every 25 minutes or so, with jitter, rotating through 400, 404 and 500.
        var time = H.t0 + 60_000
        var index = 0
        while time < H.t0 + day {
            var line = LogLine(
                time: time, status: [400, 404, 500][index % 3], key: fakeKey(index % 6), org: Self.orgs[index % 3],
                requestID: "req_n_\(index)")
            switch line.status {
            case 400:
                line.type = "invalid_request_error"
                line.message = "Invalid value for 'temperature': must be between 0 and 2."
            case 404:
                line.type = "invalid_request_error"
                line.code = "model_not_found"
                line.message = "The model `gpt-5-preview` does not exist or you do not have access to it."
            default:
                line.type = "server_error"
                line.message = "The server had an error while processing your request."
            }
            lines.append(line)
            time += 20 * H.minute + Int64(random.below(10 * 60)) * 1000
            index += 1
        }
        let sorted = lines.sorted { $0.time < $1.time }
        let report = try H.report(lines: sorted.map(\.text))
        #expect(report.incidents.isEmpty, "\(Self.describe(report))")
        #expect((report.at("totals.failed") as? Int ?? 0) == index)
        let window = report["window_seconds"] as! Int
        #expect(window == 600)
    }

    static func describe(_ report: [String: Any]) -> String {
        report.incidents.map { incident in
            let scope = incident["scope"] as? [String: String] ?? [:]
            return "\(incident["category"]!)/\(incident["cause"]!) \(scope["kind"] ?? ""):\(scope["value"] ?? "") "
                + "\(incident["start"]!)..\(incident["end"]!) n=\(incident["failures"]!)"
        }.joined(separator: "; ")
    }
}

/// Milliseconds since the epoch of an RFC 3339 time.
func millis(_ text: String?) -> Int64? {
    guard let text else { return nil }
    return text.withCString { pointer in
        Timestamp.parseISO8601(UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)))?.millis
    }
}
