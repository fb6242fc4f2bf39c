/// The shape of the log `faultline sample` writes.
public enum SampleFormat: String, Sendable, CaseIterable, Codable {
    /// Gateway JSON lines (LiteLLM or an in-house proxy): keys, orgs, models, provider error bodies.
    case jsonl
    /// ingress-nginx `upstreaminfo` access log lines: status-level evidence only, no keys or orgs.
    case access
}

/// An incident `faultline sample` can inject; each is optional.
public enum SampleIncident: String, Sendable, CaseIterable, Codable, Comparable {
    /// A key that succeeds, then only gets 401 `invalid_api_key` until the end.
    case revokedKey = "revoked_key"
    /// A template key (`sk-YOUR_API_KEY`) shipped from one host.
    case placeholderKey = "placeholder_key"
    /// A key with stray whitespace or surrounding quotes: always 401.
    case malformedKey = "malformed_key"
    /// No key at all behind one gateway host that strips `Authorization`.
    case missingKey = "missing_key"
    /// One key sent with an `OpenAI-Organization` it does not belong to.
    case orgMismatch = "org_mismatch"
    /// An org's quota runs out at T1 (429 `insufficient_quota` on all its keys) and is restored at T2.
    case quotaExhausted = "quota_exhausted"
    /// A burst of 429 `rate_limit_exceeded` (TPM) with `retry-after` and eager SDK retries.
    case rateLimitStorm = "rate_limit_storm"
    /// A provider outage across all keys: 500/502/503/529 for 10-30 minutes.
    case outage
    /// One model answering 503 while the others are fine.
    case modelDegradation = "model_degradation"
    /// Scattered 400/404/context-length errors and rare 5xx that must not form incidents.
    case noise

    /// Whether an access log, which holds no keys, orgs or error bodies, can show the incident.
    public var appliesToAccessLogs: Bool {
        switch self {
        case .rateLimitStorm, .outage, .modelDegradation, .noise: true
        default: false
        }
    }

    /// Orders incidents as declared.
    public static func < (lhs: SampleIncident, rhs: SampleIncident) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Everything `faultline sample` needs to write a log; the same options give the same bytes.
public struct SampleOptions: Sendable, Equatable {
    /// The log's shape.
    public var format: SampleFormat
    /// Exactly this many lines (ignored when `bytes` is set). Neither set: `defaultLines`.
    public var lines: Int?
    /// About this many uncompressed bytes (the last line may pass it).
    public var bytes: Int64?
    /// The PRNG seed.
    public var seed: UInt64
    /// The first instant of the range, milliseconds since the Unix epoch.
    public var start: Int64
    /// The range's length in milliseconds.
    public var duration: Int64
    /// Whether to gzip the output.
    public var gzip: Bool
    /// zlib level for `gzip`: 6 by default, 1 for speed.
    public var gzipLevel: Int32
    /// The incidents to inject.
    public var incidents: Set<SampleIncident>
    /// How many distinct real-looking keys carry normal traffic.
    public var distinctKeys: Int
    /// How many distinct orgs those keys belong to (Azure keys have none).
    public var distinctOrgs: Int

    /// Lines written when neither `lines` nor `bytes` is given.
    public static let defaultLines = 100_000
    /// 2025-03-10T00:00:00Z, the default start.
    public static let defaultStart: Int64 = Int64(Timestamp.daysFromCivil(year: 2025, month: 3, day: 10)) * 86_400_000

    /// Creates options; every argument has the CLI's default.
    public init(
        format: SampleFormat = .jsonl, lines: Int? = nil, bytes: Int64? = nil, seed: UInt64 = 1,
        start: Int64 = SampleOptions.defaultStart, duration: Int64 = 86_400_000, gzip: Bool = false,
        gzipLevel: Int32 = 6, incidents: Set<SampleIncident> = Set(SampleIncident.allCases), distinctKeys: Int = 12,
        distinctOrgs: Int = 4
    ) {
        self.format = format
        self.lines = lines
        self.bytes = bytes
        self.seed = seed
        self.start = start
        self.duration = duration
        self.gzip = gzip
        self.gzipLevel = gzipLevel
        self.incidents = incidents
        self.distinctKeys = distinctKeys
        self.distinctOrgs = distinctOrgs
    }

    /// Checks the options, with the error a user sees.
    public func validate() throws(FaultlineError) {
        if let lines, lines < 0 { throw Self.bad("--lines must be 0 or more") }
        if let bytes, bytes < 0 { throw Self.bad("--bytes must be 0 or more") }
        if duration <= 0 { throw Self.bad("--duration must be positive") }
        if distinctKeys < 1 || distinctKeys > 1_000_000 { throw Self.bad("distinct keys must be 1...1000000") }
        if distinctOrgs < 1 || distinctOrgs > 100_000 { throw Self.bad("distinct orgs must be 1...100000") }
        if !(1...9).contains(gzipLevel) { throw Self.bad("gzip level must be 1...9") }
    }

    private static func bad(_ reason: String) -> FaultlineError { FaultlineError(.badOption, reason: reason) }

    /// Reads a size: `200MB`, `1GB`, `1.5G` (decimal), `512KiB`, `2GiB` (binary), `1000` or `1000B` (bytes).
    public static func parseSize(_ text: String) -> Int64? {
        guard let (value, unit) = splitNumber(Substring(text)) else { return nil }
        let multipliers: [(String, Double)] = [
            ("", 1), ("b", 1), ("k", 1e3), ("kb", 1e3), ("m", 1e6), ("mb", 1e6), ("g", 1e9), ("gb", 1e9),
            ("t", 1e12), ("tb", 1e12), ("kib", 1024), ("mib", 1_048_576), ("gib", 1_073_741_824),
            ("tib", 1_099_511_627_776),
        ]
        guard let multiplier = multipliers.first(where: { $0.0 == unit.lowercased() })?.1 else { return nil }
        let bytes = (value * multiplier).rounded()
        guard bytes >= 0, bytes < 9e18 else { return nil }
        return Int64(bytes)
    }

    /// Reads a duration in milliseconds: `24h`, `90m`, `30s`, `2d`, `500ms`, `1h30m`; a bare number is seconds.
    public static func parseDuration(_ text: String) -> Int64? {
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let numberEnd = rest.firstIndex { !($0.isASCII && ($0.isNumber || $0 == ".")) } ?? rest.endIndex
            guard let value = Double(rest[..<numberEnd]) else { return nil }
            rest = rest[numberEnd...]
            let unitEnd = rest.firstIndex { $0.isASCII && ($0.isNumber || $0 == ".") } ?? rest.endIndex
            let unit = rest[..<unitEnd].lowercased()
            rest = rest[unitEnd...]
            let scale: Double
            switch unit {
            case "ms": scale = 1
            case "", "s": scale = 1000
            case "m", "min": scale = 60_000
            case "h": scale = 3_600_000
            case "d": scale = 86_400_000
            case "w": scale = 604_800_000
            default: return nil
            }
            total += value * scale
        }
        guard total >= 0, total < 9e18 else { return nil }
        return Int64(total.rounded())
    }

    /// Reads `--start`: RFC 3339 (`2025-03-10T00:00:00Z`) or a date alone (`2025-03-10`, midnight UTC).
    public static func parseTime(_ text: String) -> Int64? {
        var text = text
        if text.utf8.count == 10 { text += "T00:00:00Z" }
        return text.withUTF8 { Timestamp.parseISO8601(UnsafeRawBufferPointer($0))?.millis }
    }

    private static func splitNumber(_ text: Substring) -> (Double, String)? {
        let end = text.firstIndex { !($0.isASCII && ($0.isNumber || $0 == ".")) } ?? text.endIndex
        guard let value = Double(text[..<end]) else { return nil }
        return (value, String(text[end...]).trimmingSpaces())
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
