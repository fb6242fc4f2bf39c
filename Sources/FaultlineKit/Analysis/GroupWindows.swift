/// A failure group's counts per window, in window order.
///
/// A sorted list sized to fit, not a `Dictionary`: a merged summary keeps up to 50,000 of these windows, and
/// a dictionary's slots (a power of two, at most three quarters full) made each one about 200 bytes instead of
/// 88, so the table grew by megabytes as a longer log spread the same groups over more windows. Windows are
/// added in bulk (a piece's windows when it merges), so a sorted list never inserts one entry at a time.
///
/// Each window is packed into 32 bytes rather than kept as a `WindowStat` (88 with its start): nearly every
/// window has one status and one code, its times lie within the window, and its counts fit 32 bits. The rare
/// window that does not fit keeps its `WindowStat` whole, on the side, so every value reads back exactly.
public struct GroupWindows: Sendable {
    /// One window: its start and its counts.
    public typealias Element = (key: Int64, value: WindowStat)

    fileprivate struct Entry: Sendable {
        var start: Int64
        /// The first and last failure, in milliseconds after `start`.
        var first: UInt32
        var last: UInt32
        var count: UInt32
        var codeCount: UInt32
        /// The window's `WindowStat` in `spilled`, when it does not fit here; -1 when it does.
        var spill: Int32
        /// The one status, which every failure of the window had; `noStatus` for none.
        var status: Int16
        /// The one code, an index into `codes`; `noCode` for none.
        var code: UInt16
    }

    private static let noStatus = Int16.min
    private static let noCode = UInt16.max
    /// The most distinct codes one group's windows name; past it, windows with new codes spill. Looked up one
    /// by one, so kept small (a group sees a handful).
    private static let codeCap = 64

    /// In ascending `start`, each start once.
    private var entries: [Entry]
    /// The codes entries name, each once.
    private var codes: [String] = []
    /// Windows that do not fit an entry: more than one status or code, a status or count too large, or
    /// times outside the window (only a summary file can hold such).
    private var spilled: [WindowStat] = []

    /// No windows.
    public init() { entries = [] }

    /// The windows of `map`, in order.
    public init(_ map: [Int64: WindowStat]) {
        entries = []
        entries.reserveCapacity(map.count)
        for start in map.keys.sorted() { append(start, map[start]!) }
    }

    /// How many windows have failures.
    public var count: Int { entries.count }

    /// Whether no window has failures.
    public var isEmpty: Bool { entries.isEmpty }

    /// The counts of the window starting at `start`, if it has failures.
    public subscript(start: Int64) -> WindowStat? {
        let index = lowerBound(start)
        return index < entries.count && entries[index].start == start ? stat(entries[index]) : nil
    }

    /// Failures in the windows starting from `low` through `high`, read from the packed entries: an incident
    /// asks this of thousands of groups, and making each window's `WindowStat` to read its count was most of a
    /// report's time.
    func failures(from low: Int64, through high: Int64) -> Int {
        var total = 0
        var index = lowerBound(low)
        while index < entries.count && entries[index].start <= high {
            let entry = entries[index]
            total += entry.spill < 0 ? Int(entry.count) : spilled[Int(entry.spill)].count
            index += 1
        }
        return total
    }

    /// The first and last failure in the windows starting from `low` through `high`, or nil when none has one.
    func span(from low: Int64, through high: Int64) -> (first: Int64, last: Int64)? {
        var first = Int64.max
        var last = Int64.min
        var index = lowerBound(low)
        while index < entries.count && entries[index].start <= high {
            let entry = entries[index]
            if entry.spill < 0 {
                first = Swift.min(first, entry.start + Int64(entry.first))
                last = Swift.max(last, entry.start + Int64(entry.last))
            } else {
                first = Swift.min(first, spilled[Int(entry.spill)].first)
                last = Swift.max(last, spilled[Int(entry.spill)].last)
            }
            index += 1
        }
        return first <= last ? (first, last) : nil
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

    /// The counts an entry packs.
    fileprivate func stat(_ entry: Entry) -> WindowStat {
        if entry.spill >= 0 { return spilled[Int(entry.spill)] }
        return WindowStat(
            count: Int(entry.count), first: entry.start + Int64(entry.first), last: entry.start + Int64(entry.last),
            status: entry.status == Self.noStatus ? nil : Int(entry.status),
            code: entry.code == Self.noCode ? nil : codes[Int(entry.code)], codeCount: Int(entry.codeCount))
    }

    /// Adds a window after every window held.
    private mutating func append(_ start: Int64, _ stat: WindowStat) {
        if let entry = pack(start, stat) {
            entries.append(entry)
        } else {
            entries.append(
                Entry(
                    start: start, first: 0, last: 0, count: 0, codeCount: 0, spill: Int32(spilled.count), status: 0,
                    code: 0))
            spilled.append(stat)
        }
    }

    /// `stat` as an entry, or nil when it does not fit one.
    private mutating func pack(_ start: Int64, _ stat: WindowStat) -> Entry? {
        guard let single = stat.single,
            let count = UInt32(exactly: stat.count),
            let codeCount = UInt32(exactly: single.codeCount),
            let first = Self.offset(stat.first, from: start),
            let last = Self.offset(stat.last, from: start)
        else { return nil }
        var status = Self.noStatus
        if let value = single.status {
            guard let narrow = Int16(exactly: value), narrow != Self.noStatus else { return nil }
            status = narrow
        }
        var code = Self.noCode
        if let value = single.code {
            // Codes are the builder's interned strings, so a window's code is usually the very one held.
            if let index = codes.firstIndex(of: value) {
                code = UInt16(index)
            } else {
                guard codes.count < Self.codeCap else { return nil }
                code = UInt16(codes.count)
                codes.append(value)
            }
        }
        return Entry(
            start: start, first: first, last: last, count: count, codeCount: codeCount, spill: -1, status: status,
            code: code)
    }

    /// `time` as milliseconds after `start`, if that fits 32 bits.
    private static func offset(_ time: Int64, from start: Int64) -> UInt32? {
        let (difference, overflow) = time.subtractingReportingOverflow(start)
        return overflow ? nil : UInt32(exactly: difference)
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
        var merged = GroupWindows()
        merged.entries.reserveCapacity(union)
        merged.codes = codes
        left = 0
        right = 0
        while left < entries.count || right < other.entries.count {
            if right == other.entries.count || left < entries.count && entries[left].start < other.entries[right].start
            {
                // The codes table is kept as it is, so a packed entry moves as it is.
                if entries[left].spill < 0 {
                    merged.entries.append(entries[left])
                } else {
                    merged.append(entries[left].start, stat(entries[left]))
                }
                left += 1
            } else if left == entries.count || other.entries[right].start < entries[left].start {
                // Merged into an empty window, as a window both sides have is: the codes take one order.
                var stat = WindowStat()
                stat.merge(other.stat(other.entries[right]))
                merged.append(other.entries[right].start, stat)
                right += 1
            } else {
                var stat = stat(entries[left])
                stat.merge(other.stat(other.entries[right]))
                merged.append(entries[left].start, stat)
                left += 1
                right += 1
            }
        }
        self = merged
    }

    /// Moves every window to the window `floor` gives its start, merging those that land together.
    ///
    /// `floor` must not decrease as its argument grows (flooring to a coarser window does not), so the list
    /// stays in order and windows that land together are neighbours.
    mutating func refloor(_ floor: (Int64) -> Int64) {
        guard !entries.isEmpty else { return }
        // Most calls floor to the window the list is already in: then only the spilled windows change (their
        // codes take the order a merge into an empty window gives), and no list is made.
        if entries.allSatisfy({ floor($0.start) == $0.start }) {
            for index in spilled.indices {
                var stat = WindowStat()
                stat.merge(spilled[index])
                spilled[index] = stat
            }
            return
        }
        // Made anew, sized to fit: this list lives as long as the run.
        var floored = GroupWindows()
        var pending: (start: Int64, stat: WindowStat)?
        var kept = 0
        var previous: Int64?
        for entry in entries where floor(entry.start) != previous {
            previous = floor(entry.start)
            kept += 1
        }
        floored.entries.reserveCapacity(kept)
        for entry in entries {
            let start = floor(entry.start)
            if pending != nil && pending!.start == start {
                pending!.stat.merge(stat(entry))
            } else {
                if let (start, stat) = pending { floored.append(start, stat) }
                // Into an empty window, as the merge does, so a window reads the same however it was made.
                var stat = WindowStat()
                stat.merge(self.stat(entry))
                pending = (start, stat)
            }
        }
        if let (start, stat) = pending { floored.append(start, stat) }
        self = floored
    }
}

extension GroupWindows: Equatable {
    /// Whether both hold the same windows with the same counts (however they are packed).
    public static func == (lhs: GroupWindows, rhs: GroupWindows) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (left, right) in zip(lhs, rhs) where left.key != right.key || left.value != right.value { return false }
        return true
    }
}

extension GroupWindows: Sequence {
    /// Iterates the windows in order of start.
    public struct Iterator: IteratorProtocol {
        fileprivate let windows: GroupWindows
        fileprivate var index = 0

        /// The next window.
        public mutating func next() -> Element? {
            guard index < windows.entries.count else { return nil }
            defer { index += 1 }
            let entry = windows.entries[index]
            return (entry.start, windows.stat(entry))
        }
    }

    /// An iterator over the windows in order of start.
    public func makeIterator() -> Iterator { Iterator(windows: self) }

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
        for (start, stat) in self {
            try list.encode(start)
            try list.encode(stat)
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
