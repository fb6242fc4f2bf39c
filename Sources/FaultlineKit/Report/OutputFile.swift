#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes bytes to a file or standard output with write(2), buffered.
public final class OutputFile {
    private let descriptor: Int32
    private let owns: Bool
    private let name: String
    private var buffer: [UInt8] = []

    /// Opens `path` for writing (truncating), or standard output when `path` is nil or `-`.
    public init(path: String?) throws(FaultlineError) {
        guard let path, path != "-" else {
            descriptor = 1
            owns = false
            name = "standard output"
            return
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw FaultlineError(
                .writeFailed, input: path, reason: "cannot create: \(String(cString: strerror(errno)).lowercased())",
                hint: "check that the directory exists and is writable")
        }
        descriptor = fd
        owns = true
        name = path
        buffer.reserveCapacity(1 << 16)
    }

    deinit {
        try? flush()
        if owns { close(descriptor) }
    }

    /// Appends text.
    public func write(_ text: String) throws(FaultlineError) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Appends bytes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(FaultlineError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Appends bytes from an array.
    public func write(bytes: [UInt8]) throws(FaultlineError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Writes out what is buffered.
    public func flush() throws(FaultlineError) {
        var offset = 0
        let count = buffer.count
        while offset < count {
            let written = buffer.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno)).lowercased()
                buffer.removeAll()
                throw FaultlineError(.writeFailed, input: name, reason: "write failed: \(reason)")
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
