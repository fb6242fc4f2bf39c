/// The provider a sample request goes to; decides key shape, headers and error bodies.
enum SampleProvider: Int {
    case openai, anthropic, azure

    var name: [UInt8] {
        switch self {
        case .openai: Array("openai".utf8)
        case .anthropic: Array("anthropic".utf8)
        case .azure: Array("azure".utf8)
        }
    }
}

/// How a request carries its key in the log.
enum KeyCarriage {
    case header
    case absent
    case emptyBearer
}

struct SampleKey {
    /// The key exactly as logged after `Bearer `: what `key_id` hashes.
    var raw: [UInt8]
    /// `raw` escaped for the inside of a JSON string.
    var json: [UInt8]
    /// The masked form OpenAI prints in its 401 message, JSON-escaped.
    var masked: [UInt8]
    var provider: SampleProvider
    var org: Int?
    var project: [UInt8]?
    var userAgent: Int
    var clientIP: [UInt8]
    var carriage: KeyCarriage = .header
}

struct SampleOrg {
    var id: [UInt8]
    var provider: SampleProvider
}

struct SampleModel {
    var name: [UInt8]
    var endpoint: [UInt8]
    /// What the access log's request line adds after the path (Azure's `api-version`).
    var query: [UInt8]
    var provider: SampleProvider
    var weight: Double
    var fast: Bool
}

/// A planned incident: who it hits and when it is active.
struct IncidentPlan {
    var kind: SampleIncident
    var start: Int64
    var end: Int64
    var key = -1
    var org = -1
    var model = -1
    var host = -1
    var wrongOrg: [UInt8] = []

    @inline(__always)
    func active(_ time: Int64) -> Bool { time >= start && time < end }
}

/// The cast of a sample log: keys, orgs, models, hosts, and the incidents planned over them.
struct SampleWorld {
    var keys: [SampleKey] = []
    /// Keys `0..<normalKeys` carry ordinary traffic; the rest belong to incidents.
    var normalKeys = 0
    var keyCumulative: [Double] = []
    var orgs: [SampleOrg] = []
    var models: [SampleModel] = []
    var modelsByProvider: [[Int]] = [[], [], []]
    var modelCumulative: [[Double]] = [[], [], []]
    var hosts: [[UInt8]] = []
    var normalHosts = 4
    var userAgents: [[UInt8]] = []
    var userAgentsByProvider: [[Int]] = [[], [], []]
    var upstreamAddrs: [[UInt8]] = []

    var revoked: IncidentPlan?
    var placeholder: IncidentPlan?
    var malformed: IncidentPlan?
    var missing: IncidentPlan?
    var mismatch: IncidentPlan?
    var quota: IncidentPlan?
    var storm: IncidentPlan?
    var outage: IncidentPlan?
    var degradation: IncidentPlan?
    var noiseInterval: Int64 = 0

    init(options: SampleOptions, random: inout SampleRandom) {
        buildCast(options: options, random: &random)
        planIncidents(options: options, random: &random)
    }

    // MARK: Cast

    private mutating func buildCast(options: SampleOptions, random: inout SampleRandom) {
        userAgents = [
            "OpenAI/Python 1.51.0", "openai-node/4.67.3", "curl/8.5.0", "OpenAI/Python 1.40.6",
            "Anthropic/Python 0.39.0", "anthropic-typescript/0.32.1", "AzureOpenAI/Python 1.51.0",
        ].map { Array($0.utf8) }
        userAgentsByProvider = [[0, 1, 2, 3], [4, 5, 2], [6, 1]]
        let modelTable: [(String, String, String, SampleProvider, Double, Bool)] = [
            ("gpt-4o", "/v1/chat/completions", "", .openai, 5, false),
            ("gpt-4o-mini", "/v1/chat/completions", "", .openai, 8, false),
            ("o3-mini", "/v1/chat/completions", "", .openai, 1, false),
            ("text-embedding-3-small", "/v1/embeddings", "", .openai, 3, true),
            ("claude-3-5-sonnet-20241022", "/v1/messages", "", .anthropic, 5, false),
            ("claude-3-5-haiku-20241022", "/v1/messages", "", .anthropic, 3, false),
            (
                "gpt-35-turbo", "/openai/deployments/gpt-35-turbo/chat/completions", "?api-version=2024-06-01",
                .azure, 4, false
            ),
            (
                "gpt-4o", "/openai/deployments/gpt-4o-prod/chat/completions", "?api-version=2024-06-01", .azure, 2,
                false
            ),
        ]
        for (index, entry) in modelTable.enumerated() {
            models.append(
                SampleModel(
                    name: Array(entry.0.utf8), endpoint: Array(entry.1.utf8), query: Array(entry.2.utf8),
                    provider: entry.3, weight: entry.4, fast: entry.5))
            modelsByProvider[entry.3.rawValue].append(index)
        }
        for provider in 0..<3 {
            var total = 0.0
            modelCumulative[provider] = modelsByProvider[provider].map {
                total += models[$0].weight
                return total
            }
        }

        for _ in 0..<normalHosts { hosts.append(gatewayHost(prefix: "gw-", random: &random)) }
        for index in 0..<6 {
            upstreamAddrs.append(Array("10.0.\(5 + index / 3).\(10 + random.below(200)):443".utf8))
        }

        // Orgs: mostly OpenAI, at least one Anthropic once there are two.
        let orgCount = options.distinctOrgs
        let anthropicOrgs = orgCount >= 2 ? max(1, orgCount / 4) : 0
        for index in 0..<orgCount {
            if index < orgCount - anthropicOrgs {
                orgs.append(
                    SampleOrg(
                        id: Array("org-".utf8) + random.string(24, from: SampleRandom.alphanumerics),
                        provider: .openai))
            } else {
                orgs.append(SampleOrg(id: uuid(&random), provider: .anthropic))
            }
        }
        let openaiOrgs = orgs.indices.filter { orgs[$0].provider == .openai }
        let anthropicOrgIndices = orgs.indices.filter { orgs[$0].provider == .anthropic }

        // Keys: about two thirds OpenAI, then Anthropic and Azure; weights fall off like real usage.
        var weights: [Double] = []
        for index in 0..<options.distinctKeys {
            let slot = index % 6
            let provider: SampleProvider
            if slot == 4 && !anthropicOrgIndices.isEmpty {
                provider = .anthropic
            } else if slot == 5 {
                provider = .azure
            } else {
                provider = .openai
            }
            var key = makeKey(provider: provider, random: &random)
            switch provider {
            case .openai:
                key.org = openaiOrgs[(index / 6 * 4 + slot) % openaiOrgs.count]
                if random.chance(0.6) {
                    key.project = Array("proj_".utf8) + random.string(24, from: SampleRandom.alphanumerics)
                }
            case .anthropic: key.org = anthropicOrgIndices[(index / 6) % anthropicOrgIndices.count]
            case .azure: break
            }
            keys.append(key)
            weights.append(1.0 / Double(index + 1).squareRoot() * (0.5 + random.unit()))
        }
        normalKeys = keys.count
        var total = 0.0
        keyCumulative = weights.map {
            total += $0
            return total
        }
    }

    private func gatewayHost(prefix: String, random: inout SampleRandom) -> [UInt8] {
        Array(prefix.utf8) + random.string(4, from: SampleRandom.hexDigits) + [UInt8(ascii: "-")]
            + random.string(5, from: SampleRandom.lowerAlphanumerics)
    }

    private func uuid(_ random: inout SampleRandom) -> [UInt8] {
        var text = random.string(32, from: SampleRandom.hexDigits)
        for position in [20, 16, 12, 8] { text.insert(UInt8(ascii: "-"), at: position) }
        return text
    }

    /// A fake key shaped like a real one, with `FAKE` in it and never a real key's checksum marker.
    private func makeKey(provider: SampleProvider, random: inout SampleRandom) -> SampleKey {
        var raw: [UInt8]
        repeat {
            switch provider {
            case .openai:
                let prefix = random.chance(0.8) ? "sk-proj-" : (random.chance(0.5) ? "sk-svcacct-" : "sk-")
                raw = Array(prefix.utf8) + Array("FAKE".utf8) + random.string(60, from: SampleRandom.keyAlphabet)
            case .anthropic:
                // 86 body characters ending in "Fk": never gitleaks' 93 characters plus "AA".
                raw =
                    Array("sk-ant-api03-FAKE".utf8) + random.string(80, from: SampleRandom.keyAlphabet)
                    + Array("Fk".utf8)
            case .azure:
                raw = Array("FAKE".utf8) + random.string(28, from: SampleRandom.hexDigits)
            }
        } while raw.containsSequence(Array("T3BlbkFJ".utf8))
        let uaChoices = userAgentsByProvider[provider.rawValue]
        return SampleKey(
            raw: raw, json: raw.jsonEscaped, masked: Self.masked(raw).jsonEscaped, provider: provider, org: nil,
            project: nil, userAgent: uaChoices[random.below(uaChoices.count)],
            clientIP: Array("10.\(20 + random.below(40)).\(random.below(256)).\(1 + random.below(254))".utf8))
    }

    /// OpenAI's masking in "Incorrect API key provided": a short prefix, stars, the last four.
    static func masked(_ raw: [UInt8]) -> [UInt8] {
        guard raw.count > 12 else { return raw }
        let prefixLength = raw.starts(with: Array("sk-proj-".utf8)) ? 8 : min(7, raw.count / 3)
        return Array(raw.prefix(prefixLength)) + [UInt8](repeating: UInt8(ascii: "*"), count: 20) + raw.suffix(4)
    }

    // MARK: Incidents

    private mutating func planIncidents(options: SampleOptions, random: inout SampleRandom) {
        let start = options.start
        let duration = options.duration
        let wanted = options.incidents
        let jsonl = options.format == .jsonl
        func at(_ low: Double, _ high: Double) -> Int64 {
            start + Int64((low + (high - low) * random.unit()) * Double(duration))
        }
        func span(minutes low: Double, _ high: Double, cap: Double) -> Int64 {
            let minutes = low + (high - low) * random.unit()
            return Int64(min(minutes * 60_000, Double(duration) * cap))
        }
        let end = start + duration
        let openaiOrgs = orgs.indices.filter { orgs[$0].provider == .openai }
        let quotaOrg = openaiOrgs.first
        let stormOrg = openaiOrgs.count > 1 ? openaiOrgs[1] : openaiOrgs.first
        // Key incidents stay off the quota org so each key has one story.
        let freeOpenAIKeys = (0..<normalKeys).filter { keys[$0].provider == .openai && keys[$0].org != quotaOrg }

        if wanted.contains(.quotaExhausted), jsonl, let quotaOrg {
            let t1 = at(0.35, 0.5)
            quota = IncidentPlan(kind: .quotaExhausted, start: t1, end: min(end, t1 + Int64(Double(duration) * 0.2)))
            quota!.org = quotaOrg
        }
        if wanted.contains(.revokedKey), jsonl, let key = freeOpenAIKeys.first {
            revoked = IncidentPlan(kind: .revokedKey, start: at(0.3, 0.6), end: end)
            revoked!.key = key
        }
        if wanted.contains(.orgMismatch), jsonl, freeOpenAIKeys.count > 1 {
            let begin = at(0.55, 0.7)
            mismatch = IncidentPlan(kind: .orgMismatch, start: begin, end: begin + Int64(Double(duration) * 0.12))
            mismatch!.key = freeOpenAIKeys[1]
            mismatch!.wrongOrg = Array("org-".utf8) + random.string(24, from: SampleRandom.alphanumerics)
        }
        if wanted.contains(.placeholderKey), jsonl {
            let placeholders = ["sk-YOUR_API_KEY", "YOUR_OPENAI_API_KEY", "${OPENAI_API_KEY}", "<your key>"]
            var key = makeKey(provider: .openai, random: &random)
            key.raw = Array(placeholders[random.below(placeholders.count)].utf8)
            key.json = key.raw.jsonEscaped
            key.masked = Self.masked(key.raw).jsonEscaped
            key.org = nil
            key.project = nil
            keys.append(key)
            hosts.append(gatewayHost(prefix: "gw-canary-", random: &random))
            let begin = at(0.1, 0.25)
            placeholder = IncidentPlan(kind: .placeholderKey, start: begin, end: begin + Int64(Double(duration) * 0.15))
            placeholder!.key = keys.count - 1
            placeholder!.host = hosts.count - 1
        }
        if wanted.contains(.malformedKey), jsonl, let base = freeOpenAIKeys.last {
            var key = keys[base]
            switch random.below(3) {
            case 0: key.raw = [UInt8(ascii: "\"")] + key.raw + [UInt8(ascii: "\"")]
            case 1: key.raw += [UInt8(ascii: "\n")]
            default: key.raw = [UInt8(ascii: " ")] + key.raw
            }
            key.json = key.raw.jsonEscaped
            key.masked = Self.masked(key.raw).jsonEscaped
            keys.append(key)
            let begin = at(0.7, 0.8)
            malformed = IncidentPlan(kind: .malformedKey, start: begin, end: begin + Int64(Double(duration) * 0.1))
            malformed!.key = keys.count - 1
        }
        if wanted.contains(.missingKey), jsonl {
            var key = makeKey(provider: .openai, random: &random)
            key.carriage = random.chance(0.5) ? .absent : .emptyBearer
            key.raw = []
            key.json = []
            key.org = nil
            key.project = nil
            keys.append(key)
            hosts.append(gatewayHost(prefix: "gw-legacy-", random: &random))
            let begin = at(0.05, 0.85)
            missing = IncidentPlan(kind: .missingKey, start: begin, end: begin + Int64(Double(duration) * 0.08))
            missing!.key = keys.count - 1
            missing!.host = hosts.count - 1
        }
        if wanted.contains(.rateLimitStorm), let stormOrg {
            let begin = at(0.15, 0.3)
            storm = IncidentPlan(kind: .rateLimitStorm, start: begin, end: begin + span(minutes: 8, 20, cap: 0.1))
            storm!.org = jsonl ? stormOrg : -1
        }
        if wanted.contains(.outage) {
            let begin = at(0.6, 0.68)
            outage = IncidentPlan(kind: .outage, start: begin, end: begin + span(minutes: 10, 30, cap: 0.1))
        }
        if wanted.contains(.modelDegradation) {
            // Models with an endpoint of their own, so an access log shows the degradation too.
            let candidates = models.indices.filter { index in
                models.indices.allSatisfy { other in
                    other == index || models[other].endpoint != models[index].endpoint
                } && (0..<normalKeys).contains { keys[$0].provider == models[index].provider }
            }
            if !candidates.isEmpty {
                let begin = at(0.85, 0.9)
                degradation = IncidentPlan(
                    kind: .modelDegradation, start: begin, end: begin + span(minutes: 25, 60, cap: 0.08))
                degradation!.model = candidates[random.below(candidates.count)]
            }
        }
        if wanted.contains(.noise) {
            // About 30 scattered errors per range: well under one per timeline window.
            noiseInterval = max(1, duration / 30)
        }
    }

    func pickKey(_ random: inout SampleRandom) -> Int {
        let target = random.unit() * keyCumulative[keyCumulative.count - 1]
        var low = 0
        var high = keyCumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if keyCumulative[middle] <= target { low = middle + 1 } else { high = middle }
        }
        return low
    }

    func pickModel(for provider: SampleProvider, _ random: inout SampleRandom) -> Int {
        let cumulative = modelCumulative[provider.rawValue]
        let target = random.unit() * cumulative[cumulative.count - 1]
        var index = 0
        while index < cumulative.count - 1 && cumulative[index] <= target { index += 1 }
        return modelsByProvider[provider.rawValue][index]
    }
}

extension Array where Element == UInt8 {
    func containsSequence(_ needle: [UInt8]) -> Bool {
        guard needle.count <= count else { return false }
        for start in 0...(count - needle.count) where self[start..<start + needle.count].elementsEqual(needle) {
            return true
        }
        return false
    }
}
