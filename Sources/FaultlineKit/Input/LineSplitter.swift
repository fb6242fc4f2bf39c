#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Receives the lines a `LineSplitter` cuts.
protocol LineSink {
    /// One line without its `\n` (and without a `\r` before it), numbered from 1.
    ///
    /// The bytes are only valid during the call; the sink may rewrite them in place.
    mutating func line(_ bytes: UnsafeMutableRawBufferPointer, number: Int)
    /// A line longer than the bound, skipped without being buffered whole.
    mutating func overlongLine(number: Int)
}

/// Cuts lines out of a stream of chunks with `memchr`, in bounded memory.
///
/// Lines inside a chunk are handed over in place; only a line that spans chunks is copied into a
/// carry buffer, and a line longer than `maxLineLength` is dropped as it streams past.
struct LineSplitter {
    let maxLineLength: Int
    private var carry: UnsafeMutableRawBufferPointer
    private var carryCount = 0
    private var discarding = false
    /// Lines seen so far, including skipped ones.
    private(set) var lineCount = 0

    init(maxLineLength: Int) {
        self.maxLineLength = max(maxLineLength, 16)
        carry = .allocate(byteCount: min(self.maxLineLength, 64 * 1024) + 1, alignment: 16)
    }

    /// Frees the carry buffer; call once when done.
    mutating func deallocate() {
        carry.deallocate()
        carry = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    }

    /// Cuts every complete line in `chunk`, joining a line begun in the previous chunk.
    mutating func feed<Sink: LineSink>(_ chunk: UnsafeMutableRawBufferPointer, into sink: inout Sink) {
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        var start = 0
        let end = chunk.count
        while start < end {
            guard let hit = memchr(base + start, Int32(UInt8(ascii: "\n")), end - start) else {
                keep(UnsafeMutableRawBufferPointer(start: base + start, count: end - start))
                return
            }
            let newline = base.distance(to: hit)
            lineCount += 1
            if discarding || carryCount > 0 {
                let piece = newline - start
                if discarding || carryCount + piece > maxLineLength + 1 {
                    discarding = false
                    carryCount = 0
                    sink.overlongLine(number: lineCount)
                } else {
                    append(UnsafeRawBufferPointer(start: base + start, count: piece))
                    emit(UnsafeMutableRawBufferPointer(start: carry.baseAddress, count: carryCount), into: &sink)
                    carryCount = 0
                }
            } else if newline - start > maxLineLength + 1 {
                sink.overlongLine(number: lineCount)
            } else {
                emit(UnsafeMutableRawBufferPointer(start: base + start, count: newline - start), into: &sink)
            }
            start = newline + 1
        }
    }

    /// Hands over a last line that has no `\n` after it.
    mutating func finish<Sink: LineSink>(into sink: inout Sink) {
        if discarding {
            lineCount += 1
            discarding = false
            sink.overlongLine(number: lineCount)
        } else if carryCount > 0 {
            lineCount += 1
            emit(UnsafeMutableRawBufferPointer(start: carry.baseAddress, count: carryCount), into: &sink)
        }
        carryCount = 0
    }

    private mutating func emit<Sink: LineSink>(_ line: UnsafeMutableRawBufferPointer, into sink: inout Sink) {
        var count = line.count
        if count > 0 && line[count - 1] == UInt8(ascii: "\r") { count -= 1 }
        if count > maxLineLength {
            sink.overlongLine(number: lineCount)
            return
        }
        sink.line(UnsafeMutableRawBufferPointer(start: line.baseAddress, count: count), number: lineCount)
    }

    private mutating func keep(_ tail: UnsafeMutableRawBufferPointer) {
        if discarding { return }
        // One byte of slack for a `\r` that belongs to the next chunk's `\n`.
        if carryCount + tail.count > maxLineLength + 1 {
            discarding = true
            carryCount = 0
            return
        }
        append(UnsafeRawBufferPointer(tail))
    }

    private mutating func append(_ bytes: UnsafeRawBufferPointer) {
        let needed = carryCount + bytes.count
        if needed > carry.count {
            var capacity = carry.count
            while capacity < needed { capacity *= 2 }
            let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
            if carryCount > 0 { grown.baseAddress!.copyMemory(from: carry.baseAddress!, byteCount: carryCount) }
            carry.deallocate()
            carry = grown
        }
        if bytes.count > 0 {
            (carry.baseAddress! + carryCount).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        }
        carryCount = needed
    }
}
