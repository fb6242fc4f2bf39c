#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Owns one open file descriptor and reads raw bytes from it.
final class FileReader {
    let name: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// Raw bytes read so far: the byte offset of the next read.
    private(set) var offset: Int64 = 0

    /// Opens an input; standard input is read without being closed.
    init(_ source: InputSource) throws(FaultlineError) {
        name = source.name
        guard let path = source.path else {
            descriptor = 0
            ownsDescriptor = false
            return
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            throw FaultlineError(
                code == ENOENT ? .notFound : .unreadable, input: source.name,
                reason: "cannot open: \(String(cString: strerror(code)).lowercased())",
                hint: code == ENOENT ? "check the path" : "check the file's permissions")
        }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw FaultlineError(
                .unreadable, input: source.name, reason: "is a directory",
                hint: "pass the directory itself as an INPUT to read every file in it")
        }
        descriptor = fd
        ownsDescriptor = true
        #if os(Linux)
            _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        #endif
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// The file's size when it is a regular file, for progress and splitting.
    var size: Int64? {
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(info.st_size)
    }

    /// Reads up to `buffer.count` bytes at `offset` without moving the file position (for split reads).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(FaultlineError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = pread(descriptor, base, buffer.count, off_t(offset))
            if count >= 0 { return count }
            if errno == EINTR { continue }
            let code = errno
            throw FaultlineError(
                .readFailed, input: name, byteOffset: offset,
                reason: "read failed: \(String(cString: strerror(code)).lowercased())",
                hint: "the data before this point was analysed; check the disk or the file system")
        }
    }

    /// Reads up to `buffer.count` bytes; 0 means the end of the input.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(FaultlineError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = Glibc.read(descriptor, base, buffer.count)
            if count >= 0 {
                offset += Int64(count)
                return count
            }
            if errno == EINTR { continue }
            let code = errno
            throw FaultlineError(
                .readFailed, input: name, byteOffset: offset,
                reason: "read failed: \(String(cString: strerror(code)).lowercased())",
                hint: "the data before this point was analysed; check the disk or the file system")
        }
    }
}
