/// `faultline events`: one `faultline.event/v1` JSON line per failed request, in input order.
public struct EventWriter {
    /// The schema name.
    public static let schema = "faultline.event/v1"

    /// Writes the events of every input to `output`; returns each input's statistics.
    public static func run(
        _ inputs: [InputSource], configuration: Analyzer.Configuration, output: OutputFile
    ) throws(FaultlineError) -> [InputStats] {
        let analyzer = try Analyzer(configuration)
        var all: [InputStats] = []
        var fingerprints = FingerprintCache(salt: configuration.analysis.keySalt)
        for input in inputs {
            let encoder = EventEncoder(input: input.name, output: output, fingerprints: fingerprints)
            let (finished, stats) = analyzer.read(input, consumer: encoder, progress: nil)
            if let error = finished.error { throw error }
            fingerprints = finished.fingerprints
            all.append(stats)
        }
        try output.flush()
        return all
    }
}

/// Key fingerprints computed once per distinct key, as DESIGN.md asks.
struct FingerprintCache {
    private var interner = ByteInterner(capacity: 100_000)
    private var ids: [(id: String, hint: String)] = []
    private let fingerprinter: KeyFingerprinter

    init(salt: String?) {
        fingerprinter = KeyFingerprinter(salt: salt)
    }

    mutating func fingerprint(_ key: UnsafeRawBufferPointer, hashed: Bool) -> (id: String, hint: String) {
        // A "key" longer than any real one is known by its short form, as `analyze` knows it, and the cache
        // holds no more than that of it.
        if key.count > LongValue.maxBytes {
            return LongValue.shortened(key).withUnsafeBytes { fingerprint($0, hashed: hashed) }
        }
        let before = interner.count
        let id = interner.id(key)
        if id < 0 { return (fingerprinter.keyID(key), hashed ? "(hashed)" : KeyFingerprinter.hint(key)) }
        if interner.count > before {
            ids.append((fingerprinter.keyID(key), hashed ? "(hashed)" : KeyFingerprinter.hint(key)))
        }
        return ids[Int(id)]
    }
}

struct EventEncoder: RecordConsumer {
    let input: String
    let output: OutputFile
    var fingerprints: FingerprintCache
    var error: FaultlineError?
    private var redactor = Redactor()
    private var buffer: [UInt8] = []

    init(input: String, output: OutputFile, fingerprints: FingerprintCache) {
        self.input = input
        self.output = output
        self.fingerprints = fingerprints
    }

    mutating func consume(_ line: ParsedLine, _ classification: Classification) {
        guard classification.category != .success, error == nil else { return }
        let record = line.record
        buffer.removeAll(keepingCapacity: true)
        buffer += Array("{\"ts\":".utf8)
        appendString(record.time.map { Timestamp.format($0) })
        buffer += Array(",\"status\":\(record.status ?? 0),\"category\":".utf8)
        appendString(classification.category.rawValue)
        buffer += Array(",\"cause\":".utf8)
        appendString(classification.cause.rawValue)
        var keyID = "none"
        var hint: String?
        if let key = line.bytes(.key), !key.isEmpty {
            let fingerprint = fingerprints.fingerprint(key, hashed: record.keyIsHashed)
            keyID = fingerprint.id
            hint = fingerprint.hint
        }
        buffer += Array(",\"key_id\":".utf8)
        appendString(keyID)
        buffer += Array(",\"key_hint\":".utf8)
        appendString(hint)
        for (name, field) in [
            ("org", RecordField.org), ("project", .project), ("request_id", .requestID), ("model", .model),
            ("endpoint", .endpoint), ("error_type", .errorType), ("error_code", .errorCode),
        ] {
            buffer += Array(",\"\(name)\":".utf8)
            appendString(
                line.bytes(field).map { KeyMask.string($0, masking: record.keyIsHashed ? nil : line.bytes(.key)) })
        }
        buffer += Array(",\"input\":".utf8)
        appendString(input)
        buffer += Array(",\"line\":\(line.number)}\n".utf8)
        do throws(FaultlineError) {
            try output.write(bytes: buffer)
        } catch {
            self.error = error
        }
    }

    private mutating func appendString(_ value: String?) {
        guard let value else {
            buffer += Array("null".utf8)
            return
        }
        var bytes = Array(value.utf8)
        _ = redactor.clean(&bytes)
        JSONWriter.escape(bytes, into: &buffer)
    }
}
