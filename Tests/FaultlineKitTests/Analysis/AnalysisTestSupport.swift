import Foundation

@testable import FaultlineKit

/// Runs the real pipeline over real files and renders the real JSON report.
enum AnalysisHarness {
    /// 2025-03-10T00:00:00Z.
    static let t0: Int64 = SampleOptions.defaultStart
    static let minute: Int64 = 60_000
    static let hour: Int64 = 3_600_000

    /// A configuration with the given analysis options (one job, so runs are reproducible).
    static func configuration(_ options: AnalysisOptions = AnalysisOptions()) -> Analyzer.Configuration {
        var configuration = Analyzer.Configuration()
        configuration.analysis = options
        configuration.format = .jsonl
        return configuration
    }

    /// Writes each shard to its own file in `directory` and analyses each file on its own.
    static func summaries(
        _ shards: [[UInt8]], in directory: TemporaryDirectory, options: AnalysisOptions = AnalysisOptions()
    ) throws -> [Summary] {
        let analyzer = try Analyzer(configuration(options))
        return try shards.enumerated().map { index, bytes in
            let path = try directory.write("shard-\(index).jsonl", bytes)
            return analyzer.analyze(InputSource(path: path))
        }
    }

    /// One summary of one file holding `bytes`.
    static func summary(_ bytes: [UInt8], options: AnalysisOptions = AnalysisOptions()) throws -> Summary {
        let directory = try TemporaryDirectory()
        return try summaries([bytes], in: directory, options: options)[0]
    }

    /// The JSON report of `summary`, parsed, without `inputs` (which differ between shards and a single run).
    static func report(_ summary: Summary, windowMillis: Int64? = nil) throws -> [String: Any] {
        let text = JSONReport.render(Findings(summary, windowMillis: windowMillis))
        var object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        object["inputs"] = nil
        return object
    }

    /// The report of hand-made lines.
    static func report(
        lines: [String], options: AnalysisOptions = AnalysisOptions(), windowMillis: Int64? = nil
    )
        throws -> [String: Any]
    {
        try report(summary(Array(lines.joined().utf8), options: options), windowMillis: windowMillis)
    }

    /// Splits the bytes of a log into its lines, each with its newline.
    static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var start = 0
        for index in bytes.indices where bytes[index] == 0x0a {
            result.append(Array(bytes[start...index]))
            start = index + 1
        }
        if start < bytes.count { result.append(Array(bytes[start...]) + [0x0a]) }
        return result
    }
}

/// A small deterministic PRNG (SplitMix64) for splitting shards the same way every run.
struct SeededRandom {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

/// One hand-made gateway JSON line.
struct LogLine {
    var time: Int64
    var status: Int
    var key: String? = nil
    var org: String? = nil
    var model: String? = "gpt-4o"
    var endpoint: String? = "/v1/chat/completions"
    var host: String? = "gw-1"
    var requestID: String? = nil
    var code: String? = nil
    var type: String? = nil
    var message: String? = nil
    var retryAfterSeconds: Int? = nil
    /// Writes the key as `Authorization: Bearer <key>` (an empty key gives `Bearer `).
    var bearer = true

    var text: String {
        var members = ["\"ts\":\(quote(Timestamp.format(time)))", "\"status\":\(status)"]
        if let requestID { members.append("\"request_id\":\(quote(requestID))") }
        if let model { members.append("\"model\":\(quote(model))") }
        if let endpoint { members.append("\"endpoint\":\(quote(endpoint))") }
        if let host { members.append("\"host\":\(quote(host))") }
        if let org { members.append("\"org\":\(quote(org))") }
        var headers: [String] = []
        if let key {
            if bearer {
                headers.append("\"authorization\":\(quote("Bearer " + key))")
            } else {
                members.append("\"api_key\":\(quote(key))")
            }
        }
        if let retryAfterSeconds { headers.append("\"retry-after\":\(quote(String(retryAfterSeconds)))") }
        if !headers.isEmpty { members.append("\"headers\":{\(headers.joined(separator: ","))}") }
        if code != nil || type != nil || message != nil {
            var error: [String] = []
            if let message { error.append("\"message\":\(quote(message))") }
            if let type { error.append("\"type\":\(quote(type))") }
            error.append("\"code\":\(code.map(quote) ?? "null")")
            members.append("\"error\":{\(error.joined(separator: ","))}")
        }
        return "{" + members.joined(separator: ",") + "}\n"
    }

    private func quote(_ value: String) -> String {
        var out = "\""
        for character in value.unicodeScalars {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: out.unicodeScalars.append(character)
            }
        }
        return out + "\""
    }
}

/// Provider error bodies used by the hand-made logs.
enum Errors {
    static func invalidKey(_ line: inout LogLine) {
        line.status = 401
        line.code = "invalid_api_key"
        line.type = "invalid_request_error"
        line.message =
            "Incorrect API key provided: sk-proj-****abcd. You can find your API key at "
            + "https://platform.openai.com/account/api-keys."
    }

    static func quota(_ line: inout LogLine) {
        line.status = 429
        line.code = "insufficient_quota"
        line.type = "insufficient_quota"
        line.message = "You exceeded your current quota, please check your plan and billing details."
    }

    static func rateLimit(_ line: inout LogLine) {
        line.status = 429
        line.code = "rate_limit_exceeded"
        line.type = "tokens"
        line.message =
            "Rate limit reached for gpt-4o in organization org-a on tokens per min (TPM): Limit 30000, "
            + "Used 29000, Requested 1500. Please try again in 2s."
        line.retryAfterSeconds = 2
    }

    static func overloaded(_ line: inout LogLine) {
        line.status = 503
        line.code = nil
        line.type = "server_error"
        line.message = "That model is currently overloaded with other requests."
    }
}

/// A realistic-looking fake key for index `index` (never a real secret).
func fakeKey(_ index: Int) -> String {
    let body = String(repeating: "A", count: 40) + String(format: "%08d", index)
    return "sk-proj-FAKE" + body
}

extension [String: Any] {
    /// A nested value by path: `totals.requests`.
    func at(_ path: String) -> Any? {
        var current: Any? = self
        for part in path.split(separator: ".") { current = (current as? [String: Any])?[String(part)] }
        return current
    }

    var incidents: [[String: Any]] { self["incidents"] as? [[String: Any]] ?? [] }
}
