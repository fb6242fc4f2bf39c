/// How a report is rendered.
public struct ReportOptions: Sendable {
    /// The zone offset, in seconds, used to print times in text, Markdown and HTML (JSON is always UTC).
    public var offsetSeconds = 0
    /// The zone's name as the user gave it (`UTC`, `+02:00`).
    public var zoneName = "UTC"
    /// Whether the text report may use ANSI colour.
    public var color = false
    /// The text report's width.
    public var width = 100

    /// Defaults: UTC, no colour.
    public init() {}

    /// Reads `--tz`: `UTC`, `Z`, `+02:00`, `-0530`, `UTC+2`.
    public static func parseZone(_ text: String) throws(FaultlineError) -> Int {
        var body = Substring(text)
        if body == "UTC" || body == "Z" || body == "GMT" { return 0 }
        if body.hasPrefix("UTC") || body.hasPrefix("GMT") { body = body.dropFirst(3) }
        guard let sign = body.first, sign == "+" || sign == "-" else {
            throw FaultlineError(
                .badOption, reason: "unknown time zone '\(text)'", hint: "use UTC or an offset such as +02:00 or -0530")
        }
        let digits = body.dropFirst().filter { $0 != ":" }
        guard !digits.isEmpty, digits.count <= 4, digits.allSatisfy(\.isNumber), let value = Int(digits) else {
            throw FaultlineError(
                .badOption, reason: "unknown time zone '\(text)'", hint: "use UTC or an offset such as +02:00 or -0530")
        }
        let hours = digits.count <= 2 ? value : value / 100
        let minutes = digits.count <= 2 ? 0 : value % 100
        guard hours <= 14, minutes < 60 else {
            throw FaultlineError(
                .badOption, reason: "time zone offset '\(text)' is out of range", hint: "use -14:00 to +14:00")
        }
        return (hours * 3600 + minutes * 60) * (sign == "-" ? -1 : 1)
    }

    /// A time in the report's zone, to the second.
    func time(_ millis: Int64?) -> String {
        guard let millis else { return "-" }
        let text = Timestamp.format(millis, fractional: false, offsetSeconds: offsetSeconds)
        return text
    }
}
