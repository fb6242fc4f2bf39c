/// Lengths written as LEB128 in the packed byte buffers (names, request-ID samples): one byte below 128, and no
/// limit on how long a logged value can be.
enum LEB128 {
    /// Appends `length` to `bytes`.
    static func append(_ length: Int, to bytes: inout [UInt8]) {
        var length = length
        while length >= 0x80 {
            bytes.append(UInt8(length & 0x7f) | 0x80)
            length >>= 7
        }
        bytes.append(UInt8(length))
    }

    /// The length written at `position`, and where the bytes it counts start.
    static func read(_ buffer: UnsafeRawBufferPointer, at position: Int) -> (length: Int, start: Int) {
        var length = 0
        var shift = 0
        var cursor = position
        while true {
            let byte = buffer[cursor]
            cursor += 1
            length |= Int(byte & 0x7f) << shift
            if byte < 0x80 { return (length, cursor) }
            shift += 7
        }
    }
}
