import CZlib

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Owns a zlib deflate stream that turns chunks into one gzip member.
final class GzipWriter {
    private var stream = z_stream()
    private let out: UnsafeMutablePointer<UInt8>
    private let outSize = 256 * 1024

    /// Level 6 is zlib's default; 1 is several times faster for big samples.
    init(level: Int32 = 6) throws(FaultlineError) {
        out = .allocate(capacity: outSize)
        let status = faultline_deflateInit2(&stream, level)
        guard status == Z_OK else {
            out.deallocate()
            throw FaultlineError(.writeFailed, reason: "zlib could not start compressing (deflateInit2 \(status))")
        }
    }

    deinit {
        deflateEnd(&stream)
        out.deallocate()
    }

    func compress(
        _ chunk: UnsafeRawBufferPointer, to output: (UnsafeRawBufferPointer) throws(FaultlineError) -> Void
    ) throws(FaultlineError) {
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        stream.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(chunk.count)
        try pump(Z_NO_FLUSH, to: output)
    }

    /// Ends the member: flushes what zlib holds and writes the gzip trailer.
    func finish(to output: (UnsafeRawBufferPointer) throws(FaultlineError) -> Void) throws(FaultlineError) {
        stream.next_in = nil
        stream.avail_in = 0
        try pump(Z_FINISH, to: output)
    }

    private func pump(
        _ flush: Int32, to output: (UnsafeRawBufferPointer) throws(FaultlineError) -> Void
    ) throws(FaultlineError) {
        while true {
            stream.next_out = out
            stream.avail_out = uInt(outSize)
            let status = deflate(&stream, flush)
            guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                throw FaultlineError(.writeFailed, reason: "zlib failed while compressing (deflate \(status))")
            }
            let produced = outSize - Int(stream.avail_out)
            if produced > 0 { try output(UnsafeRawBufferPointer(start: out, count: produced)) }
            if flush == Z_FINISH {
                if status == Z_STREAM_END { return }
            } else if stream.avail_in == 0 && stream.avail_out > 0 {
                return
            }
        }
    }
}

/// Owns a file descriptor opened for writing (or borrows standard output) and writes all of each chunk.
final class FileOutput {
    let name: String
    private let descriptor: Int32
    private let owned: Bool

    /// Opens `path` for writing, truncating it; nil or `-` is standard output.
    init(path: String?) throws(FaultlineError) {
        guard let path, path != "-" else {
            name = "<stdout>"
            descriptor = 1
            owned = false
            return
        }
        name = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        owned = true
        guard descriptor >= 0 else {
            throw FaultlineError(
                .writeFailed, input: path, reason: "cannot open for writing: \(String(cString: strerror(errno)))")
        }
    }

    deinit {
        if owned { _ = systemClose(descriptor) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(FaultlineError) {
        guard var cursor = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = systemWrite(descriptor, cursor, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                throw FaultlineError(
                    .writeFailed, input: name, reason: "write failed: \(String(cString: strerror(errno)))")
            }
            cursor += written
            remaining -= written
        }
    }

    /// Closes an owned file now, so a failing close (a full disk on NFS) is reported.
    func close() throws(FaultlineError) {
        guard owned else { return }
        if systemClose(descriptor) != 0 {
            throw FaultlineError(.writeFailed, input: name, reason: "close failed: \(String(cString: strerror(errno)))")
        }
    }
}

private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

private func systemClose(_ descriptor: Int32) -> Int32 { close(descriptor) }

extension SampleGenerator {
    /// `faultline sample`: writes the log to `outputPath` (standard output when nil or `-`) and, when `truthPath` is
    /// given, the truth file there; returns the truth.
    @discardableResult
    public static func run(
        options: SampleOptions, outputPath: String?, truthPath: String?
    ) throws(FaultlineError) -> SampleTruth {
        let generator = try SampleGenerator(options: options)
        let output = try FileOutput(path: outputPath)
        let truth = try generator.write { (chunk) throws(FaultlineError) in try output.write(chunk) }
        try output.close()
        if let truthPath {
            let file = try FileOutput(path: truthPath)
            let failure = Array(truth.json().utf8).withUnsafeBytes { bytes -> FaultlineError? in
                do throws(FaultlineError) {
                    try file.write(bytes)
                    return nil
                } catch {
                    return error
                }
            }
            if let failure { throw failure }
            try file.close()
        }
        return truth
    }
}
