/// An append-only array kept in fixed-size segments, for tables that grow to megabytes while a piece is read.
///
/// A plain array doubles as it grows: it holds up to twice what it needs, and while it grows the old and the
/// new buffer both live. Segments grow by one at a time and are never moved, so the table costs what it holds.
///
/// The segments are raw buffers owned by one storage object, copied on write: a write checks that one object
/// is unique, not an array of arrays and then the segment's array (two runtime calls per counter, seven
/// counters a line). `withElements` checks once for many writes.
struct SegmentedArray<Element>: @unchecked Sendable where Element: Sendable {
    private static var shift: Int { 10 }
    private static var segmentSize: Int { 1 << shift }

    /// The segments; only the last may be partly filled.
    private final class Storage {
        // Unchecked: a checked class property costs two runtime calls per access, and only the array that owns
        // this (uniquely, when it writes) ever touches it.
        @exclusivity(unchecked) var segments: [UnsafeMutablePointer<Element>] = []
        @exclusivity(unchecked) var count = 0

        init() {}

        /// A deep copy, for a write to a shared array.
        func copy() -> Storage {
            let copy = Storage()
            for (index, segment) in segments.enumerated() {
                let fresh = UnsafeMutablePointer<Element>.allocate(capacity: SegmentedArray.segmentSize)
                fresh.initialize(from: segment, count: filled(index))
                copy.segments.append(fresh)
            }
            copy.count = count
            return copy
        }

        /// The elements in segment `index`.
        func filled(_ index: Int) -> Int {
            min(SegmentedArray.segmentSize, count - index << SegmentedArray.shift)
        }

        deinit {
            for (index, segment) in segments.enumerated() {
                segment.deinitialize(count: filled(index))
                segment.deallocate()
            }
        }
    }

    private var storage = Storage()

    init() {}

    var count: Int { storage.count }

    @inline(__always)
    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// Appends an element at index `count`.
    mutating func append(_ element: Element) {
        makeUnique()
        let count = storage.count
        if count & (Self.segmentSize - 1) == 0 {
            storage.segments.append(UnsafeMutablePointer<Element>.allocate(capacity: Self.segmentSize))
        }
        (storage.segments[count >> Self.shift] + count & (Self.segmentSize - 1)).initialize(to: element)
        storage.count = count + 1
    }

    var indices: Range<Int> { 0..<count }

    @inline(__always)
    subscript(index: Int) -> Element {
        get {
            precondition(index >= 0 && index < storage.count, "index out of range")
            return storage.segments[index >> Self.shift][index & (Self.segmentSize - 1)]
        }
        _modify {
            makeUnique()
            precondition(index >= 0 && index < storage.count, "index out of range")
            yield &storage.segments[index >> Self.shift][index & (Self.segmentSize - 1)]
        }
    }

    /// Elements to change in place, for one `withElements` call.
    struct Elements {
        fileprivate let segments: UnsafeBufferPointer<UnsafeMutablePointer<Element>>
        fileprivate let count: Int

        @inline(__always)
        subscript(index: Int) -> Element {
            unsafeAddress {
                precondition(index >= 0 && index < count, "index out of range")
                return UnsafePointer(segments[index >> SegmentedArray.shift] + index & (SegmentedArray.segmentSize - 1))
            }
            nonmutating unsafeMutableAddress {
                precondition(index >= 0 && index < count, "index out of range")
                return segments[index >> SegmentedArray.shift] + index & (SegmentedArray.segmentSize - 1)
            }
        }
    }

    /// Calls `body` with the elements to change in place, after one check that they are not shared; `body` must
    /// not append nor keep them.
    @inline(__always)
    mutating func withElements<Result>(_ body: (Elements) throws -> Result) rethrows -> Result {
        makeUnique()
        return try storage.segments.withUnsafeBufferPointer { try body(Elements(segments: $0, count: storage.count)) }
    }
}
