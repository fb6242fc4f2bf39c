/// Finds JSON objects that do not fit the one-object-per-line shape: an object pretty-printed over
/// several lines, or a JSON array of objects (`[{...},{...}]`, on one line or many), so exported
/// documents are analysed rather than skipped line by line.
///
/// It only runs on lines the JSON-lines parser could not read, so JSON lines pay nothing for it. It
/// tracks strings and escapes, so braces inside values do not count, and it holds at most `limit`
/// bytes of one object (the line length bound); a longer object is skipped as `line_too_long`.
struct JSONObjectJoiner {
    /// What a line held, in order.
    enum Piece: Equatable {
        /// A whole object: bytes `range` of the line, or of `joined` when it spanned lines.
        case object(Range<Int>)
        /// The end of an object begun on an earlier line: its bytes are in `joined`.
        case joinedObject(startLine: Int)
        /// The end of an object begun on an earlier line that was longer than the limit.
        case overlongObject(startLine: Int)
        /// An object cut off within the line (a line cut mid-write): not joined with the next line.
        case brokenObject
    }

    /// The bytes of the object being joined.
    private(set) var joined: [UInt8] = []
    /// Whether an object begun on an earlier line is still open.
    private(set) var isOpen = false
    /// Whether the last `split` opened an object that runs on past its line.
    private(set) var openedOnLastLine = false
    private var startLine = 0
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var overlong = false
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")
    private static let openBrace = UInt8(ascii: "{")
    private static let closeBrace = UInt8(ascii: "}")
    private static let openBracket = UInt8(ascii: "[")
    private static let closeBracket = UInt8(ascii: "]")

    /// Whether `line` could hold objects this joiner finds: its first non-blank byte opens an object or array.
    static func mayStart(_ line: UnsafeRawBufferPointer) -> Bool {
        for byte in line where byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") {
            return byte == openBrace || byte == openBracket
        }
        return false
    }

    /// Splits `line` (number `number`) into the objects it ends or holds, opening a new one that runs on.
    /// An element that is not an object (a string, a number, junk) ends the split there.
    mutating func split(_ line: UnsafeRawBufferPointer, number: Int) -> [Piece] {
        var pieces: [Piece] = []
        var index = 0
        openedOnLastLine = false
        if isOpen {
            guard let end = scan(line, from: 0) else {
                append(line, upTo: line.count, newline: true)
                return []
            }
            append(line, upTo: end, newline: false)
            pieces.append(overlong ? .overlongObject(startLine: startLine) : .joinedObject(startLine: startLine))
            isOpen = false
            index = end
        }
        while index < line.count {
            let byte = line[index]
            switch byte {
            case Self.openBrace:
                resetScan()
                guard let end = scan(line, from: index) else {
                    // Pretty-printers break lines after an opening bracket, a comma or a colon; a line that
                    // stops anywhere else was cut off, and joining it would swallow the lines after it.
                    guard Self.endsOpen(line) else {
                        pieces.append(.brokenObject)
                        return pieces
                    }
                    isOpen = true
                    openedOnLastLine = true
                    startLine = number
                    overlong = false
                    joined.removeAll(keepingCapacity: joined.capacity <= limit)
                    append(UnsafeRawBufferPointer(rebasing: line[index...]), upTo: line.count - index, newline: true)
                    return pieces
                }
                pieces.append(.object(index..<end))
                index = end
            case Self.openBracket, Self.closeBracket, UInt8(ascii: ","), UInt8(ascii: " "), UInt8(ascii: "\t"),
                UInt8(ascii: "\r"):
                index += 1
            default:
                // Not an array of objects (a string or number element, or junk): stop here.
                index = line.count
            }
        }
        return pieces
    }

    /// Abandons the open object when `line` starts a new object in its first column, as a JSON line does
    /// (pretty-printed members are indented): the open one was cut off. Returns its first line.
    mutating func abandon(before line: UnsafeRawBufferPointer) -> Int? {
        guard isOpen, line.first == Self.openBrace else { return nil }
        return finish()
    }

    private static func endsOpen(_ line: UnsafeRawBufferPointer) -> Bool {
        var index = line.count - 1
        while index >= 0,
            line[index] == UInt8(ascii: " ") || line[index] == UInt8(ascii: "\t")
                || line[index] == UInt8(ascii: "\r")
        {
            index -= 1
        }
        guard index >= 0 else { return false }
        let last = line[index]
        return last == openBrace || last == openBracket || last == UInt8(ascii: ",") || last == UInt8(ascii: ":")
    }

    /// Whatever object is still open when the input ends: it was cut off.
    mutating func finish() -> Int? {
        guard isOpen else { return nil }
        isOpen = false
        joined.removeAll()
        return startLine
    }

    private mutating func resetScan() {
        depth = 0
        inString = false
        escaped = false
    }

    private mutating func append(_ bytes: UnsafeRawBufferPointer, upTo end: Int, newline: Bool) {
        guard !overlong else { return }
        if joined.count + end + 1 > limit {
            overlong = true
            joined.removeAll()
            return
        }
        joined.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[..<end]))
        if newline { joined.append(UInt8(ascii: "\n")) }
    }

    /// Scans from `start`, returning the index just past the brace that closes the outermost object.
    private mutating func scan(_ line: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start
        while index < line.count {
            let byte = line[index]
            if inString {
                if escaped {
                    escaped = false
                } else if byte == Self.backslash {
                    escaped = true
                } else if byte == Self.quote {
                    inString = false
                }
            } else if byte == Self.quote {
                inString = true
            } else if byte == Self.openBrace || byte == Self.openBracket {
                depth += 1
            } else if byte == Self.closeBrace || byte == Self.closeBracket {
                depth -= 1
                if depth <= 0 { return index + 1 }
            }
            index += 1
        }
        return nil
    }
}
