/// A short list of names kept in one byte buffer, each behind its length.
///
/// Scopes keep their related values (a key's orgs, an org's keys) this way: as `[String]`, 10,000 orgs with
/// 16 related keys each held an array and 16 heap strings apiece (a key name is 19 bytes, past the inline
/// limit), a tenth of a 100,000-key run's peak.
struct PackedNames: Sendable, Equatable {
    private var bytes: [UInt8] = []

    /// No names.
    init() {}

    /// The names, in order.
    init(_ names: [String]) {
        for name in names { append(name) }
    }

    var isEmpty: Bool { bytes.isEmpty }

    /// The names, in order.
    var names: [String] {
        var result: [String] = []
        forEach { result.append(String(decoding: $0, as: UTF8.self)) }
        return result
    }

    /// How many names.
    var count: Int {
        var count = 0
        forEach { _ in count += 1 }
        return count
    }

    /// Calls `body` with each name's bytes, in order.
    func forEach(_ body: (UnsafeRawBufferPointer) -> Void) {
        bytes.withUnsafeBytes { buffer in
            var position = 0
            while position < buffer.count {
                let (length, start) = Self.length(in: buffer, at: position)
                body(UnsafeRawBufferPointer(rebasing: buffer[start..<start + length]))
                position = start + length
            }
        }
    }

    /// Whether `name` is one of the names, and how many there are.
    func find(_ name: UnsafeRawBufferPointer) -> (found: Bool, count: Int) {
        var found = false
        var count = 0
        forEach { stored in
            count += 1
            if !found && stored.count == name.count && stored.elementsEqual(name) { found = true }
        }
        return (found, count)
    }

    /// Adds `name` at the end.
    mutating func append(_ name: String) {
        var name = name
        name.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Adds the name `name` holds at the end.
    mutating func append(_ name: UnsafeRawBufferPointer) {
        LEB128.append(name.count, to: &bytes)
        bytes.append(contentsOf: name)
    }

    private static func length(in buffer: UnsafeRawBufferPointer, at position: Int) -> (length: Int, start: Int) {
        LEB128.read(buffer, at: position)
    }
}
