/// An error a user sees: what went wrong, where, and what to do about it.
public struct FaultlineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure, stable for scripts and tests.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's snake_case name.
        public let name: String
        init(_ name: String) { self.name = name }
        /// The code's name.
        public var description: String { name }

        /// A path that does not exist or matched nothing.
        public static let notFound = Code("not_found")
        /// A path that exists but cannot be opened or read.
        public static let unreadable = Code("unreadable")
        /// A gzip stream that ends before its trailer.
        public static let truncatedGzip = Code("truncated_gzip")
        /// A gzip stream with bytes zlib rejects.
        public static let corruptGzip = Code("corrupt_gzip")
        /// A read(2) failure in the middle of an input.
        public static let readFailed = Code("read_failed")
        /// An option value that cannot be used.
        public static let badOption = Code("bad_option")
        /// A file written by faultline that cannot be read back (a summary).
        public static let badSummary = Code("bad_summary")
        /// An output that cannot be written.
        public static let writeFailed = Code("write_failed")
    }

    /// The kind of failure.
    public var code: Code
    /// The input or file concerned, as the user named it.
    public var input: String?
    /// The byte offset in the input (compressed bytes for gzip) where it happened.
    public var byteOffset: Int64?
    /// The line number where it happened, when known.
    public var line: Int?
    /// What went wrong, in a sentence.
    public var reason: String
    /// What the user can do about it.
    public var hint: String?

    /// Creates an error.
    public init(
        _ code: Code, input: String? = nil, byteOffset: Int64? = nil, line: Int? = nil, reason: String,
        hint: String? = nil
    ) {
        self.code = code
        self.input = input
        self.byteOffset = byteOffset
        self.line = line
        self.reason = reason
        self.hint = hint
    }

    /// One line: `input: at byte N: reason (code). hint`.
    public var description: String {
        var text = ""
        if let input { text += "\(input): " }
        if let line { text += "line \(line): " }
        if let byteOffset { text += "at byte \(byteOffset): " }
        text += reason
        text += " (\(code.name))"
        if let hint { text += ". \(hint)" }
        return text
    }
}
