import Foundation
import Testing

@testable import FaultlineKit

@Suite("Packed related names: the same list as an array of strings")
struct PackedNamesTests {
    static let names = [
        "", "a", "sha256:0123456789ab", "org-zzT7FCsTx62CAQQ9lvh9F8YN", "ünïcødé ☃", String(repeating: "x", count: 127),
        String(repeating: "y", count: 128), String(repeating: "z", count: 20_000), "with\u{0}nul",
    ]

    @Test("names go in and come out in order, whatever their length")
    func roundTrip() {
        let packed = PackedNames(Self.names)
        #expect(packed.names == Self.names)
        #expect(packed.count == Self.names.count)
        #expect(!packed.isEmpty && PackedNames().isEmpty && PackedNames([]).names.isEmpty)
        for name in Self.names {
            var copy = name
            let found = copy.withUTF8 { packed.find(UnsafeRawBufferPointer($0)) }
            #expect(found.found && found.count == Self.names.count, "\(name.prefix(20))")
        }
        let missing = Array("sha256:0123456789ac".utf8).withUnsafeBytes { packed.find($0) }
        #expect(!missing.found)
    }

    @Test("a scope relates at most 16 values, each once, and merges them sorted")
    func scopeRelated() throws {
        var left = ScopeStats()
        for index in (0..<10).reversed() { left.relate("key-\(index)") }
        left.relate("key-3")
        #expect(left.related.count == 10)
        var right = ScopeStats()
        right.related = (5..<30).map { "key-\($0)" }.sorted()
        left.merge(right)
        #expect(left.related.count == ScopeStats.relatedCap)
        #expect(left.related == left.related.sorted())
        #expect(Set(left.related).count == ScopeStats.relatedCap)
        let decoded = try JSONDecoder().decode(ScopeStats.self, from: JSONEncoder().encode(left))
        #expect(decoded == left && decoded.related == left.related)
    }

    @Test("a capped table keeps the name `String` orders first, also when a combining mark follows the 16-byte head")
    func cutOrder() {
        // The letters differ at byte 16, the last of the head, and a combining mark right after it makes one `é`.
        let prefix = String(repeating: "a", count: 15)
        for (kept, cut) in [
            ("\(prefix)f", "\(prefix)e\u{301}"), ("ab", "abc"), ("sha256:0123456789aa", "sha256:0123456789ab"),
            ("b", "é"),
        ] {
            for (first, second) in [(kept, cut), (cut, kept)] {
                var stats = ScopeStats()
                stats.requests = 1
                var merged = Summary(windowMillis: 30_000, windowFixed: false)
                merged.distinctCap = 1
                merged.models = [first: stats]
                var other = Summary(windowMillis: 30_000, windowFixed: false)
                other.distinctCap = 1
                other.models = [second: stats]
                merged.merge(other)
                #expect(merged.models[kept] != nil && merged.models[cut] == nil, "\(kept) over \(cut)")
                #expect(kept < cut)
            }
        }
    }
}
