import Testing

@testable import FaultlineKit

/// One `Classifier.Scratch` serves every line of an input: what an earlier line left in it must never
/// change a later line's result.
@Suite("Classifier scratch reuse")
struct ScratchReuseTests {
    static let allRows: [Expectation] =
        OpenAIClassificationTests.rows + AnthropicClassificationTests.rows + AzureClassificationTests.rows
        + GeminiClassificationTests.rows + LiteLLMClassificationTests.rows + EdgeClassificationTests.rows

    /// Classifies `lines` in order through one scratch.
    static func classifiedTogether(_ lines: [LineSpec]) -> [Classification] {
        let classifier = Classifier()
        var scratch = Classifier.Scratch()
        return lines.map { line in line.withLine { classifier.classify($0, scratch: &scratch) } }
    }

    @Test("every table row gets the same result through a shared scratch, in either order")
    func sharedScratchMatchesFresh() {
        let lines = Self.allRows.map(\.line)
        let fresh = lines.map { $0.classified() }
        #expect(Self.classifiedTogether(lines) == fresh)
        #expect(Self.classifiedTogether(lines.reversed()) == fresh.reversed())
    }

    @Test("a shorter message does not see the tail of a longer one before it")
    func staleMessageTail() {
        let long = LineSpec(
            status: 429, code: "rate_limit_exceeded",
            message: "Rate limit reached for gpt-4o on tokens per min. Request too large for gpt-4o")
        let short = LineSpec(status: 429, code: "rate_limit_exceeded", message: "Rate limit reached for gpt-4o")
        let results = Self.classifiedTogether([long, short])
        #expect(results[0].cause == .requestTooLarge)
        #expect(results[1] == short.classified())
        #expect(results[1].cause != .requestTooLarge)
    }

    @Test("a quota id of an earlier line does not carry over")
    func staleQuotaID() {
        let daily = LineSpec(
            status: 429, type: "RESOURCE_EXHAUSTED", message: "Quota exceeded.",
            quotaID: "GenerateRequestsPerDayPerProjectPerModel-FreeTier")
        let bare = LineSpec(status: 429, type: "RESOURCE_EXHAUSTED", message: "Quota exceeded.")
        let results = Self.classifiedTogether([daily, bare])
        #expect(results[0] == daily.classified())
        #expect(results[1] == bare.classified())
        #expect(results[0] != results[1])
    }

    @Test("the pair filter passes every rule phrase inside a message")
    func pairFilterKeepsEveryPhrase() {
        let table = CompiledTable.builtIn
        var phrases = 0
        for condition in table.conditions {
            guard case .phrase(let range, let sample) = condition else { continue }
            phrases += 1
            let message = Array("x ".utf8) + Array(table.text[range]) + Array(" y".utf8)
            var lowered = [UInt8](repeating: 0, count: message.count)
            var pairs = [UInt64](repeating: 0, count: PairFilter.words)
            message.withUnsafeBytes { bytes in
                lowered.withUnsafeMutableBytes { buffer in
                    pairs.withUnsafeMutableBufferPointer { PairFilter.lower(bytes, into: buffer, pairs: $0) }
                }
            }
            #expect(lowered == message)
            #expect(pairs.withUnsafeBufferPointer { PairFilter.mayContain($0, sample) })
        }
        #expect(phrases > 0)
    }

    @Test("the pair filter rules out a phrase whose pairs are absent")
    func pairFilterRejects() {
        var pairs = [UInt64](repeating: 0, count: PairFilter.words)
        let sample = PairFilter.sample(Array("request too large".utf8))
        #expect(!pairs.withUnsafeBufferPointer { PairFilter.mayContain($0, sample) })
        pairs[0] = 1
        #expect(!pairs.withUnsafeBufferPointer { PairFilter.mayContain($0, sample) })
    }
}
