import Testing

@testable import FaultlineKit

@Suite("the keys' table a piece hands to the merge: names, hints, related orgs and host outcomes")
struct KeyScopeTests {
    private static func line(_ key: String, org: String, host: String, status: Int, second: Int) -> String {
        let error = status == 401 ? #","error":{"type":"invalid_request_error","code":"invalid_api_key"}"# : ""
        return """
            {"timestamp":"2025-03-10T00:00:\(second < 10 ? "0" : "")\(second)Z","status":\(status),\
            "model":"gpt-4o","endpoint":"/v1/chat/completions","host":"\(host)","org":"\(org)",\
            "headers":{"authorization":"Bearer \(key)"}\(error)}

            """
    }

    @Test("each key is named by its fingerprint, once, with its hint, its orgs and its hosts' outcomes")
    func keysTable() throws {
        let keys = (0..<3).map { "sk-proj-key\($0)-abcdefghijklmnopqrstuvwxyz\($0)\($0)\($0)\($0)" }
        var lines: [String] = []
        for second in 0..<30 {
            let index = second % 3
            let failed = index == 0 && second % 2 == 0
            lines.append(
                Self.line(
                    keys[index], org: "org-\(second % 2)", host: failed ? "gw-a" : "gw-b",
                    status: failed ? 401 : 200, second: second))
        }
        let summary = try AnalysisHarness.summary(Array(lines.joined().utf8))
        let fingerprinter = KeyFingerprinter()
        #expect(summary.keys.count == 3)
        for (index, key) in keys.enumerated() {
            let stats = try #require(summary.keys[fingerprinter.keyID(key)])
            #expect(stats.requests == 10)
            #expect(stats.hint == "sk-proj-…\(index)\(index)\(index)\(index)")
            #expect(stats.related == ["org-0", "org-1"])
            if index == 0 {
                #expect(stats.hostOutcomes["gw-a"] == ScopeStats.HostOutcome(ok: 0, failed: 5))
                #expect(stats.hostOutcomes["gw-b"] == ScopeStats.HostOutcome(ok: 5, failed: 0))
            } else {
                // Only a key with auth failures keeps its hosts.
                #expect(stats.hostOutcomes.isEmpty)
            }
        }
        let names = keys.map { fingerprinter.keyID($0) }.sorted()
        #expect(summary.orgs["org-0"]?.related == names)
        #expect(summary.orgs["org-1"]?.related == names)
    }
}
