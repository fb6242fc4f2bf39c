/// Masks a line's own key wherever else it appears in that line's values.
///
/// The key fields are hashed on read, but clients also leak the key into other fields (a request
/// ID built from it, a message that echoes it, a header logged as an org). The key is known while
/// the line is read, so its exact bytes are replaced before any text is kept, whatever their shape.
enum KeyMask {
    static let marker = Array("[redacted]".utf8)

    /// Whether `key` (8 bytes or more) occurs in `value`.
    @inline(__always)
    static func occurs(_ key: UnsafeRawBufferPointer?, in value: UnsafeRawBufferPointer) -> Bool {
        guard let key, key.count >= 8, value.count >= key.count else { return false }
        return ByteSearch.firstIndex(of: Array(key), in: value) != nil
    }

    /// The text of `value` with every occurrence of `key` replaced by `[redacted]`.
    static func string(_ value: UnsafeRawBufferPointer, masking key: UnsafeRawBufferPointer?) -> String {
        guard let key, occurs(key, in: value) else { return String(decoding: value, as: UTF8.self) }
        let needle = Array(key)
        var output: [UInt8] = []
        var start = 0
        while let hit = ByteSearch.firstIndex(of: needle, in: value, from: start) {
            output += value[start..<hit]
            output += marker
            start = hit + needle.count
        }
        output += value[start...]
        return String(decoding: output, as: UTF8.self)
    }
}
