#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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
        return firstIndex(of: key, in: value, from: 0) != nil
    }

    /// The text of `value` with every occurrence of `key` replaced by `[redacted]`.
    static func string(_ value: UnsafeRawBufferPointer, masking key: UnsafeRawBufferPointer?) -> String {
        guard let key, occurs(key, in: value) else { return String(decoding: value, as: UTF8.self) }
        var output: [UInt8] = []
        var start = 0
        while let hit = firstIndex(of: key, in: value, from: start) {
            output += value[start..<hit]
            output += marker
            start = hit + key.count
        }
        output += value[start...]
        return String(decoding: output, as: UTF8.self)
    }

    private static func firstIndex(
        of key: UnsafeRawBufferPointer, in value: UnsafeRawBufferPointer, from start: Int
    )
        -> Int?
    {
        guard key.count > 0, value.count - start >= key.count else { return nil }
        let first = key[0]
        var index = start
        let last = value.count - key.count
        while index <= last {
            guard let hit = value[index...last].firstIndex(of: first) else { return nil }
            if memcmp(value.baseAddress! + hit, key.baseAddress!, key.count) == 0 { return hit }
            index = hit + 1
        }
        return nil
    }
}
