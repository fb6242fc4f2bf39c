/// Why a line gave no record. Every skipped line is counted under one of these.
public enum SkipReason: String, CaseIterable, Sendable, Codable, Comparable {
    /// A line with nothing but whitespace.
    case blankLine = "blank_line"
    /// A line longer than the bound (`--max-line-length`).
    case lineTooLong = "line_too_long"
    /// A line that is not valid JSON where JSON was expected.
    case malformedJSON = "malformed_json"
    /// Valid JSON that is not an object (an array's brackets, a bare value).
    case notAnObject = "not_an_object"
    /// A line with no HTTP status under any known name.
    case noStatus = "no_status"
    /// A status that is not a number between 0 and 999.
    case badStatus = "bad_status"
    /// A line with no time under any known name.
    case noTime = "no_time"
    /// A time that could not be read.
    case badTime = "bad_time"
    /// A line that does not match the access-log format chosen for its input.
    case formatMismatch = "format_mismatch"
    /// A line holding NUL or other binary bytes.
    case binary = "binary"
    /// A record outside `--since` / `--until`.
    case outsideRange = "outside_range"

    /// Orders reasons by name, for deterministic reports.
    public static func < (lhs: SkipReason, rhs: SkipReason) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The result of parsing one line.
public enum ParseResult: Sendable, Equatable {
    /// The record was filled.
    case record
    /// The line was skipped for this reason.
    case skipped(SkipReason)
}
