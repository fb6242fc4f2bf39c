import Foundation
import Testing

@testable import FaultlineKit

@Suite("Summary coding: the hand-written encoders keep every field")
struct SummaryCodingTests {
    @Test("a group's hand-written encoding writes every stored field, and reads back equal")
    func groupEncodingCoversEveryField() throws {
        var group = GroupStats(category: .auth, cause: .invalidKey, dimension: "key", value: "sha256:0123456789ab")
        group.count = 3
        group.first = 1
        group.last = 9
        group.byStatus = [401: 3]
        group.errorCodes = ["invalid_api_key": 3]
        group.windows = [30_000: WindowStat(), 0: WindowStat()]
        group.firstRequestIDs = ["req_1"]
        group.lastRequestIDs = ["req_3"]
        group.message = "Incorrect API key provided"
        group.messageTime = 1
        group.userAgents = ["curl/8": 3]
        group.errorTypes = ["invalid_request_error": 3]
        group.evidence = ["code": 3]
        let data = try JSONEncoder().encode(group)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        // A field added to `GroupStats` but not to its `encode(to:)` would be dropped from summary files. Two
        // stored fields are packed forms of several written ones: the tallies of five tables, the request IDs of
        // two lists.
        #expect(object.count == Mirror(reflecting: group).children.count + 4 + 1)
        #expect(try JSONDecoder().decode(GroupStats.self, from: data) == group)
    }
}
