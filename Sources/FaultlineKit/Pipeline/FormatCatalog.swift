/// The text of `faultline formats`: formats, presets and aliases, from the tables the parsers use.
public enum FormatCatalog {
    /// The listing.
    public static func describe() -> String {
        var text = "Formats (--format):\n"
        text += "  auto            sniff each input from its first lines (the default)\n"
        text += "  jsonl           JSON lines of any shape; fields found by the aliases below\n"
        for preset in AccessLogFormat.presets {
            text += "  " + preset.name.padding(15) + " " + preset.summary + "\n"
            text += "                  " + preset.layout + "\n"
        }
        text +=
            "  nginx:'<fmt>'   any nginx log_format string, e.g. nginx:'$remote_addr [$time_local] \"$request\" $status'\n"
        text +=
            "\nJSON field aliases, tried in order (dots are nesting, names match in any case, arrays are searched,\n"
        text += "a string holding JSON is searched too; override with --field NAME=PATH):\n"
        for field in RecordField.allCases {
            let paths = FieldAliases.builtIn.filter { $0.field == field }.map(\.dotted)
            let body = FieldAliases.errorBodyFields.filter { $0.field == field }.map { "<error body>." + $0.dotted }
            let all = paths + body
            guard !all.isEmpty else { continue }
            text += "  " + field.name.padding(15) + " " + all.joined(separator: ", ") + "\n"
        }
        text += "\nError bodies (an object, a string holding JSON, a Python-repr dict or text) are read at:\n  "
        text += FieldAliases.errorBodies.map { $0.joined(separator: ".") }.joined(separator: ", ") + "\n"
        text += "Wrapped access-log lines (Kubernetes, Docker) are read from: "
        text += FieldAliases.wrappedLines.joined(separator: ", ") + "\n"
        text += "\nTimestamps: RFC 3339 with or without fraction, Z or an offset; epoch s/ms/us/ns (by magnitude);\n"
        text += "a time without zone is read as UTC and the report counts it.\n"
        return text
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
