extension AccessLogFormat {
    /// Compiles an nginx `log_format` string (`$remote_addr - $remote_user [$time_local] ...`).
    ///
    /// Accepts the bare format, or the text of a `log_format` directive: an optional
    /// `log_format NAME`, an optional `escape=json|default|none`, then one or more quoted strings.
    public init(nginxLogFormat: String) throws(FaultlineError) {
        let text = try Self.unwrapDirective(nginxLogFormat)
        try self.init(
            name: "nginx", summary: "a custom nginx log_format", layout: nginxLogFormat, template: text,
            presetVariables: false, allowsTrailingFields: false)
    }

    /// Compiles a template in nginx syntax; presets may also use the `$?` end marker and preset variables.
    init(
        name: String, summary: String, layout: String, template: String, presetVariables: Bool,
        allowsTrailingFields: Bool
    ) throws(FaultlineError) {
        let tokens = try Self.tokenize(template, presetVariables: presetVariables)
        var leading: [UInt8] = []
        var literals: [UInt8] = []
        var steps: [AccessLogStep] = []
        var variables: [String] = []
        var pending: [UInt8] = []
        // Whether the last step already has its literal (an end marker closed it).
        var lastStepClosed = false

        func closeLastStep(mayEnd: Bool) {
            if steps.isEmpty {
                leading = pending
            } else if lastStepClosed {
                // Text after an optional end belongs to a zero-width step of its own.
                if !pending.isEmpty {
                    steps.append(
                        AccessLogStep(
                            kind: .empty, shape: .plain, lookahead: .any, literalStart: literals.count,
                            literalCount: pending.count, mayEndAfter: mayEnd))
                    variables.append("")
                    literals += pending
                } else if mayEnd {
                    steps[steps.count - 1].mayEndAfter = true
                }
            } else {
                steps[steps.count - 1].literalStart = literals.count
                steps[steps.count - 1].literalCount = pending.count
                steps[steps.count - 1].mayEndAfter = mayEnd
                literals += pending
            }
            pending = []
        }

        var hasStatus = false
        var hasUpstreamStatus = false
        for token in tokens {
            switch token {
            case .literal(let bytes):
                pending += bytes
            case .optionalEnd:
                closeLastStep(mayEnd: true)
                lastStepClosed = true
            case .variable(let variable):
                if pending.isEmpty && !steps.isEmpty && !lastStepClosed {
                    throw FaultlineError(
                        .badOption,
                        reason: "in the log_format, $\(variables.last ?? "") and $\(variable) follow each other "
                            + "with no text between them, so a line cannot be split there",
                        hint: "put a separator (a space or a quote) between the two variables")
                }
                closeLastStep(mayEnd: false)
                lastStepClosed = false
                let meaning = Self.meaning(of: variable, presetVariables: presetVariables)
                hasStatus = hasStatus || meaning.kind == .status
                hasUpstreamStatus = hasUpstreamStatus || meaning.kind == .upstreamStatus
                steps.append(
                    AccessLogStep(
                        kind: meaning.kind, shape: meaning.isList ? .list : .plain, lookahead: meaning.lookahead,
                        literalStart: literals.count, literalCount: 0, mayEndAfter: false))
                variables.append(variable)
            }
        }
        if !lastStepClosed || !pending.isEmpty { closeLastStep(mayEnd: false) }
        guard hasStatus else {
            throw FaultlineError(
                .badOption, reason: "the log_format has no $status, so failed requests cannot be told apart",
                hint: "use a log_format that logs $status, as nginx's combined format does")
        }
        // A field between two quotes is a quoted string: escaped quotes inside it are part of it.
        for index in steps.indices where steps[index].kind != .empty {
            var before = leading.last
            if index > 0 {
                let previous = steps[index - 1]
                before = previous.literalCount > 0 ? literals[previous.literalStart + previous.literalCount - 1] : nil
            }
            let after = steps[index].literalCount > 0 ? literals[steps[index].literalStart] : nil
            if before == UInt8(ascii: "\"") && after == UInt8(ascii: "\"") { steps[index].shape = .quoted }
        }
        // What the walk asks of each step's neighbours, worked out once rather than at every field.
        var follows: [UInt64] = []
        for index in steps.indices {
            var step = steps[index]
            let isLast = index == steps.count - 1
            step.first = step.literalCount > 0 ? literals[step.literalStart] : 0
            step.second = step.literalCount > 1 ? literals[step.literalStart + 1] : 0
            step.firstRepeated = 0x0101_0101_0101_0101 &* UInt64(step.first)
            if step.kind == .empty {
                step.ending = .empty
            } else if step.literalCount == 0 {
                step.ending = .lineEnd
            } else if isLast && !allowsTrailingFields {
                step.ending = .closesLine
            } else {
                step.ending = .search
            }
            if isLast {
                step.endsLine = true
                follows += Self.byteSet { $0 == UInt8(ascii: " ") }
            } else {
                let next = steps[index + 1]
                step.endsLine = step.mayEndAfter || (next.literalCount == 0 && index + 2 == steps.count)
                if next.kind == .empty {
                    let byte = literals[next.literalStart]
                    follows += Self.byteSet { $0 == byte }
                } else {
                    follows += Self.byteSet { next.lookahead.accepts($0) }
                }
            }
            steps[index] = step
        }
        self.name = name
        self.summary = summary
        self.layout = layout
        self.leading = leading
        self.literals = literals
        self.steps = steps
        self.follows = follows
        self.variables = variables
        self.allowsTrailingFields = allowsTrailingFields
        self.hasUpstreamStatus = hasUpstreamStatus
    }

    /// The bytes `accepts` takes, as a 256-bit set in four words.
    static func byteSet(_ accepts: (UInt8) -> Bool) -> [UInt64] {
        var set = [UInt64](repeating: 0, count: 4)
        for byte in 0...255 where accepts(UInt8(byte)) { set[byte >> 6] |= 1 << UInt64(byte & 63) }
        return set
    }

    enum Token: Equatable {
        case literal([UInt8])
        case variable(String)
        /// `$?`, presets only: the line may end here.
        case optionalEnd
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "A") < 26 || byte &- UInt8(ascii: "0") < 10
            || byte == UInt8(ascii: "_")
    }

    static func tokenize(_ template: String, presetVariables: Bool) throws(FaultlineError) -> [Token] {
        let bytes = Array(template.utf8)
        guard !bytes.isEmpty else {
            throw FaultlineError(
                .badOption, reason: "the log_format string is empty",
                hint:
                    "give the format as nginx.conf has it, e.g. nginx:'$remote_addr [$time_local] \"$request\" $status'"
            )
        }
        var tokens: [Token] = []
        var literal: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "$") else {
                literal.append(byte)
                index += 1
                continue
            }
            let dollar = index
            var name: [UInt8] = []
            index += 1
            if presetVariables && index < bytes.count && bytes[index] == UInt8(ascii: "?") {
                if !literal.isEmpty { tokens.append(.literal(literal)) }
                literal = []
                tokens.append(.optionalEnd)
                index += 1
                continue
            }
            if index < bytes.count && bytes[index] == UInt8(ascii: "{") {
                index += 1
                while index < bytes.count && isNameByte(bytes[index]) {
                    name.append(bytes[index])
                    index += 1
                }
                guard index < bytes.count, bytes[index] == UInt8(ascii: "}") else {
                    throw FaultlineError(
                        .badOption,
                        reason: "the log_format has \"${\" at character \(dollar + 1) with no closing \"}\" "
                            + "after a variable name",
                        hint: "write ${name} with letters, digits and underscores only")
                }
                index += 1
            } else {
                while index < bytes.count && isNameByte(bytes[index]) {
                    name.append(bytes[index])
                    index += 1
                }
            }
            guard !name.isEmpty else {
                throw FaultlineError(
                    .badOption,
                    reason: "the log_format has a \"$\" at character \(dollar + 1) that is not followed by a "
                        + "variable name",
                    hint: "write variables as $name or ${name}; nginx cannot log a literal \"$\" either")
            }
            if !literal.isEmpty { tokens.append(.literal(literal)) }
            literal = []
            tokens.append(.variable(String(decoding: name, as: UTF8.self)))
        }
        if !literal.isEmpty { tokens.append(.literal(literal)) }
        return tokens
    }

    /// Takes the format out of a pasted `log_format name escape=json '...' '...';` directive.
    static func unwrapDirective(_ text: String) throws(FaultlineError) -> String {
        var rest = Substring(text)
        func dropSpaces() { rest = rest.drop(while: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) }
        func dropWord() {
            rest = rest.drop(while: { $0 != " " && $0 != "\t" && $0 != "\n" })
            dropSpaces()
        }
        dropSpaces()
        var isDirective = false
        if rest.hasPrefix("log_format ") || rest.hasPrefix("log_format\t") {
            dropWord()
            dropWord()
            isDirective = true
        }
        if rest.hasPrefix("escape=") {
            dropWord()
            isDirective = true
        }
        // A bare format may itself begin with a double quote (`"$time_local" "$request" "$status"`),
        // so without a directive only single quotes (nginx.conf style) are taken as string delimiters.
        guard let quote = rest.first, quote == "'" || (isDirective && quote == "\"") else { return String(rest) }
        if let joined = joinQuotedStrings(rest) { return joined }
        guard isDirective else { return text }
        throw FaultlineError(
            .badOption, reason: "the log_format directive's quoted strings are not closed, or text follows them",
            hint: "quote each part of the format as nginx.conf does, or give the bare format unquoted")
    }

    /// nginx concatenates adjacent quoted strings; a backslash escapes the next character.
    static func joinQuotedStrings(_ text: Substring) -> String? {
        var rest = text
        var result = ""
        while let open = rest.first, open == "'" || open == "\"" {
            rest = rest.dropFirst()
            var closed = false
            while let character = rest.first {
                rest = rest.dropFirst()
                if character == "\\", let next = rest.first {
                    result.append(next)
                    rest = rest.dropFirst()
                } else if character == open {
                    closed = true
                    break
                } else {
                    result.append(character)
                }
            }
            guard closed else { return nil }
            rest = rest.drop(while: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
        }
        if rest.first == ";" { rest = rest.dropFirst() }
        return rest.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) ? result : nil
    }

    struct Meaning {
        var kind: AccessLogFieldKind
        var lookahead: AccessLogLookahead = .any
        var isList = false
    }

    /// What an nginx variable gives the record; unknown variables are read past.
    static func meaning(of variable: String, presetVariables: Bool) -> Meaning {
        switch variable {
        case "time_local": return Meaning(kind: .timeLocal)
        case "time_iso8601": return Meaning(kind: .timeISO8601, lookahead: .digitOrDash)
        case "msec": return Meaning(kind: .timeMsec, lookahead: .numberOrDash)
        case "status": return Meaning(kind: .status, lookahead: .digitOrDash)
        case "request": return Meaning(kind: .request)
        case "request_method": return Meaning(kind: .method)
        case "request_uri": return Meaning(kind: .requestURI)
        case "uri", "document_uri": return Meaning(kind: .uri)
        case "args", "query_string": return Meaning(kind: .query)
        case "request_id", "req_id": return Meaning(kind: .requestID, lookahead: .hexOrDash)
        case "http_x_request_id": return Meaning(kind: .requestID)
        case "request_time": return Meaning(kind: .latencySeconds, lookahead: .numberOrDash)
        case "upstream_status": return Meaning(kind: .upstreamStatus, lookahead: .digitOrDash, isList: true)
        case "http_user_agent": return Meaning(kind: .userAgent)
        case "http_authorization": return Meaning(kind: .authorization)
        case "http_x_api_key", "http_api_key", "http_x_goog_api_key": return Meaning(kind: .apiKey)
        case "http_openai_organization": return Meaning(kind: .org)
        case "http_openai_project": return Meaning(kind: .project)
        case "host", "server_name", "http_host", "proxy_upstream_name": return Meaning(kind: .host)
        case "body_bytes_sent", "bytes_sent", "request_length", "connection", "connection_requests", "pid",
            "remote_port", "server_port":
            return Meaning(kind: .skip, lookahead: .numberOrDash)
        default: break
        }
        if presetVariables {
            switch variable {
            case "envoy_response_flags": return Meaning(kind: .responseFlags)
            case "envoy_duration": return Meaning(kind: .latencyMillis, lookahead: .numberOrDash)
            case "alb_processing_time": return Meaning(kind: .albProcessingTime, lookahead: .numberOrDash)
            case "alb_error_reason": return Meaning(kind: .errorCode)
            case "alb_trace_id": return Meaning(kind: .requestID)
            default: break
            }
        }
        if variable.hasPrefix("upstream_") {
            // nginx logs one value per upstream tried: `0.100, 0.004`, `-` when none answered.
            let numeric = variable.hasSuffix("_time") || variable.hasSuffix("_length")
            return Meaning(kind: .skip, lookahead: numeric ? .numberOrDash : .any, isList: true)
        }
        return Meaning(kind: .skip)
    }
}
