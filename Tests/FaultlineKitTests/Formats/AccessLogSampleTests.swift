import FaultlineKit
import Testing

@Suite("Access logs: the public samples")
struct AccessLogSampleTests {
    /// Counts derived without the parser:
    ///   wc -l nginx_ingress_upstreaminfo_beats.log                    -> 29
    ///   awk '{print $9}' nginx_ingress_upstreaminfo_beats.log | sort | uniq -c
    ///                                                                 -> 25 x 200, 2 x 400, 2 x 502
    /// The two 400 lines log `[] [] - - - -` (no upstream), so their upstream status is absent; the two
    /// 502 lines log `502, 502`; `awk '$NF ~ /^[0-9a-f]{32}$/'` matches all 29 ($req_id).
    @Test func ingressUpstreamInfoSample() throws {
        let lines = try Fixtures.lines("nginx_ingress_upstreaminfo_beats.log")
        #expect(lines.count == 29)
        var byStatus: [Int: Int] = [:]
        var records = 0
        var upstreamAbsent = 0
        var withHost = 0
        var withRequestID = 0
        for line in lines {
            let outcome = parseLine(.ingressNginx, Array(line))
            guard outcome.result == .record else { continue }
            records += 1
            byStatus[outcome.record.status ?? -1, default: 0] += 1
            if outcome[.upstreamStatus] == nil { upstreamAbsent += 1 }
            if outcome[.host] != nil { withHost += 1 }
            if outcome[.requestID]?.utf8.count == 32 { withRequestID += 1 }
            #expect(outcome.record.upstreamUnanswered == false)
            #expect(outcome.record.time != nil)
        }
        #expect(records == 29)
        #expect(byStatus == [200: 25, 400: 2, 502: 2])
        #expect(upstreamAbsent == 2)
        #expect(withHost == 27)
        #expect(withRequestID == 29)

        let first = parseLine(.ingressNginx, Array(lines[0]))
        #expect(first.record.time == 1_581_076_131_000)
        #expect(first[.method] == "POST")
        #expect(first[.endpoint] == "/products")
        #expect(first[.host] == "default-web-8080")
        #expect(first[.requestID] == "529a007902362a5f51385a5fa7049884")
        #expect(first.record.latencyMillis == 1)
        let lists = parseLine(.ingressNginx, Array(lines[25]))
        #expect(lists[.upstreamStatus] == "502, 502")
        #expect(lists[.userAgent]?.hasPrefix("Mozilla/5.0 (Macintosh;") == true)
        let partial = parseLine(.ingressNginx, Array(lines[28]))
        #expect(partial[.upstreamStatus] == "200, -")
    }

    /// Counts derived without the parser:
    ///   gzip -dc apache_combined_elastic_examples.log.gz | wc -l        -> 10000
    ///   ... | grep -cE '^[^ ]+ [^ ]+ [^ ]+ \[[0-9]{2}/[A-Za-z]{3}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2}
    ///         [+-][0-9]{4}\] "[^"]*" [0-9]{3} ([0-9]+|-) "[^"]*" "[^"]*"$'   -> 9999
    ///   ... | grep -nvE '<same>'   -> line 8899, whose user agent lacks its closing quote (cut off)
    ///   ... | grep -E '<same>' | awk -F'"' '{split($3,a," "); print a[1]}' | sort | uniq -c
    ///       -> 200: 9125, 206: 45, 301: 164, 304: 445, 403: 2, 404: 213, 416: 2, 500: 3
    ///   ... | awk -F'"' '{print $2}' | awk '{print $1}' | sort | uniq -c
    ///       -> GET 9952, HEAD 42, OPTIONS 1, POST 5
    @Test func apacheCombinedSample() throws {
        let lines = try Fixtures.lines("apache_combined_elastic_examples.log.gz")
        #expect(lines.count == 10000)
        var byStatus: [Int: Int] = [:]
        var byMethod: [String: Int] = [:]
        var skipped: [Int: ParseResult] = [:]
        var timeless = 0
        for (index, line) in lines.enumerated() {
            let outcome = parseLine(.combined, Array(line))
            guard outcome.result == .record else {
                skipped[index + 1] = outcome.result
                continue
            }
            byStatus[outcome.record.status ?? -1, default: 0] += 1
            byMethod[outcome[.method] ?? "", default: 0] += 1
            if outcome.record.time == nil { timeless += 1 }
        }
        #expect(skipped == [8899: .skipped(.formatMismatch)])
        #expect(byStatus == [200: 9125, 206: 45, 301: 164, 304: 445, 403: 2, 404: 213, 416: 2, 500: 3])
        #expect(byMethod == ["GET": 9951, "HEAD": 42, "OPTIONS": 1, "POST": 5])
        #expect(timeless == 0)
    }

    @Test func sniffingPicksTheRightPreset() throws {
        let ingress = try Fixtures.lines("nginx_ingress_upstreaminfo_beats.log")
        let sniffedIngress = AccessLogFormat.sniff(Array(ingress.prefix(20)))
        #expect(sniffedIngress?.name == "ingress-nginx")
        #expect(sniffedIngress?.matched == 20)

        let apache = try Fixtures.lines("apache_combined_elastic_examples.log.gz")
        let sniffedApache = AccessLogFormat.sniff(Array(apache.prefix(20)))
        #expect(sniffedApache?.name == "combined")
        #expect(sniffedApache?.format.name == "combined")
        #expect(sniffedApache?.matched == 20)
    }
}
