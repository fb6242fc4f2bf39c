/// What a sample log holds, for checking an analysis against: REPORT.md's truth file.
public struct SampleTruth: Codable, Sendable, Equatable {
    /// Exact counts over every generated line.
    public struct Totals: Codable, Sendable, Equatable {
        /// Lines written (each line is one request attempt).
        public var requests: Int
        /// Lines per category, every category present (zeros included).
        public var byCategory: [String: Int]
        /// Lines per HTTP status, keyed by the status as text.
        public var byStatus: [String: Int]
        /// Lines per `category/cause` (`auth/revoked_key`), failures only.
        public var byCause: [String: Int]

        enum CodingKeys: String, CodingKey {
            case requests
            case byCategory = "by_category"
            case byStatus = "by_status"
            case byCause = "by_cause"
        }
    }

    /// One injected incident, as an analysis should find it.
    public struct Incident: Codable, Sendable, Equatable {
        /// REPORT.md category (`auth`, `billing`, ...).
        public var category: String
        /// REPORT.md cause (`revoked_key`, ...).
        public var cause: String
        /// Who it hit: one of `key_id`, `org`, `model`, `host`, `endpoint`; empty when it hit everything.
        public var scope: [String: String]
        /// The first failing line's time, RFC 3339 UTC with milliseconds.
        public var start: String
        /// The last failing line's time.
        public var end: String
        /// Failing lines the incident produced.
        public var failures: Int
    }

    /// Exact counts.
    public var totals: Totals
    /// Injected incidents that produced at least one line, by start time.
    public var incidents: [Incident]
    /// The log's format (`jsonl` or `access`).
    public var format: String
    /// Requested incidents this format cannot show (access logs carry no keys, orgs or error bodies).
    public var notApplicable: [String]
    /// Requested incidents that produced no line (the range or line count was too small).
    public var notGenerated: [String]

    enum CodingKeys: String, CodingKey {
        case totals, incidents, format
        case notApplicable = "not_applicable"
        case notGenerated = "not_generated"
    }

    /// Deterministic JSON: keys sorted, two-space indent, trailing newline.
    public func json() -> String {
        var out = "{\n"
        out += "  \"format\": \(Self.quoted(format)),\n"
        out += "  \"incidents\": ["
        for (index, incident) in incidents.enumerated() {
            out += index == 0 ? "\n" : ",\n"
            out += "    {\"category\": \(Self.quoted(incident.category)), \"cause\": \(Self.quoted(incident.cause)), "
            out += "\"end\": \(Self.quoted(incident.end)), \"failures\": \(incident.failures), "
            out += "\"scope\": \(Self.object(incident.scope.mapValues(Self.quoted))), "
            out += "\"start\": \(Self.quoted(incident.start))}"
        }
        out += incidents.isEmpty ? "],\n" : "\n  ],\n"
        out += "  \"not_applicable\": [\(notApplicable.map(Self.quoted).joined(separator: ", "))],\n"
        out += "  \"not_generated\": [\(notGenerated.map(Self.quoted).joined(separator: ", "))],\n"
        out += "  \"totals\": {\n"
        out += "    \"by_category\": \(Self.object(totals.byCategory.mapValues(String.init))),\n"
        out += "    \"by_cause\": \(Self.object(totals.byCause.mapValues(String.init))),\n"
        out += "    \"by_status\": \(Self.object(totals.byStatus.mapValues(String.init))),\n"
        out += "    \"requests\": \(totals.requests)\n"
        out += "  }\n}\n"
        return out
    }

    private static func object(_ members: [String: String]) -> String {
        "{" + members.keys.sorted().map { "\(quoted($0)): \(members[$0]!)" }.joined(separator: ", ") + "}"
    }

    private static func quoted(_ text: String) -> String {
        var bytes = Array(text.utf8)
        bytes = bytes.jsonEscaped
        return "\"" + String(decoding: bytes, as: UTF8.self) + "\""
    }
}
