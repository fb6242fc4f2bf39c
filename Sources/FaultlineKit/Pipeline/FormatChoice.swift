/// The input format the user asked for (`--format`).
public enum FormatChoice: Sendable, Equatable {
    /// Sniffed per input from its first lines.
    case auto
    /// JSON lines of any shape.
    case jsonl
    /// An access-log preset, by name (`combined`, `common`, `ingress-nginx`, `envoy`, `alb`).
    case preset(String)
    /// An nginx `log_format` string.
    case nginx(String)

    /// Reads the option's value: `auto`, `jsonl`, a preset name, or `nginx:<log_format>`.
    public init(parsing text: String) throws(FaultlineError) {
        switch text {
        case "auto": self = .auto
        case "jsonl", "json", "ndjson": self = .jsonl
        default:
            if text.hasPrefix("nginx:") {
                self = .nginx(String(text.dropFirst("nginx:".count)))
            } else if LineParser.presetNames.contains(text) {
                self = .preset(text)
            } else {
                throw FaultlineError(
                    .badOption, reason: "unknown format '\(text)'",
                    hint: "use auto, jsonl, \(LineParser.presetNames.joined(separator: ", ")) or 'nginx:<log_format>'")
            }
        }
    }
}
