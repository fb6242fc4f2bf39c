/// How an input's bytes are encoded, told by their first bytes rather than the name.
public enum Compression: String, Sendable, Codable {
    /// Plain bytes.
    case none
    /// One or more gzip members.
    case gzip

    /// Whether the bytes start with gzip's magic number.
    static func detect(_ prefix: UnsafeRawBufferPointer) -> Compression {
        prefix.count >= 2 && prefix[0] == 0x1f && prefix[1] == 0x8b ? .gzip : .none
    }
}
