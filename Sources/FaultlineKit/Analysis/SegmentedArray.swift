/// An append-only array kept in fixed-size segments, for tables that grow to megabytes while a piece is read.
///
/// A plain array doubles as it grows: it holds up to twice what it needs, and while it grows the old and the
/// new buffer both live. Segments grow by one at a time and are never moved, so the table costs what it holds.
struct SegmentedArray<Element>: Sendable where Element: Sendable {
    private static var shift: Int { 10 }
    private static var segmentSize: Int { 1 << shift }
    private var segments: [[Element]] = []
    private(set) var count = 0

    init() {}

    /// Appends an element at index `count`.
    mutating func append(_ element: Element) {
        if count & (Self.segmentSize - 1) == 0 {
            var segment: [Element] = []
            segment.reserveCapacity(Self.segmentSize)
            segments.append(segment)
        }
        segments[segments.count - 1].append(element)
        count += 1
    }

    var indices: Range<Int> { 0..<count }

    @inline(__always)
    subscript(index: Int) -> Element {
        get { segments[index >> Self.shift][index & (Self.segmentSize - 1)] }
        _modify { yield &segments[index >> Self.shift][index & (Self.segmentSize - 1)] }
    }
}
