extension KeyedEncodingContainer {
    /// Encodes a map keyed by window start as `Dictionary` does (a list of alternating keys and values, which
    /// `Dictionary`'s decoding reads back) but in key order: a `Dictionary`'s own order changes from one
    /// process to the next, so `--summary-out` files of the same input differed.
    mutating func encodeSorted<Value: Encodable>(_ map: [Int64: Value], forKey key: Key) throws {
        var list = nestedUnkeyedContainer(forKey: key)
        for start in map.keys.sorted() {
            try list.encode(start)
            try list.encode(map[start]!)
        }
    }
}
