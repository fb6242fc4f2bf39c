import CZlib

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Picks the wanted fields out of one JSON line in a single pass over its bytes.
///
/// There is no DOM: values the alias graph does not lead to are skipped by a byte scan that
/// tracks only quotes and brackets, and the values it does lead to become byte ranges of the line.
/// Strings with escapes are decoded in place (decoding never makes them longer), so the line
/// buffer also holds the decoded text and nothing is allocated. Recursion follows the alias graph,
/// which is shallow; deeper nesting is skipped iteratively, so 10,000 nested brackets cost a scan,
/// not a stack.
struct JSONFieldScanner: @unchecked Sendable {  // the pointer is valid only inside `scan`
    let trie: PathTrie
    /// The line being scanned.
    private var base: UnsafeMutablePointer<UInt8> = UnsafeMutablePointer(bitPattern: 8)!
    private var end = 0
    private var ranks: InlineArray<23, UInt16> = InlineArray(repeating: .max)
    /// `ranks` and `transforms` as each line starts, copied from here: `InlineArray(repeating:)` was a call, per
    /// line and array, that filled them an element at a time.
    private let unsetRanks: InlineArray<23, UInt16> = InlineArray(repeating: .max)
    private let unsetTransforms: InlineArray<23, FieldAliases.Transform> = InlineArray(repeating: .none)
    /// The decoded text of a wrapped log line (`{"log": "..."}`), if any.
    private(set) var wrapped: ByteSpan = .absent
    private(set) var transforms: InlineArray<23, FieldAliases.Transform> = InlineArray(repeating: .none)
    // An array, not an `InlineArray`: a 48 KB inline table would make the scanner a 48 KB value. 1,024 slots for
    // the few dozen keys of a log, so two of them rarely share a slot and evict each other at every line.
    private var keyCache = [faultline_json_key](
        repeating: faultline_json_key(
            head: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            tail: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            parent: -1, child: -1, count: 0, reserved: 0),
        count: JSONFieldScanner.keyCacheSlots)

    static let maxDepth = 24

    init(trie: PathTrie) {
        self.trie = trie
    }

    enum Failure: Error {
        case malformed
        case notAnObject
    }

    /// Scans a line, filling byte ranges of `record`; returns false for malformed JSON.
    mutating func scan(_ line: UnsafeMutableRawBufferPointer, into record: inout RequestRecord) -> ParseResult {
        guard let start = line.baseAddress, line.count > 0 else { return .skipped(.blankLine) }
        base = start.assumingMemoryBound(to: UInt8.self)
        end = line.count
        ranks = unsetRanks
        transforms = unsetTransforms
        wrapped = .absent
        var position = bytes.skipSpace(0)
        guard position < end else { return .skipped(.blankLine) }
        let first = base[position]
        if first != UInt8(ascii: "{") {
            if first == UInt8(ascii: "[") || first == UInt8(ascii: "]") || first == UInt8(ascii: ",") {
                return .skipped(.notAnObject)
            }
            return .skipped(.malformedJSON)
        }
        guard let after = scanObject(at: position, node: PathTrie.root, depth: 0, record: &record) else {
            return .skipped(.malformedJSON)
        }
        position = bytes.skipSpace(after)
        // A trailing comma is what a pretty-printed or array file leaves; anything else is junk.
        if position < end && base[position] == UInt8(ascii: ",") { position = bytes.skipSpace(position + 1) }
        guard position == end else { return .skipped(.malformedJSON) }
        return .record
    }

    /// The transform of the alias that filled `field`.
    func transform(of field: RecordField) -> FieldAliases.Transform {
        transforms[field.rawValue]
    }

    // MARK: - Structure

    /// Scans the object at `position` (its `{`); returns the offset after its `}`.
    private mutating func scanObject(at position: Int, node: Int32, depth: Int, record: inout RequestRecord) -> Int? {
        // The line's bytes and end as locals: read from `self`, they were loaded again after every store to the
        // record or the ranks. Only `scanValue` moves `end`, for a string holding JSON, and it puts it back
        // before it returns, so these stay right for the whole object.
        let base = self.base
        let end = self.end
        let bytes = JSONBytes(base: base, end: end)
        var position = bytes.skipSpace(position &+ 1)
        guard position < end else { return nil }
        if base[position] == UInt8(ascii: "}") { return position &+ 1 }
        // Keys are looked up only under a node of the alias graph, and not past the depth bound.
        let cached = node >= 0 && depth < Self.maxDepth
        let salt = Self.keySalt(node)
        while true {
            guard position < end, base[position] == UInt8(ascii: "\"") else { return nil }
            let keyStart = position &+ 1
            let keyEnd: Int
            let child: Int32
            if cached,
                let entry = keyCache.withUnsafeBufferPointer({
                    faultline_json_key_find(
                        base + keyStart, end &- keyStart, $0.baseAddress!, node, salt, Self.keyShift)
                })
            {
                keyEnd = keyStart &+ Int(entry.pointee.count)
                child = entry.pointee.child
            } else {
                guard let found = missedKey(node, keyStart, salt: salt, lookUp: cached) else { return nil }
                (keyEnd, child) = found
            }
            position = keyEnd &+ 1
            // Most logs write `":` and the value with no space: straight to the value. A byte above 0x20 is no
            // space, so the general path, for the others, would stop at the same byte.
            if position &+ 1 < end && base[position] == UInt8(ascii: ":") && base[position &+ 1] > 0x20 {
                position &+= 1
            } else {
                position = bytes.skipSpace(position)
                guard position < end, base[position] == UInt8(ascii: ":") else { return nil }
                position = bytes.skipSpace(position &+ 1)
                guard position < end else { return nil }
            }
            if child >= 0 {
                let info = trie.nodes[Int(child)]
                let first = base[position]
                if first &- UInt8(ascii: "0") < 10 {
                    // A number (status, latency, token counts): its digits are read here, not by a call to
                    // `scanValue` and its scan for any delimiter at each byte. Whatever follows the digits
                    // (`.5`, `e3`, junk) is left to that scan, so the value ends where `scanValue` ends it.
                    var cursor = position &+ 1
                    while cursor < end && base[cursor] &- UInt8(ascii: "0") < 10 { cursor &+= 1 }
                    if cursor < end && base[cursor] != UInt8(ascii: ",") && base[cursor] != UInt8(ascii: "}") {
                        cursor = bytes.scalarEnd(cursor) ?? cursor
                    }
                    if let field = info.field {
                        assign(
                            field, ByteSpan(start: position, count: cursor &- position),
                            rank: effectiveRank(info, depth &+ 1), transform: info.transform, record: &record)
                    }
                    position = cursor
                } else if first == UInt8(ascii: "\"") && !info.hasChildren && !info.wrappedLine {
                    // A plain string, as most wanted values are: taken here, not by a call to `scanValue`
                    // that saves registers and reloads the node for it.
                    guard let (close, escaped) = bytes.scanString(position) else { return nil }
                    let start = position &+ 1
                    var count = close &- start
                    if escaped { count = unescape(start, count) }
                    if let field = info.field {
                        assign(
                            field, ByteSpan(start: start, count: count), rank: effectiveRank(info, depth &+ 1),
                            transform: info.transform, record: &record)
                    }
                    position = close &+ 1
                } else if first == UInt8(ascii: "{") && info.hasChildren {
                    // An object the graph leads into (`headers`, `error`): what `scanValue` would do, without it.
                    guard let next = scanObject(at: position, node: child, depth: depth &+ 1, record: &record) else {
                        return nil
                    }
                    position = next
                } else {
                    guard let next = scanValue(at: position, node: child, depth: depth &+ 1, record: &record) else {
                        return nil
                    }
                    position = next
                }
            } else {
                guard let next = bytes.skipValue(position) else { return nil }
                position = next
            }
            // `,"` between members, as compact JSON has it: straight to the next key.
            if position &+ 1 < end
                && UnsafeRawPointer(base + position).loadUnaligned(as: UInt16.self)
                    == UInt16(littleEndian: 0x222c)
            {
                position &+= 1
                continue
            }
            position = bytes.skipSpace(position)
            guard position < end else { return nil }
            let separator = base[position]
            if separator == UInt8(ascii: ",") {
                position = bytes.skipSpace(position &+ 1)
            } else if separator == UInt8(ascii: "}") {
                return position &+ 1
            } else {
                return nil
            }
        }
    }

    /// Lines of one log repeat the same few dozen keys, so a key's exact bytes (up to 31) and parent are looked
    /// up in a direct-mapped cache before the case-folding alias table is asked. Keyed by content, not position,
    /// so lines whose keys come in another order or with one more still hit. The cache also finds the key's end:
    /// its entry holds the closing quote, and the line's bytes are compared up to their first quote or backslash
    /// (`faultline_json_key_find` in the C shim, with SSE2), so a hit needs no search for the quote.
    static let keyCacheSlots = 1024
    /// The shift taking a 64-bit hash to a slot.
    static let keyShift = UInt32(64 - keyCacheSlots.trailingZeroBitCount)

    @inline(__always)
    private static func keySalt(_ node: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: node)) &* 0x9e37_79b9_7f4a_7c15
    }

    /// A key the cache did not answer: its end found by a search for the quote, its child asked of the alias
    /// table (when `lookUp`), and the answer kept for the next line. Nil when the key's string does not end.
    @inline(never)
    private mutating func missedKey(
        _ node: Int32, _ start: Int, salt: UInt64, lookUp: Bool
    ) -> (end: Int, child: Int32)? {
        guard let (close, escaped) = bytes.scanString(start - 1) else { return nil }
        guard lookUp else { return (close, -1) }
        let count = close - start
        let child = trie.lookup(node, base + start, count)
        if !escaped && count <= Int(FAULTLINE_JSON_KEY_MAX) {
            let line = base
            let available = end - start
            keyCache.withUnsafeMutableBufferPointer {
                faultline_json_key_store(
                    line + start, available, $0.baseAddress!, node, salt, Self.keyShift, Int32(count), child)
            }
        }
        return (close, child)
    }

    /// Scans a value the alias graph leads to.
    private mutating func scanValue(at position: Int, node: Int32, depth: Int, record: inout RequestRecord) -> Int? {
        let info = trie.nodes[Int(node)]
        let first = base[position]
        switch first {
        case UInt8(ascii: "{"):
            if info.hasChildren { return scanObject(at: position, node: node, depth: depth, record: &record) }
            return bytes.skipValue(position)
        case UInt8(ascii: "["):
            if info.hasChildren { return scanArray(at: position, node: node, depth: depth, record: &record) }
            return bytes.skipValue(position)
        case UInt8(ascii: "\""):
            guard let (close, escaped) = bytes.scanString(position) else { return nil }
            let start = position + 1
            var count = close - start
            if escaped { count = unescape(start, count) }
            if info.hasChildren || info.wrappedLine {
                let content = bytes.skipSpaceIn(start, start + count)
                if content < start + count && (base[content] == UInt8(ascii: "{") || base[content] == UInt8(ascii: "["))
                {
                    if info.hasChildren && depth < Self.maxDepth {
                        // A string holding JSON: scan the decoded text as the value itself. A body that is
                        // not valid JSON (a truncated one) keeps what was found before the fault.
                        // Scanned by this scanner with its end moved in, not by a copy: a copy's first new key
                        // copied the whole key cache (40 KB) on every line with a body in a string.
                        let outerEnd = end
                        let outerWrapped = wrapped
                        end = start + count
                        let parsed = scanValue(at: content, node: node, depth: depth + 1, record: &record)
                        end = outerEnd
                        wrapped = outerWrapped
                        // Not JSON after all (a Python-repr dict): the text is still the message, at the lowest rank.
                        if parsed != nil { return close + 1 }
                    }
                } else if info.wrappedLine && count > 0 && !wrapped.isPresent {
                    wrapped = ByteSpan(start: start, count: count)
                }
                if let text = info.textField {
                    assign(text, ByteSpan(start: start, count: count), rank: 3000, transform: .none, record: &record)
                }
            }
            if let field = info.field {
                assign(
                    field, ByteSpan(start: start, count: count), rank: effectiveRank(info, depth),
                    transform: info.transform, record: &record)
            }
            return close + 1
        default:
            // A number or a literal.
            guard let cursor = bytes.scalarEnd(position) else { return nil }
            if let field = info.field, !(first == UInt8(ascii: "n") && cursor - position == 4) {
                assign(
                    field, ByteSpan(start: position, count: cursor - position), rank: effectiveRank(info, depth),
                    transform: info.transform, record: &record)
            }
            return cursor
        }
    }

    @inline(__always)
    private func effectiveRank(_ node: PathTrie.Node, _ depth: Int) -> UInt16 {
        // Deeper wins; at one depth the earlier alias (`message` before `detail`), not the earlier key.
        node.deeperWins ? UInt16(2000 - depth * 4) + node.rank : node.rank
    }

    @inline(__always)
    private mutating func assign(
        _ field: RecordField, _ span: ByteSpan, rank: UInt16, transform: FieldAliases.Transform,
        record: inout RequestRecord
    ) {
        guard rank < ranks[field.rawValue] else { return }
        if field == .status && !Self.looksLikeStatus(base + Int(span.start), Int(span.count)) { return }
        ranks[field.rawValue] = rank
        transforms[field.rawValue] = transform
        record[field] = span
    }

    /// Status aliases also name things like `"status": "success"`; only numbers (or words that mean 200) count.
    private static func looksLikeStatus(_ pointer: UnsafeMutablePointer<UInt8>, _ count: Int) -> Bool {
        guard count > 0 else { return false }
        let first = pointer[0]
        if first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") { return true }
        // "success" / "ok": LiteLLM's payload has no HTTP status for successes.
        return
            (count == 7 && PathTrie.lower(first) == UInt8(ascii: "s")
            && PathTrie.lower(pointer[6]) == UInt8(ascii: "s"))
            || (count == 2 && PathTrie.lower(first) == UInt8(ascii: "o")
                && PathTrie.lower(pointer[1]) == UInt8(ascii: "k"))
    }

    private mutating func scanArray(at position: Int, node: Int32, depth: Int, record: inout RequestRecord) -> Int? {
        var position = bytes.skipSpace(position + 1)
        guard position < end else { return nil }
        if base[position] == UInt8(ascii: "]") { return position + 1 }
        while true {
            guard position < end else { return nil }
            let first = base[position]
            if first == UInt8(ascii: "{") && depth < Self.maxDepth {
                guard let next = scanObject(at: position, node: node, depth: depth + 1, record: &record) else {
                    return nil
                }
                position = next
            } else if first == UInt8(ascii: "[") && depth < Self.maxDepth {
                guard let next = scanArray(at: position, node: node, depth: depth + 1, record: &record) else {
                    return nil
                }
                position = next
            } else {
                guard let next = bytes.skipValue(position) else { return nil }
                position = next
            }
            position = bytes.skipSpace(position)
            guard position < end else { return nil }
            if base[position] == UInt8(ascii: ",") {
                position = bytes.skipSpace(position + 1)
            } else if base[position] == UInt8(ascii: "]") {
                return position + 1
            } else {
                return nil
            }
        }
    }

    /// The line as `JSONBytes`.
    @inline(__always)
    private var bytes: JSONBytes { JSONBytes(base: base, end: end) }

    // MARK: - Escapes

    /// Decodes the JSON escapes of `count` bytes at `start` in place; returns the decoded length.
    private func unescape(_ start: Int, _ count: Int) -> Int {
        JSONEscapes.decodeInPlace(base + start, count)
    }
}

/// The bytes of the line being scanned, with the scanner's read-only steps.
///
/// Apart from the scanner so its mutating methods call these with two words: called on the scanner itself,
/// each out-of-line helper was handed a fresh copy of the whole scanner (144 bytes) at every key.
private struct JSONBytes {
    let base: UnsafeMutablePointer<UInt8>
    let end: Int

    @inline(__always)
    func skipSpace(_ position: Int) -> Int {
        skipSpaceIn(position, end)
    }

    @inline(__always)
    func skipSpaceIn(_ position: Int, _ limit: Int) -> Int {
        var position = position
        while position < limit {
            let byte = base[position]
            if byte != 0x20 && byte != 0x09 && byte != 0x0a && byte != 0x0d { break }
            position += 1
        }
        return position
    }

    /// The offset of the quote closing the string whose opening quote is at `position`.
    @inline(__always)
    func stringEnd(_ position: Int) -> Int? {
        scanString(position)?.close
    }

    /// The closing quote of the string at `position`, and whether the string holds a backslash.
    ///
    /// Quotes and backslashes are looked for in one pass, sixteen bytes a step: most strings have no escape, and
    /// for them the first quote is the end, with no look back and no second scan for `\\`.
    @inline(__always)
    func scanString(_ position: Int) -> (close: Int, escaped: Bool)? {
        let hit = ByteScanning.findQuoteOrBackslash(in: base, from: position &+ 1, to: end)
        guard hit >= 0 else { return nil }
        if base[hit] == UInt8(ascii: "\"") { return (hit, false) }
        return escapedStringEnd(position).map { ($0, true) }
    }

    /// The closing quote of a string with escapes: a quote behind an odd run of backslashes is escaped.
    ///
    func escapedStringEnd(_ position: Int) -> Int? {
        var cursor = position + 1
        while let quote = ByteScanning.find(UInt8(ascii: "\""), in: base, from: cursor, to: end) {
            var backslashes = 0
            var back = quote - 1
            while back > position && base[back] == UInt8(ascii: "\\") {
                backslashes += 1
                back -= 1
            }
            if backslashes & 1 == 0 { return quote }
            cursor = quote + 1
        }
        return nil
    }

    /// Skips any value without looking inside; returns the offset after it.
    func skipValue(_ position: Int) -> Int? {
        let first = base[position]
        if first == UInt8(ascii: "\"") {
            guard let close = stringEnd(position) else { return nil }
            return close + 1
        }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            var depth = 0
            var cursor = position
            while cursor < end {
                let byte = base[cursor]
                switch byte {
                case UInt8(ascii: "\""):
                    guard let close = stringEnd(cursor) else { return nil }
                    cursor = close
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return cursor + 1 }
                default:
                    break
                }
                cursor += 1
            }
            return nil
        }
        return scalarEnd(position)
    }

    /// The end of a number or literal (`429`, `true`, `null`): the first delimiter after it, or nil if empty.
    @inline(__always)
    func scalarEnd(_ position: Int) -> Int? {
        var cursor = position
        while cursor < end {
            let byte = base[cursor]
            if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") || byte == 0x20
                || byte == 0x09 || byte == 0x0a || byte == 0x0d
            {
                break
            }
            cursor += 1
        }
        return cursor > position ? cursor : nil
    }
}

/// JSON string escapes, decoded in place.
enum JSONEscapes {
    @inline(__always)
    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private static func hex4(_ pointer: UnsafeMutablePointer<UInt8>, _ index: Int, _ count: Int) -> UInt32? {
        guard index + 4 <= count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard let digit = hexValue(pointer[index + offset]) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    /// Decodes escapes in place; invalid escapes and lone surrogates become U+FFFD. Returns the new length.
    static func decodeInPlace(_ pointer: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
        var read = 0
        var write = 0
        func put(_ byte: UInt8) {
            pointer[write] = byte
            write += 1
        }
        func putScalar(_ value: UInt32) {
            let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
            for unit in UTF8.encode(scalar)! { put(unit) }
        }
        while read < count {
            let byte = pointer[read]
            if byte != UInt8(ascii: "\\") || read + 1 >= count {
                put(byte)
                read += 1
                continue
            }
            let escape = pointer[read + 1]
            read += 2
            switch escape {
            case UInt8(ascii: "n"): put(0x0a)
            case UInt8(ascii: "t"): put(0x09)
            case UInt8(ascii: "r"): put(0x0d)
            case UInt8(ascii: "b"): put(0x08)
            case UInt8(ascii: "f"): put(0x0c)
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): put(escape)
            case UInt8(ascii: "u"):
                guard let unit = hex4(pointer, read, count) else {
                    // Swallow the partial hex digits; U+FFFD needs 3 bytes and `\u` alone frees only 2, so
                    // writing it could overrun the string (and the line) when such escapes repeat.
                    while read < count && hexValue(pointer[read]) != nil { read += 1 }
                    if read - write >= 3 { putScalar(0xFFFD) } else { put(UInt8(ascii: "?")) }
                    continue
                }
                read += 4
                if unit >= 0xD800 && unit < 0xDC00 {
                    if read + 6 <= count && pointer[read] == UInt8(ascii: "\\")
                        && pointer[read + 1] == UInt8(ascii: "u"),
                        let low = hex4(pointer, read + 2, count), low >= 0xDC00 && low < 0xE000
                    {
                        read += 6
                        putScalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                    } else {
                        putScalar(0xFFFD)
                    }
                } else if unit >= 0xDC00 && unit < 0xE000 {
                    putScalar(0xFFFD)
                } else {
                    putScalar(unit)
                }
            default:
                put(escape)
            }
        }
        return write
    }
}
