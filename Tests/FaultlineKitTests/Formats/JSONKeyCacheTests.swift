import CZlib
import Testing

@testable import FaultlineKit

@Suite("JSON lines through one parser: the key cache never changes what a line gives")
struct JSONKeyCacheTests {
    /// Parses every line with one parser, as a piece is read, and returns each line's status and message.
    private static func parse(_ lines: [String]) -> [(status: Int?, message: String?, model: String?)] {
        var parser = LineParser(json: [])
        return lines.map { line in
            var bytes = Array(line.utf8)
            var record = RequestRecord()
            let result = bytes.withUnsafeMutableBytes { parser.parse($0, into: &record) }
            guard result == .record else { return (nil, nil, nil) }  // every line has a time: none is skipped
            return bytes.withUnsafeBytes {
                let parsed = ParsedLine(bytes: $0, record: record, number: 1)
                return (record.status, parsed.string(.errorMessage), parsed.string(.model))
            }
        }
    }

    @Test("keys in another order, the same key under two parents, and thousands of unknown keys")
    func sameAnswers() {
        var lines = [
            #"{"ts":"2025-03-10T00:00:00Z","status":429,"model":"a","error":{"message":"slow down","status":"RESOURCE_EXHAUSTED"}}"#,
            #"{"ts":"2025-03-10T00:00:01Z","error":{"status":"x","message":"quota"},"model":"b","status":401}"#,
            // `message` at the top level is a message too, but the error body's wins.
            #"{"ts":"2025-03-10T00:00:02Z","message":"top","status":500,"error":{"message":"inner"}}"#,
        ]
        // Unknown keys, enough to fill every slot of the cache many times over, between known ones.
        for index in 0..<3_000 {
            lines.append(#"{"k\#(index)":1,"ts":"2025-03-10T00:01:00Z","status":200,"model":"m\#(index % 3)"}"#)
        }
        lines.append(#"{"model":"last","status":503,"ts":"2025-03-10T00:02:00Z"}"#)
        let results = Self.parse(lines)
        #expect(results[0].status == 429 && results[0].message == "slow down" && results[0].model == "a")
        #expect(results[1].status == 401 && results[1].message == "quota" && results[1].model == "b")
        #expect(results[2].status == 500 && results[2].message == "inner")
        for index in 0..<3_000 {
            #expect(results[3 + index].status == 200 && results[3 + index].model == "m\(index % 3)")
        }
        #expect(results.last!.status == 503 && results.last!.model == "last")
        // Each line alone, through a fresh parser, gives the same.
        for (line, result) in zip(lines.prefix(3), results) {
            let alone = Self.parse([line])[0]
            #expect(alone.status == result.status && alone.message == result.message && alone.model == result.model)
        }
    }

    @Test("a key of any length, at any distance from the line's end, is found as the alias table finds it")
    func everyLengthAndDistance() {
        // Aliases, their case variants, and near misses one byte shorter or longer, from 1 to 24 bytes.
        let keys = [
            "a", "ts", "msg", "code", "model", "Model", "MODEL", "modelx", "statu", "status", "Status", "statuss",
            "message", "Message", "status_cod", "status_code", "Status_Code", "status_codes", "response_status",
            "response_statu", "errorMessage", "error_message", "x-request-id-1234", "a_key_of_twenty_four_by",
            "\\u0073tatus", "openai-organization", "OpenAI-Organization", "openai-organizatio",
            "a_key_of_thirty_one_bytes_long", "a_key_of_thirty_two_bytes_long_", "x\\\"y", "stat\\u0075s",
            String(repeating: "q", count: 31), String(repeating: "q", count: 32),
        ]
        var lines: [String] = []
        for key in keys {
            for padding in 0..<20 {
                let spaces = String(repeating: " ", count: padding)
                lines.append(#"{"ts":"2025-03-10T00:00:00Z","\#(key)":"429"\#(spaces)}"#)
                lines.append(#"{"ts":"2025-03-10T00:00:00Z","\#(key)":4\#(spaces)}"#)
                lines.append(#"{"\#(key)":"503","ts":"2025-03-10T00:00:00Z"\#(spaces)}"#)
            }
        }
        // Through one parser twice (the second pass all from the cache), and each line through a fresh one.
        let cached = Self.parse(lines + lines.reversed())
        for (index, line) in lines.enumerated() {
            let alone = Self.parse([line])[0]
            for result in [cached[index], cached[cached.count - 1 - index]] {
                #expect(result.status == alone.status && result.message == alone.message && result.model == alone.model)
            }
        }
        // The reference itself is right where the answer is plain.
        #expect(Self.parse([#"{"ts":"2025-03-10T00:00:00Z","Status":"429" }"#])[0].status == 429)
        #expect(Self.parse([#"{"ts":"2025-03-10T00:00:00Z","statuss":"429","status":4}"#])[0].status == 4)
    }
}

@Suite("The JSON key cache in the C shim: an entry answers exactly its own key, in both implementations")
struct JSONKeyCacheShimTests {
    static let shift = UInt32(64 - 10)
    static let empty = faultline_json_key(
        head: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), tail: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        parent: -1, child: -1, count: 0, reserved: 0)

    /// What the cache may answer for `key` (its bytes after the opening quote, then the rest of the line): the
    /// key's length when its first quote-or-backslash is a quote at 31 bytes or fewer and enough line follows.
    static func reference(_ line: [UInt8]) -> Int? {
        guard let stop = line.firstIndex(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }),
            line[stop] == UInt8(ascii: "\""), stop <= 31, line.count >= 16, stop < 16 || line.count >= 32
        else { return nil }
        return stop
    }

    /// Looks `probe` up (with the SSE2 path where there is one, and the portable path) in a table holding `stored`.
    static func find(
        stored: [UInt8], parent: Int32, probe: [UInt8], probeParent: Int32, portableStore: Bool
    )
        -> (fast: Int?, portable: Int?)
    {
        var table = [faultline_json_key](repeating: empty, count: 1024)
        let salt = UInt64(UInt32(bitPattern: parent)) &* 0x9e37_79b9_7f4a_7c15
        let probeSalt = UInt64(UInt32(bitPattern: probeParent)) &* 0x9e37_79b9_7f4a_7c15
        if let count = reference(stored) {
            stored.withUnsafeBufferPointer { key in
                table.withUnsafeMutableBufferPointer {
                    if portableStore {
                        faultline_json_key_store_portable(
                            key.baseAddress!, key.count, $0.baseAddress!, parent, salt, shift, Int32(count), 7)
                    } else {
                        faultline_json_key_store(
                            key.baseAddress!, key.count, $0.baseAddress!, parent, salt, shift, Int32(count), 7)
                    }
                }
            }
        }
        return probe.withUnsafeBufferPointer { key in
            table.withUnsafeBufferPointer { table in
                let fast = faultline_json_key_find(
                    key.baseAddress!, key.count, table.baseAddress!, probeParent, probeSalt, shift)
                let portable = faultline_json_key_find_portable(
                    key.baseAddress!, key.count, table.baseAddress!, probeParent, probeSalt, shift)
                for entry in [fast, portable] { if let entry { #expect(entry.pointee.child == 7) } }
                return (fast.map { Int($0.pointee.count) }, portable.map { Int($0.pointee.count) })
            }
        }
    }

    static let keys: [[UInt8]] = {
        var keys: [[UInt8]] = (0...40).map { Array(String(repeating: "k", count: $0).utf8) }
        keys += ["status", "openai-organization", "x-ratelimit-limit-requests", "x-ratelimit-limit-tokens"].map {
            Array($0.utf8)
        }
        keys += [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0xff, 0xfe, 0xc3], Array("é".utf8)]
        return keys
    }()

    @Test("a key is found after it was stored, under its parent only, whatever follows it", arguments: keys)
    func storedKeyIsFound(key: [UInt8]) {
        for tail in [#"":1,"b":2}"#, #"":"x"}"#, #"" : 1}"#, #"""#, #"":"\"quoted\" value with more bytes than 32"}"#] {
            for padding in [0, 8, 40] {
                let line = key + Array(tail.utf8) + Array(repeating: UInt8(ascii: " "), count: padding)
                for portableStore in [false, true] {
                    let found = Self.find(
                        stored: line, parent: 3, probe: line, probeParent: 3, portableStore: portableStore)
                    #expect(found.fast == Self.reference(line) && found.portable == found.fast)
                    // Under another parent: nothing.
                    let other = Self.find(
                        stored: line, parent: 3, probe: line, probeParent: 4, portableStore: portableStore)
                    #expect(other.fast == nil && other.portable == nil)
                }
            }
        }
    }

    @Test("a key never answers for another: one byte more, less or different, or an escape", arguments: keys)
    func otherKeysMiss(key: [UInt8]) {
        let rest = Array(#"":"value","next":123456789012345678901234567890}"#.utf8)
        let line = key + rest
        var probes: [[UInt8]] = [key + [UInt8(ascii: "x")] + rest, Array(key.dropLast()) + rest]
        if !key.isEmpty {
            var changed = key
            changed[changed.count - 1] ^= 0x20
            probes.append(changed + rest)
            probes.append(Array(key.dropLast()) + Array(#"\""#.utf8) + rest)
            probes.append([UInt8(ascii: "\\")] + key + rest)
        }
        for probe in probes where probe != line {
            for portableStore in [false, true] {
                let found = Self.find(
                    stored: line, parent: 0, probe: probe, probeParent: 0, portableStore: portableStore)
                #expect(found.fast == nil && found.portable == nil)
            }
        }
    }
}
