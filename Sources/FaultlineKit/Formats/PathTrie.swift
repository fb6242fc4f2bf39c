/// The field aliases compiled into a graph of object keys, looked up by a hash of each key's bytes.
///
/// Error bodies are one shared node reached from every key that can hold one, so the graph is a
/// DAG; its depth is bounded, which bounds the scanner's recursion whatever the input's nesting.
struct PathTrie: Sendable {
    struct Node: Sendable {
        var field: RecordField?
        var rank: UInt16 = .max
        var transform: FieldAliases.Transform = .none
        var hasChildren = false
        /// Fields of an error body: a deeper value beats a shallower one (the provider's body inside a gateway's).
        var deeperWins = false
        /// A string value is a whole line of another format.
        var wrappedLine = false
        /// A string value that is neither JSON nor a wrapped line fills this field.
        var textField: RecordField?
    }

    private struct Entry: Sendable {
        var parent: Int32 = -1
        var hash: UInt64 = 0
        var child: Int32 = -1
        var keyStart: Int32 = 0
        var keyCount: Int32 = 0
    }

    private(set) var nodes: [Node] = [Node()]
    private var entries: [Entry] = []
    private var keyBytes: [UInt8] = []
    private var table: [Int32] = []
    private var mask = 0

    static let root: Int32 = 0

    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 {
        byte &- 65 < 26 ? byte | 0x20 : byte
    }

    @inline(__always)
    static func hash(_ base: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        ByteScanning.foldedHash(base, count)
    }

    /// The child of `parent` reached by `key` (lowercased), creating it.
    mutating func child(of parent: Int32, key: String) -> Int32 {
        let lowered = Array(key.utf8).map(Self.lower)
        let hash = lowered.withUnsafeBufferPointer { Self.hash($0.baseAddress!, $0.count) }
        for entry in entries where entry.parent == parent && entry.hash == hash {
            if Array(keyBytes[Int(entry.keyStart)..<Int(entry.keyStart + entry.keyCount)]) == lowered {
                return entry.child
            }
        }
        nodes.append(Node())
        let child = Int32(nodes.count - 1)
        link(parent: parent, lowered: lowered, hash: hash, to: child)
        return child
    }

    /// Makes `key` under `parent` lead to an existing node (sharing a subtree).
    mutating func link(parent: Int32, key: String, to node: Int32) {
        let lowered = Array(key.utf8).map(Self.lower)
        let hash = lowered.withUnsafeBufferPointer { Self.hash($0.baseAddress!, $0.count) }
        link(parent: parent, lowered: lowered, hash: hash, to: node)
    }

    /// Makes `key` under `parent` an error body. A key some alias already leads through (`body.model`,
    /// `error_information.error_code`) keeps its node, which gains the body's children and text field:
    /// a second entry for the same key would never be found, and the key would silently not be a body.
    mutating func linkErrorBody(parent: Int32, key: String, to body: Int32) {
        let lowered = Array(key.utf8).map(Self.lower)
        let hash = lowered.withUnsafeBufferPointer { Self.hash($0.baseAddress!, $0.count) }
        let existing = entries.first { entry in
            entry.parent == parent && entry.hash == hash
                && Array(keyBytes[Int(entry.keyStart)..<Int(entry.keyStart + entry.keyCount)]) == lowered
        }
        guard let node = existing?.child else { return link(parent: parent, lowered: lowered, hash: hash, to: body) }
        guard node != body else { return }
        for entry in entries where entry.parent == body {
            let key = Array(keyBytes[Int(entry.keyStart)..<Int(entry.keyStart + entry.keyCount)])
            link(parent: node, lowered: key, hash: entry.hash, to: entry.child)
        }
        if nodes[Int(node)].textField == nil { nodes[Int(node)].textField = nodes[Int(body)].textField }
    }

    private mutating func link(parent: Int32, lowered: [UInt8], hash: UInt64, to child: Int32) {
        entries.append(
            Entry(
                parent: parent, hash: hash, child: child, keyStart: Int32(keyBytes.count),
                keyCount: Int32(lowered.count)))
        keyBytes += lowered
        nodes[Int(parent)].hasChildren = true
    }

    /// Builds the lookup table; call once after the last `child`/`link`.
    mutating func seal() {
        var capacity = 16
        while capacity < entries.count * 4 { capacity *= 2 }
        mask = capacity - 1
        table = Array(repeating: -1, count: capacity)
        for (index, entry) in entries.enumerated() {
            var slot = Self.slot(entry.parent, entry.hash, mask)
            while table[slot] >= 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(index)
        }
    }

    @inline(__always)
    private static func slot(_ parent: Int32, _ hash: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (hash ^ (UInt64(UInt32(bitPattern: parent)) &* 0x9e37_79b9_7f4a_7c15)) >> 7) & mask
    }

    mutating func setField(
        _ node: Int32, field: RecordField, rank: Int, transform: FieldAliases.Transform, deeperWins: Bool = false
    ) {
        guard nodes[Int(node)].field == nil || Int(nodes[Int(node)].rank) > rank else { return }
        nodes[Int(node)].field = field
        nodes[Int(node)].rank = UInt16(clamping: rank)
        nodes[Int(node)].transform = transform
        nodes[Int(node)].deeperWins = deeperWins
    }

    mutating func setText(_ node: Int32, field: RecordField) {
        nodes[Int(node)].textField = field
    }

    mutating func setWrappedLine(_ node: Int32) {
        nodes[Int(node)].wrappedLine = true
    }

    /// The child of `parent` named by the key bytes, or -1.
    @inline(__always)
    func lookup(_ parent: Int32, _ key: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
        guard nodes[Int(parent)].hasChildren else { return -1 }
        let hash = Self.hash(key, count)
        var slot = Self.slot(parent, hash, mask)
        while true {
            let index = table[slot]
            if index < 0 { return -1 }
            let entry = entries[Int(index)]
            if entry.parent == parent && entry.hash == hash && Int(entry.keyCount) == count {
                let same = keyBytes.withUnsafeBufferPointer {
                    ByteScanning.equalFolded(key, $0.baseAddress! + Int(entry.keyStart), count)
                }
                if same { return entry.child }
            }
            slot = (slot + 1) & mask
        }
    }
}

extension PathTrie {
    /// The built-in aliases with `overrides` (`--field NAME=PATH`) tried before them.
    static func build(overrides: [FieldAliases.Alias] = []) -> PathTrie {
        var trie = PathTrie()
        // The shared error-body node.
        let errorBody = Int32(trie.nodes.count)
        trie.nodes.append(Node())
        var rank = 0
        for alias in overrides {
            trie.add(alias, from: root, rank: rank)
            rank += 1
        }
        for alias in FieldAliases.builtIn {
            trie.add(alias, from: root, rank: rank)
            rank += 1
        }
        for (index, alias) in FieldAliases.errorBodyFields.enumerated() {
            var node = errorBody
            for segment in alias.path { node = trie.child(of: node, key: segment) }
            // The rank orders aliases of one field at one depth (fewer than 4 per field; see the scanner).
            let rank = FieldAliases.errorBodyFields[..<index].count { $0.field == alias.field }
            trie.setField(node, field: alias.field, rank: rank, transform: alias.transform, deeperWins: true)
        }
        // Bodies nest: Anthropic's `{"type":"error","error":{...}}`, Vertex's `[{"error":{...}}]`.
        trie.link(parent: errorBody, key: "error", to: errorBody)
        trie.link(parent: errorBody, key: "body", to: errorBody)
        trie.setText(errorBody, field: .errorMessage)
        for path in FieldAliases.errorBodies {
            var node = root
            for segment in path.dropLast() { node = trie.child(of: node, key: segment) }
            trie.linkErrorBody(parent: node, key: path.last!, to: errorBody)
        }
        for key in FieldAliases.wrappedLines {
            let node = trie.child(of: root, key: key)
            trie.setWrappedLine(node)
            trie.setText(node, field: .errorMessage)
        }
        trie.seal()
        return trie
    }

    private mutating func add(_ alias: FieldAliases.Alias, from start: Int32, rank: Int) {
        var node = start
        for segment in alias.path { node = child(of: node, key: segment) }
        setField(node, field: alias.field, rank: rank, transform: alias.transform)
    }
}
