/// Writes JSON text in a fixed field order, every string through the redactor.
struct JSONWriter {
    var text: [UInt8] = []
    var redactor: Redactor
    private var needsComma: [Bool] = [false]
    private let pretty: Bool
    private var depth: Int { needsComma.count - 1 }

    init(redactor: Redactor, pretty: Bool = true) {
        self.redactor = redactor
        self.pretty = pretty
        text.reserveCapacity(1 << 16)
    }

    private mutating func separator() {
        if needsComma[needsComma.count - 1] { text.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
        if pretty && depth > 0 {
            text.append(0x0a)
            text += Array(repeating: UInt8(ascii: " "), count: depth * 2)
        }
    }

    private mutating func keyPrefix(_ key: String?) {
        separator()
        if let key {
            appendString(key, redact: false)
            text.append(UInt8(ascii: ":"))
            if pretty { text.append(UInt8(ascii: " ")) }
        }
    }

    mutating func beginObject(_ key: String? = nil) {
        keyPrefix(key)
        text.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    mutating func endObject() {
        let hadItems = needsComma.removeLast()
        if pretty && hadItems {
            text.append(0x0a)
            text += Array(repeating: UInt8(ascii: " "), count: depth * 2)
        }
        text.append(UInt8(ascii: "}"))
    }

    mutating func beginArray(_ key: String? = nil) {
        keyPrefix(key)
        text.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    mutating func endArray() {
        let hadItems = needsComma.removeLast()
        if pretty && hadItems {
            text.append(0x0a)
            text += Array(repeating: UInt8(ascii: " "), count: depth * 2)
        }
        text.append(UInt8(ascii: "]"))
    }

    mutating func string(_ key: String?, _ value: String?) {
        keyPrefix(key)
        guard let value else {
            text += Array("null".utf8)
            return
        }
        appendString(value, redact: true)
    }

    mutating func int(_ key: String?, _ value: Int?) {
        keyPrefix(key)
        text += Array((value.map(String.init) ?? "null").utf8)
    }

    mutating func int64(_ key: String?, _ value: Int64?) {
        keyPrefix(key)
        text += Array((value.map(String.init) ?? "null").utf8)
    }

    mutating func bool(_ key: String?, _ value: Bool) {
        keyPrefix(key)
        text += Array((value ? "true" : "false").utf8)
    }

    mutating func null(_ key: String?) {
        keyPrefix(key)
        text += Array("null".utf8)
    }

    mutating func time(_ key: String?, _ millis: Int64?) {
        string(key, millis.map { Timestamp.format($0) })
    }

    /// An object of counts with keys in the given order.
    mutating func counts(_ key: String?, _ pairs: [(String, Int)]) {
        beginObject(key)
        for (name, value) in pairs { int(name, value) }
        endObject()
    }

    mutating func strings(_ key: String?, _ values: [String]) {
        beginArray(key)
        for value in values { string(nil, value) }
        endArray()
    }

    private mutating func appendString(_ value: String, redact: Bool) {
        var bytes = Array(value.utf8)
        if redact { _ = redactor.clean(&bytes) }
        Self.escape(bytes, into: &text)
    }

    static func escape(_ bytes: [UInt8], into text: inout [UInt8]) {
        text.append(UInt8(ascii: "\""))
        let hex = Array("0123456789abcdef".utf8)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): text += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): text += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0a: text += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0d: text += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: text += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20, 0x7f:
                text += Array("\\u00".utf8)
                text.append(hex[Int(byte >> 4)])
                text.append(hex[Int(byte & 0xf)])
            default: text.append(byte)
            }
        }
        text.append(UInt8(ascii: "\""))
    }
}
