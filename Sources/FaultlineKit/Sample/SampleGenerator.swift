/// Writes a realistic synthetic log with known incidents, streaming, and returns what it holds.
///
/// The same options give the same bytes: all randomness comes from one seeded SplitMix64 and no
/// output depends on hashing order.
public struct SampleGenerator: Sendable {
    /// The options it was made with.
    public let options: SampleOptions

    /// Bytes handed to the output at a time (before gzip).
    static let chunkSize = 1 << 20

    /// Checks the options and makes a generator.
    public init(options: SampleOptions) throws(FaultlineError) {
        try options.validate()
        self.options = options
    }

    /// Streams the log to `output` in chunks of about 1 MiB (gzip members when `options.gzip`); the chunk
    /// memory is reused after `output` returns.
    public func write(
        to output: (UnsafeRawBufferPointer) throws(FaultlineError) -> Void
    ) throws(FaultlineError) -> SampleTruth {
        var engine = SampleEngine(options: options)
        defer { engine.release() }
        if options.gzip {
            let gzip = try GzipWriter(level: options.gzipLevel)
            try engine.run { (chunk) throws(FaultlineError) in try gzip.compress(chunk, to: output) }
            try gzip.finish(to: output)
        } else {
            try engine.run(output)
        }
        return engine.truth()
    }

    /// The whole log in memory with its truth; for tests and small samples.
    public func generate() throws(FaultlineError) -> (bytes: [UInt8], truth: SampleTruth) {
        var bytes: [UInt8] = []
        let truth = try write { (chunk) throws(FaultlineError) in bytes.append(contentsOf: chunk) }
        return (bytes, truth)
    }
}

/// Why a line failed, as generated; with the status it decides category, cause and incident.
enum SampleFailure: Int {
    case none, revoked, placeholder, malformed, missing, mismatch, quota, storm, outage, degraded
    case noiseContext, noiseBadRequest, noiseNotFound, noiseServer

    static let count = 14

    /// The slot of the incident this failure belongs to, or -1 for success and noise.
    var incident: Int { rawValue >= 1 && rawValue <= 9 ? rawValue - 1 : -1 }

    static let incidentKinds: [SampleIncident] = [
        .revokedKey, .placeholderKey, .malformedKey, .missingKey, .orgMismatch, .quotaExhausted, .rateLimitStorm,
        .outage, .modelDegradation,
    ]

    func classify(status: Int, format: SampleFormat) -> (Category, Cause) {
        switch self {
        case .none: (.success, .none)
        case .revoked: (.auth, .revokedKey)
        case .placeholder: (.auth, .placeholderKey)
        case .malformed: (.auth, .malformedKey)
        case .missing: (.auth, .missingKey)
        case .mismatch: (.auth, .orgMismatch)
        case .quota: (.billing, .quotaExhausted)
        case .storm: (.rateLimit, format == .jsonl ? .tokensLimit : .unknown)
        case .outage, .noiseServer:
            switch status {
            case 502: (.upstream, .badGateway)
            // An access log has no body: a bare 503 is only a server error (status-only), as the classifier says.
            case 503: (.upstream, format == .jsonl ? .overloaded : .serverError)
            case 529: (.upstream, .overloaded)
            default: (.upstream, .serverError)
            }
        case .degraded: (.upstream, format == .jsonl ? .overloaded : .serverError)
        case .noiseContext: (.client, format == .jsonl ? .contextLength : .badRequest)
        case .noiseBadRequest: (.client, .badRequest)
        case .noiseNotFound: (.client, .notFound)
        }
    }
}

/// One request attempt's identity; retries copy it so attempts share the request ID.
struct SampleRequest {
    var key: Int
    var model: Int
    var host: Int
    var idHigh: UInt64
    var idLow: UInt64
    var attempt = 1
    var forced = SampleFailure.none
    var wrongOrg = false
}

struct SampleOutcome {
    var status = 200
    var failure = SampleFailure.none
    /// `retry-after` seconds to log, 0 for none.
    var retryAfter = 0
    /// The "try again in N ms" of a TPM message.
    var tryAgainMillis = 0
}

/// The generator's mutable state; one run.
struct SampleEngine {
    let options: SampleOptions
    var random: SampleRandom
    var world: SampleWorld
    var lines: LineFormatter
    let buffer: UnsafeMutablePointer<UInt8>
    let scratch: UnsafeMutablePointer<UInt8>
    var writer: ByteWriter
    var flushed: Int64 = 0
    var lineCount = 0
    var pending: [(due: Int64, request: SampleRequest)] = []
    var nextNoise = Int64.max
    /// Lines per (failure, status), from which every total is derived.
    var counts = [Int](repeating: 0, count: SampleFailure.count * 600)
    var incidentFirst = [Int64](repeating: .max, count: 9)
    var incidentLast = [Int64](repeating: .min, count: 9)

    static let bufferMargin = 64 * 1024

    init(options: SampleOptions) {
        self.options = options
        random = SampleRandom(seed: options.seed)
        world = SampleWorld(options: options, random: &random)
        lines = LineFormatter(world: world, format: options.format)
        buffer = .allocate(capacity: SampleGenerator.chunkSize + Self.bufferMargin)
        scratch = .allocate(capacity: Self.bufferMargin)
        writer = ByteWriter(base: buffer, capacity: SampleGenerator.chunkSize + Self.bufferMargin)
        if world.noiseInterval > 0 {
            nextNoise = options.start + random.between(0, world.noiseInterval)
        }
    }

    func release() {
        buffer.deallocate()
        scratch.deallocate()
    }

    mutating func run(_ output: (UnsafeRawBufferPointer) throws(FaultlineError) -> Void) throws(FaultlineError) {
        let start = options.start
        let end = start + options.duration
        let duration = Double(options.duration)
        let targetBytes = options.bytes
        let targetLines = options.lines ?? SampleOptions.defaultLines
        var lastTime = start
        var scratchWriter = ByteWriter(base: scratch, capacity: Self.bufferMargin)
        while true {
            let written = flushed + Int64(writer.count)
            let progress: Double
            let gap: Double
            if let targetBytes {
                if written >= targetBytes { break }
                let average = lineCount > 0 ? Double(written) / Double(lineCount) : 500
                progress = Double(written) / Double(targetBytes)
                gap = duration * average / Double(targetBytes)
            } else {
                if lineCount >= targetLines { break }
                progress = Double(lineCount) / Double(targetLines)
                gap = duration / Double(targetLines)
            }
            var time = start + Int64(progress * duration + random.unit() * gap)
            time = min(max(time, lastTime), end - 1)
            lastTime = time

            var request: SampleRequest
            if let first = pending.first, first.due <= time {
                request = pending.removeFirst().request
                request.attempt += 1
            } else {
                request = freshRequest(at: time)
            }
            let outcome = evaluate(request, at: time)
            let loggedTime = lines.write(
                &writer, scratch: &scratchWriter, time: time, request: request, outcome: outcome, random: &random)
            record(outcome, at: loggedTime)
            scheduleRetry(request, outcome, at: time)
            lineCount += 1
            if writer.count >= SampleGenerator.chunkSize {
                try output(writer.bytes)
                flushed += Int64(writer.count)
                writer.count = 0
            }
        }
        if writer.count > 0 {
            try output(writer.bytes)
            flushed += Int64(writer.count)
            writer.count = 0
        }
    }

    private mutating func normalRequest() -> SampleRequest {
        let key = world.pickKey(&random)
        let model = world.pickModel(for: world.keys[key].provider, &random)
        return SampleRequest(
            key: key, model: model, host: random.below(world.normalHosts), idHigh: random.next(),
            idLow: random.next())
    }

    private mutating func freshRequest(at time: Int64) -> SampleRequest {
        if time >= nextNoise {
            nextNoise = time + random.between(world.noiseInterval / 2, world.noiseInterval * 3 / 2)
            var request = normalRequest()
            let roll = random.below(20)
            request.forced =
                roll < 8 ? .noiseContext : roll < 13 ? .noiseBadRequest : roll < 18 ? .noiseNotFound : .noiseServer
            return request
        }
        let roll = random.unit()
        if let plan = world.placeholder, roll < 0.02, plan.active(time) {
            return special(plan, .placeholder)
        }
        if let plan = world.malformed, roll >= 0.02, roll < 0.04, plan.active(time) {
            return special(plan, .malformed)
        }
        if let plan = world.missing, roll >= 0.04, roll < 0.06, plan.active(time) {
            return special(plan, .missing)
        }
        var request = normalRequest()
        if let plan = world.mismatch, request.key == plan.key, plan.active(time), random.chance(0.5) {
            request.wrongOrg = true
        }
        return request
    }

    private mutating func special(_ plan: IncidentPlan, _ failure: SampleFailure) -> SampleRequest {
        let model = world.pickModel(for: .openai, &random)
        var request = SampleRequest(
            key: plan.key, model: model, host: plan.host >= 0 ? plan.host : random.below(world.normalHosts),
            idHigh: random.next(), idLow: random.next())
        request.forced = failure
        return request
    }

    private mutating func evaluate(_ request: SampleRequest, at time: Int64) -> SampleOutcome {
        switch request.forced {
        case .placeholder, .malformed, .missing: return SampleOutcome(status: 401, failure: request.forced)
        default: break
        }
        let key = world.keys[request.key]
        if let plan = world.revoked, request.key == plan.key, time >= plan.start {
            return SampleOutcome(status: 401, failure: .revoked)
        }
        if let plan = world.quota, key.org == plan.org, plan.active(time) {
            return SampleOutcome(status: 429, failure: .quota)
        }
        if request.wrongOrg { return SampleOutcome(status: 401, failure: .mismatch) }
        switch request.forced {
        case .noiseContext: return SampleOutcome(status: 400, failure: .noiseContext)
        case .noiseBadRequest: return SampleOutcome(status: 400, failure: .noiseBadRequest)
        case .noiseNotFound: return SampleOutcome(status: 404, failure: .noiseNotFound)
        case .noiseServer: return SampleOutcome(status: 500, failure: .noiseServer)
        default: break
        }
        if let plan = world.outage, plan.active(time), random.chance(0.6) {
            let roll = random.below(20)
            let status: Int
            switch key.provider {
            // 500 dominates so the outage's majority cause is clear even over a few dozen lines.
            case .openai: status = roll < 13 ? 500 : roll < 16 ? 502 : 503
            case .anthropic: status = roll < 12 ? 500 : 529
            case .azure: status = roll < 13 ? 500 : 503
            }
            return SampleOutcome(status: status, failure: .outage)
        }
        if let plan = world.degradation, request.model == plan.model, plan.active(time), random.chance(0.7) {
            return SampleOutcome(status: 503, failure: .degraded)
        }
        if let plan = world.storm, plan.active(time), plan.org < 0 ? random.chance(0.35) : key.org == plan.org,
            random.chance(0.5)
        {
            let millis = 200 + random.below(5800)
            return SampleOutcome(
                status: 429, failure: .storm, retryAfter: (millis + 999) / 1000, tryAgainMillis: millis)
        }
        return SampleOutcome()
    }

    private mutating func record(_ outcome: SampleOutcome, at time: Int64) {
        counts[outcome.failure.rawValue * 600 + min(outcome.status, 599)] += 1
        let slot = outcome.failure.incident
        if slot >= 0 {
            if time < incidentFirst[slot] { incidentFirst[slot] = time }
            if time > incidentLast[slot] { incidentLast[slot] = time }
        }
    }

    /// SDKs retry 429 and 5xx twice: back off 0.5 s doubling, or honour `retry-after` (mostly).
    private mutating func scheduleRetry(_ request: SampleRequest, _ outcome: SampleOutcome, at time: Int64) {
        guard request.attempt < 3, pending.count < 256 else { return }
        let delay: Int64
        switch outcome.failure {
        case .storm:
            let honoured = Int64(outcome.retryAfter) * 1000
            delay = random.chance(0.35) ? 50 + random.between(0, honoured / 2) : honoured + random.between(0, 800)
        case .quota, .outage, .degraded:
            let base = Int64(500 << (request.attempt - 1))
            delay = base * 3 / 4 + random.between(0, base / 2)
        default: return
        }
        let due = time + delay
        var index = pending.count
        while index > 0 && pending[index - 1].due > due { index -= 1 }
        pending.insert((due, request), at: index)
    }

    func truth() -> SampleTruth {
        let format = options.format
        var byCategory = Dictionary(uniqueKeysWithValues: Category.allCases.map { ($0.rawValue, 0) })
        var byStatus: [String: Int] = [:]
        var byCause: [String: Int] = [:]
        var outageCauses: [Cause: Int] = [:]
        var failuresBySlot = [Int](repeating: 0, count: 9)
        var requests = 0
        for failureIndex in 0..<SampleFailure.count {
            let failure = SampleFailure(rawValue: failureIndex)!
            for status in 0..<600 {
                let count = counts[failureIndex * 600 + status]
                guard count > 0 else { continue }
                requests += count
                let (category, cause) = failure.classify(status: status, format: format)
                byCategory[category.rawValue, default: 0] += count
                byStatus[String(status), default: 0] += count
                if category != .success { byCause["\(category.rawValue)/\(cause.rawValue)", default: 0] += count }
                if failure == .outage { outageCauses[cause, default: 0] += count }
                if failure.incident >= 0 { failuresBySlot[failure.incident] += count }
            }
        }
        let fingerprinter = KeyFingerprinter()
        var incidents: [SampleTruth.Incident] = []
        var notGenerated: [String] = []
        let plans: [IncidentPlan?] = [
            world.revoked, world.placeholder, world.malformed, world.missing, world.mismatch, world.quota,
            world.storm, world.outage, world.degradation,
        ]
        for (slot, plan) in plans.enumerated() {
            guard let plan else { continue }
            guard failuresBySlot[slot] > 0 else {
                notGenerated.append(plan.kind.rawValue)
                continue
            }
            let keyID = { fingerprinter.keyID(String(decoding: world.keys[plan.key].raw, as: UTF8.self)) }
            let category: Category
            let cause: Cause
            var scope: [String: String] = [:]
            switch plan.kind {
            case .revokedKey, .placeholderKey, .malformedKey, .orgMismatch:
                (category, cause) = SampleFailure(rawValue: slot + 1)!.classify(status: 401, format: format)
                scope["key_id"] = keyID()
            case .missingKey:
                (category, cause) = (.auth, .missingKey)
                scope["host"] = String(decoding: world.hosts[plan.host], as: UTF8.self)
            case .quotaExhausted:
                (category, cause) = (.billing, .quotaExhausted)
                scope["org"] = String(decoding: world.orgs[plan.org].id, as: UTF8.self)
            case .rateLimitStorm:
                (category, cause) = SampleFailure.storm.classify(status: 429, format: format)
                if plan.org >= 0 { scope["org"] = String(decoding: world.orgs[plan.org].id, as: UTF8.self) }
            case .outage:
                category = .upstream
                // The majority cause; ties go to the alphabetically first.
                cause =
                    outageCauses.max { lhs, rhs in lhs.value != rhs.value ? lhs.value < rhs.value : lhs.key > rhs.key }!
                    .key
            case .modelDegradation, .noise:
                (category, cause) = (.upstream, format == .jsonl ? .overloaded : .serverError)
                let model = world.models[plan.model]
                if format == .jsonl {
                    scope["model"] = String(decoding: model.name, as: UTF8.self)
                } else {
                    scope["endpoint"] = String(decoding: model.endpoint, as: UTF8.self)
                }
            }
            incidents.append(
                SampleTruth.Incident(
                    category: category.rawValue, cause: cause.rawValue, scope: scope,
                    start: Timestamp.format(incidentFirst[slot]), end: Timestamp.format(incidentLast[slot]),
                    failures: failuresBySlot[slot]))
        }
        incidents.sort { ($0.start, $0.category, $0.cause) < ($1.start, $1.category, $1.cause) }
        let notApplicable = options.incidents.filter { format == .access && !$0.appliesToAccessLogs }.sorted()
            .map(\.rawValue)
        return SampleTruth(
            totals: SampleTruth.Totals(
                requests: requests, byCategory: byCategory, byStatus: byStatus, byCause: byCause),
            incidents: incidents, format: format.rawValue, notApplicable: notApplicable, notGenerated: notGenerated)
    }
}
