import FaultlineKit
import Testing

/// The values of one log line, written into a byte buffer with a `RequestRecord` pointing at them.
struct LineSpec: Sendable, CustomTestStringConvertible {
    var name: String
    var status: Int?
    var fields: [RecordField: [UInt8]] = [:]
    var keyFieldPresent = false
    var keyIsHashed = false
    var upstreamUnanswered = false
    var retryAfterMillis: Int64?

    init(
        _ name: String = "",
        status: Int?,
        code: String? = nil,
        type: String? = nil,
        message: String? = nil,
        reason: String? = nil,
        quotaID: String? = nil,
        key: String? = nil,
        flags: String? = nil
    ) {
        self.name = name
        self.status = status
        let values: [(RecordField, String?)] = [
            (.errorCode, code), (.errorType, type), (.errorMessage, message), (.errorReason, reason),
            (.quotaID, quotaID), (.key, key), (.responseFlags, flags),
        ]
        for case let (field, value?) in values { fields[field] = Array(value.utf8) }
        keyFieldPresent = key != nil
    }

    var testDescription: String { name.isEmpty ? "status \(status.map(String.init) ?? "none")" : name }

    /// Calls `body` with a `ParsedLine` whose bytes stay alive for the call.
    func withLine<Result>(_ body: (ParsedLine) throws -> Result) rethrows -> Result {
        var buffer: [UInt8] = Array("{\"line\":".utf8)
        var record = RequestRecord()
        record.status = status
        record.keyFieldPresent = keyFieldPresent
        record.keyIsHashed = keyIsHashed
        record.upstreamUnanswered = upstreamUnanswered
        record.retryAfterMillis = retryAfterMillis
        for field in RecordField.allCases {
            guard let value = fields[field] else { continue }
            buffer.append(0x20)
            record[field] = ByteSpan(start: buffer.count, count: value.count)
            buffer.append(contentsOf: value)
        }
        buffer.append(0x7d)
        return try buffer.withUnsafeBytes { bytes in
            try body(ParsedLine(bytes: bytes, record: record, number: 1))
        }
    }

    /// The classifier's verdict on this line.
    func classified(by classifier: Classifier = Classifier()) -> Classification {
        withLine { classifier.classify($0) }
    }
}

/// A line and the category and cause it must get.
struct Expectation: Sendable, CustomTestStringConvertible {
    var line: LineSpec
    var category: Category
    var cause: Cause
    var evidence: Evidence?

    init(_ line: LineSpec, _ category: Category, _ cause: Cause, _ evidence: Evidence? = nil) {
        self.line = line
        self.category = category
        self.cause = cause
        self.evidence = evidence
    }

    var testDescription: String { "\(line.testDescription) → \(category.rawValue)/\(cause.rawValue)" }
}

/// Calls `body` with the bytes of `text`, for the byte-level API.
func withBytes<Result>(_ text: String, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
    try Array(text.utf8).withUnsafeBytes(body)
}
