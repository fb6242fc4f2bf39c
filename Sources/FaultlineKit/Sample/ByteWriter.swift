/// Appends bytes to memory someone else owns; the hot path of the sample writer.
///
/// Callers reserve room per line (`ensure`) so single appends need no bounds checks.
struct ByteWriter {
    let base: UnsafeMutablePointer<UInt8>
    let capacity: Int
    var count = 0

    init(base: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: [UInt8]) {
        let n = bytes.count
        guard n > 0 else { return }
        bytes.withUnsafeBufferPointer { (base + count).update(from: $0.baseAddress!, count: n) }
        count += n
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    /// A non-negative integer in decimal.
    @inline(__always)
    mutating func appendDecimal(_ value: Int) {
        var value = value
        if value < 0 {
            append(UInt8(ascii: "-"))
            value = -value
        }
        if value < 10 {
            append(UInt8(truncatingIfNeeded: 48 + value))
            return
        }
        var digits = 0
        var probe = value
        while probe > 0 {
            digits += 1
            probe /= 10
        }
        var cursor = count + digits - 1
        while value > 0 {
            base[cursor] = UInt8(truncatingIfNeeded: 48 + value % 10)
            value /= 10
            cursor -= 1
        }
        count += digits
    }

    /// `value` with exactly `width` digits, zero-padded.
    @inline(__always)
    mutating func appendPadded(_ value: Int, width: Int) {
        var value = value
        var cursor = count + width - 1
        while cursor >= count {
            base[cursor] = UInt8(truncatingIfNeeded: 48 + value % 10)
            value /= 10
            cursor -= 1
        }
        count += width
    }

    /// Milliseconds as seconds with three decimals (`0.812`), as nginx prints `$request_time`.
    @inline(__always)
    mutating func appendSeconds(millis: Int) {
        appendDecimal(millis / 1000)
        append(UInt8(ascii: "."))
        appendPadded(millis % 1000, width: 3)
    }

    /// The 16 hex digits of `value`.
    @inline(__always)
    mutating func appendHex(_ value: UInt64, digits: Int = 16) {
        var value = value
        var cursor = count + digits - 1
        while cursor >= count {
            base[cursor] = hexDigit(Int(value & 0xf))
            value >>= 4
            cursor -= 1
        }
        count += digits
    }

    @inline(__always)
    private func hexDigit(_ nibble: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: nibble < 10 ? 48 + nibble : 87 + nibble)
    }

    /// `count` base-62 characters taken from `value`.
    mutating func appendBase62(_ value: UInt64, count digits: Int) {
        var value = value
        for _ in 0..<digits {
            base[count] = SampleRandom.alphanumerics[Int(value % 62)]
            value /= 62
            count += 1
        }
    }

    /// Bytes as the inside of a JSON string: quotes, backslashes and controls escaped.
    mutating func appendJSONEscaped(_ bytes: UnsafeRawBufferPointer) {
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                append(UInt8(ascii: "\\"))
                append(byte)
            case UInt8(ascii: "\n"):
                append(UInt8(ascii: "\\"))
                append(UInt8(ascii: "n"))
            case UInt8(ascii: "\t"):
                append(UInt8(ascii: "\\"))
                append(UInt8(ascii: "t"))
            case 0..<0x20:
                append(Array("\\u00".utf8))
                append(hexDigit(Int(byte >> 4)))
                append(hexDigit(Int(byte & 0xf)))
            default:
                append(byte)
            }
        }
    }
}

extension Array where Element == UInt8 {
    /// The bytes escaped for the inside of a JSON string.
    var jsonEscaped: [UInt8] {
        let room = count * 6 + 1
        let memory = UnsafeMutablePointer<UInt8>.allocate(capacity: room)
        defer { memory.deallocate() }
        var writer = ByteWriter(base: memory, capacity: room)
        withUnsafeBytes { writer.appendJSONEscaped($0) }
        return Array(UnsafeBufferPointer(start: memory, count: writer.count))
    }
}
