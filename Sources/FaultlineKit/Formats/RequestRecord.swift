/// One request, as a log line told it: typed values plus byte ranges of the line for the rest.
///
/// The record holds no heap storage, so parsing a line allocates nothing; its byte ranges are
/// valid only with the line they came from (see `ParsedLine`). Strings are made later, and only
/// for values the analysis has not seen before.
public struct RequestRecord: Sendable {
    /// Milliseconds since the Unix epoch, UTC.
    public var time: Int64?
    /// Whether the time had no zone and was read as UTC.
    public var timeAssumedUTC = false
    /// The HTTP status; 0 means the client went away before a response (Envoy, nginx 499 aside).
    public var status: Int?
    /// The `retry-after` the response carried, in milliseconds.
    public var retryAfterMillis: Int64?
    /// How long the request took, in milliseconds.
    public var latencyMillis: Double?
    /// Whether `key` holds a hash the log already made (LiteLLM), not the key itself.
    public var keyIsHashed = false
    /// Whether an `Authorization` header or key field was present even if its value is empty.
    public var keyFieldPresent = false
    /// Whether the upstream never answered (ALB `-1` timings, an Envoy response flag, no upstream status).
    public var upstreamUnanswered = false
    private var spans: InlineArray<23, ByteSpan>

    /// An empty record.
    @inline(__always)
    public init() {
        // Each span written in place: `InlineArray(repeating:)` was an outlined call with a loop, at every line.
        spans = InlineArray { _ in ByteSpan(start: -1, count: 0) }
    }

    /// The byte range of a field, or `.absent`.
    @inline(__always)
    public subscript(field: RecordField) -> ByteSpan {
        get { spans[field.rawValue] }
        set { spans[field.rawValue] = newValue }
    }

    /// Clears every value, for reuse on the next line.
    @inline(__always)
    public mutating func reset() {
        self = RequestRecord()
    }
}

/// A record with the line it was parsed from, so its byte ranges can be read.
public struct ParsedLine {
    /// The line's bytes (possibly rewritten in place by the parser: unescaped strings).
    public let bytes: UnsafeRawBufferPointer
    /// The parsed values.
    public let record: RequestRecord
    /// The line's number within its input, from 1.
    public let number: Int

    /// Creates a view of a parsed line.
    public init(bytes: UnsafeRawBufferPointer, record: RequestRecord, number: Int) {
        self.bytes = bytes
        self.record = record
        self.number = number
    }

    /// The bytes of a field, or `nil` when it is absent.
    @inline(__always)
    public func bytes(_ field: RecordField) -> UnsafeRawBufferPointer? {
        let span = record[field]
        guard span.isPresent else { return nil }
        return UnsafeRawBufferPointer(rebasing: bytes[Int(span.start)..<Int(span.start) + Int(span.count)])
    }

    /// The value of a field as a string (invalid UTF-8 repaired), or `nil` when it is absent.
    public func string(_ field: RecordField) -> String? {
        guard let value = bytes(field) else { return nil }
        return String(decoding: value, as: UTF8.self)
    }
}
