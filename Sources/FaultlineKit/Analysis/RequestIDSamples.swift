/// A failure group's first and last few request IDs, in one byte buffer.
///
/// As two `[String]`, a group held two arrays and up to six strings of its own (a request ID is about 35
/// bytes, past a `String`'s inline limit): about 600 bytes for 200 bytes of IDs, for each of the 5,000 groups
/// a summary keeps. More groups fill all six samples as a log grows, so this followed the log's length.
struct RequestIDSamples: Sendable, Equatable {
    /// The number of first IDs, then every ID behind its length (both LEB128), first IDs then last ones.
    /// Empty when there are none, so equal samples have equal bytes.
    private var bytes: [UInt8] = []

    /// No samples.
    init() {}

    /// The samples `first` and `last`.
    init(first: [String], last: [String]) {
        guard !first.isEmpty || !last.isEmpty else { return }
        Self.appendLength(first.count, to: &bytes)
        for id in first + last {
            var id = id
            id.withUTF8 { Self.append(UnsafeRawBufferPointer($0), to: &bytes) }
        }
    }

    /// The first IDs, in order.
    var first: [String] {
        var result: [String] = []
        let firstCount = self.firstCount
        forEach { index, id in if index < firstCount { result.append(String(decoding: id, as: UTF8.self)) } }
        return result
    }

    /// The last IDs, in order.
    var last: [String] {
        var result: [String] = []
        let firstCount = self.firstCount
        forEach { index, id in if index >= firstCount { result.append(String(decoding: id, as: UTF8.self)) } }
        return result
    }

    /// How many first IDs.
    var firstCount: Int {
        bytes.withUnsafeBytes { $0.isEmpty ? 0 : Self.length(in: $0, at: 0).length }
    }

    /// How many last IDs.
    var lastCount: Int {
        var count = 0
        forEach { _, _ in count += 1 }
        return count - firstCount
    }

    /// Calls `body` with each ID's position and bytes, first IDs then last ones.
    func forEach(_ body: (Int, UnsafeRawBufferPointer) -> Void) {
        bytes.withUnsafeBytes { buffer in
            guard !buffer.isEmpty else { return }
            var position = Self.length(in: buffer, at: 0).start
            var index = 0
            while position < buffer.count {
                let (length, start) = Self.length(in: buffer, at: position)
                body(index, UnsafeRawBufferPointer(rebasing: buffer[start..<start + length]))
                position = start + length
                index += 1
            }
        }
    }

    /// The byte range of each ID, length included, first IDs then last ones.
    private var ranges: [Range<Int>] {
        var result: [Range<Int>] = []
        bytes.withUnsafeBytes { buffer in
            guard !buffer.isEmpty else { return }
            var position = Self.length(in: buffer, at: 0).start
            while position < buffer.count {
                let (length, start) = Self.length(in: buffer, at: position)
                result.append(position..<start + length)
                position = start + length
            }
        }
        return result
    }

    /// Adds an ID as a group sees it: one of the first `cap` IDs, or else the newest of the last `cap`.
    ///
    /// Runs for every failure of every group, so it walks the buffer in place and makes nothing.
    mutating func add(_ id: UnsafeRawBufferPointer, cap: Int) {
        if bytes.isEmpty {
            bytes.reserveCapacity(id.count + 11)
            Self.appendLength(1, to: &bytes)
            Self.append(id, to: &bytes)
            return
        }
        let firstCount = self.firstCount
        if firstCount < cap {
            // After the first IDs: the end, unless a summary file gave last IDs with fewer first ones.
            var end = bytes.withUnsafeBytes { buffer in
                var position = Self.length(in: buffer, at: 0).start
                for _ in 0..<firstCount {
                    let (length, start) = Self.length(in: buffer, at: position)
                    position = start + length
                }
                return position
            }
            if firstCount + 1 < 0x80 {
                bytes[0] = UInt8(firstCount + 1)
            } else {
                var header: [UInt8] = []
                Self.appendLength(firstCount + 1, to: &header)
                let old = Self.length(in: bytes, at: 0).start
                bytes.replaceSubrange(0..<old, with: header)
                end += header.count - old
            }
            if end < bytes.count {
                var encoded: [UInt8] = []
                Self.append(id, to: &encoded)
                bytes.insert(contentsOf: encoded, at: end)
                return
            }
        } else {
            // The IDs counted, and where the oldest last one is.
            let (count, oldest) = bytes.withUnsafeBytes { buffer -> (Int, Range<Int>?) in
                var position = Self.length(in: buffer, at: 0).start
                var index = 0
                var oldest: Range<Int>?
                while position < buffer.count {
                    let (length, start) = Self.length(in: buffer, at: position)
                    if index == firstCount { oldest = position..<start + length }
                    position = start + length
                    index += 1
                }
                return (index, oldest)
            }
            if count - firstCount == cap, let oldest { bytes.removeSubrange(oldest) }
        }
        // Grown to fit, not doubled: a group's buffer stops growing once its samples are full, and a doubled one
        // was up to twice that, for each of a piece's 4,000 groups.
        let needed = bytes.count + id.count + 10
        if needed > bytes.capacity { bytes.reserveCapacity(needed) }
        Self.append(id, to: &bytes)
    }

    /// Adds `other`'s samples: the first `cap` IDs of both, the side that began first before the other's,
    /// and as many of the last ones as one run over both would keep, the side that ended last after the other's.
    /// Each side's IDs stay in their order.
    mutating func merge(_ other: RequestIDSamples, otherBeganFirst: Bool, otherEndedFirst: Bool, cap: Int) {
        let mine = ranges.map { (side: 0, range: $0) }
        let theirs = other.ranges.map { (side: 1, range: $0) }
        let byFirst = otherBeganFirst ? theirs + mine : mine + theirs
        let byLast = otherEndedFirst ? theirs + mine : mine + theirs
        // A single run keeps min(cap, IDs - cap) last samples; a side with a full last list saw at least 2 cap.
        let known = mine.count + theirs.count
        let full = mine.count - firstCount == cap || theirs.count - other.firstCount == cap
        let lastCount = full ? cap : min(cap, max(0, known - cap))
        let first = byFirst.prefix(cap)
        let last = byLast.suffix(lastCount)
        var merged: [UInt8] = []
        if !first.isEmpty || !last.isEmpty {
            // Sized to fit: this buffer lives on in the merged summary.
            merged.reserveCapacity(10 + (first + last).reduce(0) { $0 + $1.range.count })
            Self.appendLength(first.count, to: &merged)
            for (side, range) in first + last { merged += side == 0 ? bytes[range] : other.bytes[range] }
        }
        bytes = merged
    }

    /// Frees the buffer's unused capacity: a builder's samples grow one ID at a time, then live on in the
    /// merged summary.
    mutating func shrink() {
        if bytes.capacity > bytes.count { bytes = Array(bytes[...]) }
    }

    private static func append(_ id: UnsafeRawBufferPointer, to bytes: inout [UInt8]) {
        appendLength(id.count, to: &bytes)
        bytes.append(contentsOf: id)
    }

    private static func appendLength(_ length: Int, to bytes: inout [UInt8]) {
        LEB128.append(length, to: &bytes)
    }

    private static func length(in buffer: UnsafeRawBufferPointer, at position: Int) -> (length: Int, start: Int) {
        LEB128.read(buffer, at: position)
    }

    private static func length(in bytes: [UInt8], at position: Int) -> (length: Int, start: Int) {
        bytes.withUnsafeBytes { length(in: $0, at: position) }
    }
}
