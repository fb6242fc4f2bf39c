extension AccessLogFormat {
    /// Builds a preset from a template in nginx syntax; presets are compiled by the same machinery
    /// as user formats, so a broken preset is a programming error caught by the tests.
    private static func preset(
        _ name: String, _ summary: String, layout: String, template: String, allowsTrailingFields: Bool = false
    ) -> AccessLogFormat {
        do {
            return try AccessLogFormat(
                name: name, summary: summary, layout: layout, template: template, presetVariables: true,
                allowsTrailingFields: allowsTrailingFields)
        } catch {
            fatalError("preset \(name) does not compile: \(error)")
        }
    }

    private static let commonLayout = #"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent"#
    private static let combinedLayout = commonLayout + #" "$http_referer" "$http_user_agent""#
    private static let ingressLayout =
        combinedLayout
        + " $request_length $request_time [$proxy_upstream_name] [$proxy_alternative_upstream_name] $upstream_addr "
        + "$upstream_response_length $upstream_response_time $upstream_status $req_id"

    /// nginx's and Apache's combined log format.
    public static let combined = preset(
        "combined", "nginx / Apache combined: common plus referer and user agent", layout: combinedLayout,
        template: combinedLayout)

    /// The NCSA common log format.
    public static let common = preset(
        "common", "NCSA common log format (no referer or user agent)", layout: commonLayout, template: commonLayout)

    /// The ingress-nginx controller's default `upstreaminfo` format.
    public static let ingressNginx = preset(
        "ingress-nginx", "Kubernetes ingress-nginx upstreaminfo: combined plus upstream, timing and request id",
        layout: ingressLayout, template: ingressLayout)

    /// Envoy's default access-log format.
    public static let envoy = preset(
        "envoy", "Envoy / Istio default access log, with response flags (UF, UH, URX)",
        layout: #"[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" "#
            + "%RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% "
            + #"%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "#
            + #""%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%""#,
        template: #"[$time_iso8601] "$request" $status $envoy_response_flags $request_length $bytes_sent "#
            + #"$envoy_duration $upstream_header_time "$http_x_forwarded_for" "$http_user_agent" "#
            + #""$http_x_request_id" "$host"$? "$upstream_addr""#,
        allowsTrailingFields: true)

    /// AWS Application Load Balancer access logs.
    public static let alb = preset(
        "alb", "AWS Application Load Balancer access log (older lines end after error_reason)",
        layout: "type time elb client:port target:port request_processing_time target_processing_time "
            + "response_processing_time elb_status_code target_status_code received_bytes sent_bytes "
            + #""request" "user_agent" ssl_cipher ssl_protocol target_group_arn "trace_id" "domain_name" "#
            + #""chosen_cert_arn" matched_rule_priority request_creation_time "actions_executed" "redirect_url" "#
            + #""error_reason" "target:port_list" "target_status_code_list" "classification" "#
            + #""classification_reason""#,
        template: "$alb_type $time_iso8601 $alb_elb $remote_addr $upstream_addr $alb_processing_time "
            + "$alb_processing_time $alb_processing_time $status $upstream_status $request_length $bytes_sent "
            + #""$request" "$http_user_agent" $ssl_cipher $ssl_protocol $alb_target_group_arn "$alb_trace_id" "#
            + #""$host" "$alb_chosen_cert_arn" $alb_matched_rule_priority $alb_request_creation_time "#
            + #""$alb_actions_executed" "$alb_redirect_url" "$alb_error_reason"$? "$alb_target_port_list" "#
            + #""$alb_target_status_code_list" "$alb_classification" "$alb_classification_reason""#,
        allowsTrailingFields: true)

    /// Every preset, most specific first (the order sniffing breaks ties in).
    public static let presets: [AccessLogFormat] = [ingressNginx, combined, common, envoy, alb]

    /// The preset with this `--format` name (`combined`, `common`, `ingress-nginx`, `envoy`, `alb`).
    public static func preset(named name: String) -> AccessLogFormat? {
        presets.first { $0.name == name }
    }

    /// Tries every preset on sample lines and returns the one that reads the most of them as
    /// records (ties go to the more specific), or `nil` when none reads any.
    public static func sniff(_ lines: [ArraySlice<UInt8>]) -> (format: AccessLogFormat, name: String, matched: Int)? {
        var best: (format: AccessLogFormat, name: String, matched: Int)?
        var record = RequestRecord()
        var buffer: [UInt8] = []
        for format in presets {
            var matched = 0
            var cache = Cache()
            for line in lines {
                buffer.removeAll(keepingCapacity: true)
                buffer.append(contentsOf: line)
                let result = buffer.withUnsafeMutableBytes { format.parse($0, into: &record, cache: &cache) }
                if result == .record { matched += 1 }
            }
            if matched > (best?.matched ?? 0) { best = (format, format.name, matched) }
        }
        return best
    }
}
