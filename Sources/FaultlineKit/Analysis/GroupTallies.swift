/// A failure group's small tables: its failures per status, error code, error type, user agent and kind of
/// evidence.
///
/// One sorted list for all five, not five dictionaries: a group sees one or two values of each, and a
/// dictionary was a heap block of about a hundred bytes even for one entry, five per group, for the 5,000
/// groups of the merged summary and the 4,000 of each worker's piece.
struct GroupTallies: Sendable, Equatable {
    /// Which table an entry belongs to; the list is in this order.
    enum Kind: UInt8 {
        case status, code, type, agent, evidence
    }

    private struct Entry: Sendable, Equatable {
        /// The value counted; empty for a status.
        var name: String
        /// The status counted; 0 for the other kinds.
        var status: Int
        var count: Int
        var kind: Kind
    }

    /// By kind, then status or name; a value once per kind. One order for the same tables, so two lists
    /// are equal exactly when their tables are.
    private var entries: [Entry] = []

    /// No counts.
    init() {}

    /// Where `kind`'s entries are.
    private func range(_ kind: Kind) -> Range<Int> {
        var low = 0
        while low < entries.count && entries[low].kind.rawValue < kind.rawValue { low += 1 }
        var high = low
        while high < entries.count && entries[high].kind == kind { high += 1 }
        return low..<high
    }

    /// Inserts at `index`, growing the list by one entry only: a group gains values rarely, and a list grown
    /// by doubling held up to twice the entries it used, for as long as the run.
    private mutating func insert(_ entry: Entry, at index: Int) {
        if entries.count == entries.capacity { entries.reserveCapacity(entries.count + 1) }
        entries.insert(entry, at: index)
    }

    /// Adds `count` failures of `status`.
    mutating func add(status: Int, by count: Int) {
        // Statuses come first in the list.
        var index = 0
        while index < entries.count && entries[index].kind == .status && entries[index].status < status { index += 1 }
        if index < entries.count && entries[index].kind == .status && entries[index].status == status {
            entries[index].count += count
        } else {
            insert(Entry(name: "", status: status, count: count, kind: .status), at: index)
        }
    }

    /// Adds `count` to `name` in the `kind` table; a name new to a table that has `cap` names already counts
    /// as `(other)`.
    mutating func add(_ kind: Kind, _ name: String, by count: Int, cap: Int = .max) {
        let range = range(kind)
        // The builder's names are its interned strings, so a name held is usually the very same string.
        for index in range where entries[index].name == name {
            entries[index].count += count
            return
        }
        guard range.count < cap else {
            add(kind, "(other)", by: count)
            return
        }
        var index = range.lowerBound
        while index < range.upperBound && entries[index].name < name { index += 1 }
        insert(Entry(name: name, status: 0, count: count, kind: kind), at: index)
    }

    /// Adds `other`'s counts, each table's names in order, so the names a capped table keeps do not depend on
    /// the order they were seen in. `code`, `type` and `agent` tables keep at most `cap` names.
    mutating func merge(_ other: GroupTallies, cap: Int) {
        for entry in other.entries {
            switch entry.kind {
            case .status: add(status: entry.status, by: entry.count)
            case .evidence: add(.evidence, entry.name, by: entry.count)
            case .code, .type, .agent: add(entry.kind, entry.name, by: entry.count, cap: cap)
            }
        }
    }

    /// Failures per status.
    var statuses: [Int: Int] {
        get {
            var table: [Int: Int] = [:]
            for index in range(.status) { table[entries[index].status] = entries[index].count }
            return table
        }
        set {
            entries.removeSubrange(range(.status))
            for (status, count) in newValue { add(status: status, by: count) }
        }
    }

    /// One table of names.
    subscript(kind: Kind) -> [String: Int] {
        get {
            var table: [String: Int] = [:]
            for index in range(kind) { table[entries[index].name] = entries[index].count }
            return table
        }
        set {
            precondition(kind != .status, "statuses are set through `statuses`")
            let range = range(kind)
            let sorted = newValue.sorted { $0.key < $1.key }.map {
                Entry(name: $0.key, status: 0, count: $0.value, kind: kind)
            }
            var entries: [Entry] = []
            entries.reserveCapacity(self.entries.count - range.count + sorted.count)
            entries += self.entries[..<range.lowerBound]
            entries += sorted
            entries += self.entries[range.upperBound...]
            self.entries = entries
        }
    }
}
