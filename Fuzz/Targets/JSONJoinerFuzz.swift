// The joiner of JSON objects spread over lines: arbitrary bytes cut at newlines, fed line by line.
// Every object it reports lies inside its line, a joined object never exceeds the limit, and each
// object found parses without touching memory outside it.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var bytes = fuzzBytes(data, size)
    let limit = 256
    var joiner = JSONObjectJoiner(limit: limit)
    var parser = JSONLineParser(overrides: [])
    var record = RequestRecord()
    bytes.withUnsafeMutableBytes { all in
        var start = 0
        var number = 1
        while start <= all.count {
            var end = start
            while end < all.count && all[end] != UInt8(ascii: "\n") { end += 1 }
            let line = UnsafeMutableRawBufferPointer(rebasing: all[start..<end])
            _ = joiner.abandon(before: UnsafeRawBufferPointer(line))
            if joiner.isOpen || JSONObjectJoiner.mayStart(UnsafeRawBufferPointer(line)) {
                let pieces = joiner.split(UnsafeRawBufferPointer(line), number: number)
                precondition(joiner.joined.count <= limit, "joined object past the limit")
                for piece in pieces {
                    switch piece {
                    case .object(let range):
                        precondition(range.lowerBound >= 0 && range.upperBound <= line.count, "object outside line")
                        let object = UnsafeMutableRawBufferPointer(rebasing: line[range])
                        if case .record = parser.parse(object, into: &record) { checkSpans(record, count: object.count) }
                    case .joinedObject(let startLine), .overlongObject(let startLine):
                        precondition(startLine >= 1 && startLine < number, "start line not before this one")
                        var joined = joiner.joined
                        joined.withUnsafeMutableBytes { object in
                            if case .record = parser.parse(object, into: &record) {
                                checkSpans(record, count: object.count)
                            }
                        }
                    case .brokenObject:
                        break
                    }
                }
            }
            start = end + 1
            number += 1
        }
    }
    if let startLine = joiner.finish() { precondition(startLine >= 1, "bad start line") }
    return 0
}
