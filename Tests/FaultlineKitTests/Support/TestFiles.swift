import Foundation

@testable import FaultlineKit

/// A temporary directory removed when the value is released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/faultline-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes bytes to a file inside the directory and returns its path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = path + "/" + name
        let directory = (file as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Array(text.utf8))
    }
}

/// Runs a real program, feeding `input` to its standard input; returns its output and status.
@discardableResult
func runProcess(
    _ executable: String, _ arguments: [String], input: [UInt8] = [], environment: [String: String]? = nil
)
    throws -> (status: Int32, stdout: [UInt8], stderr: [UInt8])
{
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let stdinPipe = Pipe()
    let stdoutPipe = Pipe()
    let stderrPipe = Pipe()
    process.standardInput = stdinPipe
    process.standardOutput = stdoutPipe
    process.standardError = stderrPipe
    try process.run()
    let writer = Thread {
        stdinPipe.fileHandleForWriting.write(Data(input))
        try? stdinPipe.fileHandleForWriting.close()
    }
    writer.start()
    let errors = DataBox()
    let done = DispatchSemaphore(value: 0)
    let errorReader = Thread {
        errors.data = stderrPipe.fileHandleForReading.readDataToEndOfFile()
        done.signal()
    }
    errorReader.start()
    let output = stdoutPipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    done.wait()
    return (process.terminationStatus, Array(output), Array(errors.data))
}

private final class DataBox: @unchecked Sendable {
    var data = Data()
}

/// Compresses bytes with the real gzip program.
func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
    let result = try runProcess("/bin/gzip", ["-c", "-n"], input: bytes)
    precondition(result.status == 0, "gzip failed")
    return result.stdout
}

/// Collects what a line splitter hands over.
struct CollectingSink: LineSink {
    var lines: [[UInt8]] = []
    var numbers: [Int] = []
    var overlong: [Int] = []

    mutating func line(_ bytes: UnsafeMutableRawBufferPointer, number: Int) {
        lines.append(Array(bytes))
        numbers.append(number)
    }

    mutating func overlongLine(number: Int) {
        overlong.append(number)
    }
}

/// Reads a whole input through the real reader with the given chunk size.
func readLines(
    _ source: InputSource, chunkSize: Int = 1 << 20, maxLineLength: Int = 1 << 20, threaded: Bool = true,
    decoder: GzipDecoder = .auto
)
    -> (sink: CollectingSink, outcome: InputReader.Outcome)
{
    var sink = CollectingSink()
    let reader = InputReader(
        maxLineLength: maxLineLength, chunkSize: chunkSize, threaded: threaded, decoder: decoder)
    let outcome = reader.read(source, into: &sink)
    return (sink, outcome)
}

/// Deterministic JSON lines for input tests.
func sampleLines(_ count: Int, seed: Int = 1) -> [UInt8] {
    var text = ""
    for index in 0..<count {
        let status = [200, 200, 200, 429, 401, 500][(index + seed) % 6]
        text +=
            "{\"ts\":\"2025-03-10T12:\(String(format: "%02d", index / 60 % 60)):\(String(format: "%02d", index % 60)).000Z\","
        text += "\"status\":\(status),\"request_id\":\"req_\(index)\",\"model\":\"gpt-4o\"}\n"
    }
    return Array(text.utf8)
}

/// The repository's root, from this file's path.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()
