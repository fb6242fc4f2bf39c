/// A failure group's counts per window, in window order.
///
/// A sorted list sized to fit, not a `Dictionary`: a merged summary keeps up to 50,000 of these windows, and
/// a dictionary's slots (a power of two, at most three quarters full) made each one about 200 bytes instead of
/// 88, so the table grew by megabytes as a longer log spread the same groups over more windows. Windows are
/// added in bulk (a piece's windows when it merges), so a sorted list never inserts one entry at a time.
public struct GroupWindows: Sendable, Equatable {
    /// One window: its start and its counts.
    public typealias Element = (key: Int64, value: WindowStat)

    fileprivate struct Entry: Sendable, Equatable {
        var start: Int64
        var stat: WindowStat
    }

    /// In ascending `start`, each start once.
    private var entries: [Entry]

    /// No windows.
    public init() { entries = [] }

    /// The windows of `map`, in order.
    public init(_ map: [Int64: WindowStat]) {
        var entries: [Entry] = []
        entries.reserveCapacity(map.count)
        for (start, stat) in map { entries.append(Entry(start: start, stat: stat)) }
        entries.sort { $0.start < $1.start }
        self.entries = entries
    }

    /// How many windows have failures.
    public var count: Int { entries.count }

    /// Whether no window has failures.
    public var isEmpty: Bool { entries.isEmpty }

    /// The counts of the window starting at `start`, if it has failures.
    public subscript(start: Int64) -> WindowStat? {
        let index = lowerBound(start)
        return index < entries.count && entries[index].start == start ? entries[index].stat : nil
    }

    /// The first index whose start is not below `start`.
    private func lowerBound(_ start: Int64) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].start < start { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Adds `other`'s windows: one pass over both lists, into a list sized for the result.
    mutating func merge(_ other: GroupWindows) {
        guard !other.entries.isEmpty else { return }
        var union = 0
        var left = 0
        var right = 0
        while left < entries.count || right < other.entries.count {
            if right == other.entries.count || left < entries.count && entries[left].start < other.entries[right].start
            {
                left += 1
            } else if left == entries.count || other.entries[right].start < entries[left].start {
                right += 1
            } else {
                left += 1
                right += 1
            }
            union += 1
        }
        var merged: [Entry] = []
        merged.reserveCapacity(union)
        left = 0
        right = 0
        while left < entries.count || right < other.entries.count {
            if right == other.entries.count || left < entries.count && entries[left].start < other.entries[right].start
            {
                merged.append(entries[left])
                left += 1
            } else if left == entries.count || other.entries[right].start < entries[left].start {
                // Merged into an empty window, as a window both sides have is: the codes take one order.
                var entry = Entry(start: other.entries[right].start, stat: WindowStat())
                entry.stat.merge(other.entries[right].stat)
                merged.append(entry)
                right += 1
            } else {
                var entry = entries[left]
                entry.stat.merge(other.entries[right].stat)
                merged.append(entry)
                left += 1
                right += 1
            }
        }
        entries = merged
    }

    /// Moves every window to the window `floor` gives its start, merging those that land together.
    ///
    /// `floor` must not decrease as its argument grows (flooring to a coarser window does not), so the list
    /// stays in order and windows that land together are neighbours.
    mutating func refloor(_ floor: (Int64) -> Int64) {
        guard !entries.isEmpty else { return }
        var kept = 0
        for index in entries.indices {
            let start = floor(entries[index].start)
            if kept > 0 && entries[kept - 1].start == start {
                entries[kept - 1].stat.merge(entries[index].stat)
            } else {
                // Into an empty window, as the merge does, so a window reads the same however it was made.
                var stat = WindowStat()
                stat.merge(entries[index].stat)
                entries[kept] = Entry(start: start, stat: stat)
                kept += 1
            }
        }
        guard kept < entries.count else { return }
        // A copy sized to fit: `removeLast` keeps the whole capacity, and this list lives as long as the run.
        entries = Array(entries[..<kept])
    }
}

extension GroupWindows: Sequence {
    /// Iterates the windows in order of start.
    public struct Iterator: IteratorProtocol {
        fileprivate var base: IndexingIterator<[Entry]>

        /// The next window.
        public mutating func next() -> Element? {
            base.next().map { ($0.start, $0.stat) }
        }
    }

    /// An iterator over the windows in order of start.
    public func makeIterator() -> Iterator { Iterator(base: entries.makeIterator()) }

    /// The number of windows.
    public var underestimatedCount: Int { entries.count }
}

extension GroupWindows: ExpressibleByDictionaryLiteral {
    /// The windows given, in order; a start given twice counts both.
    public init(dictionaryLiteral elements: (Int64, WindowStat)...) {
        var map: [Int64: WindowStat] = [:]
        for (start, stat) in elements { map.add(stat, at: start) }
        self.init(map)
    }
}

extension GroupWindows: Codable {
    /// Reads the form `encode(to:)` writes, which is also `Dictionary`'s: alternating starts and counts. A
    /// start that comes twice counts both, and order does not matter.
    public init(from decoder: any Decoder) throws {
        var list = try decoder.unkeyedContainer()
        var map: [Int64: WindowStat] = [:]
        while !list.isAtEnd {
            let start = try list.decode(Int64.self)
            map.add(try list.decode(WindowStat.self), at: start)
        }
        self.init(map)
    }

    /// Writes alternating starts and counts in order of start, as summary files always held them.
    public func encode(to encoder: any Encoder) throws {
        var list = encoder.unkeyedContainer()
        for entry in entries {
            try list.encode(entry.start)
            try list.encode(entry.stat)
        }
    }
}

extension [Int64: WindowStat] {
    /// Stores `stat` at `start`, or merges it into the window there: a window read once keeps its codes' order.
    fileprivate mutating func add(_ stat: WindowStat, at start: Int64) {
        if let index = index(forKey: start) {
            values[index].merge(stat)
        } else {
            self[start] = stat
        }
    }
}
