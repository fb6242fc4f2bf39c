import Foundation

/// Runs the real `faultline` executable built beside the tests.
enum Faultline {
    static let executable: String = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
                "faultline"
            )
            .path,
            Bundle.main.bundleURL.appendingPathComponent("faultline").path,
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("faultline").path,
            repositoryRoot + "/.build/debug/faultline",
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutBytes: [UInt8]
    }

    @discardableResult
    static func run(_ arguments: [String], input: [UInt8] = [], environment: [String: String]? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot)
        var env = environment ?? ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        process.environment = env
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
        let errors = Box()
        let done = DispatchSemaphore(value: 0)
        Thread {
            errors.data = stderrPipe.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }.start()
        let output = stdoutPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        done.wait()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
            stderr: String(decoding: errors.data, as: UTF8.self), stdoutBytes: Array(output))
    }

    /// Runs `analyze ... --report json` and parses the report.
    static func report(_ arguments: [String], input: [UInt8] = []) throws -> (Result, [String: Any]) {
        let result = try run(["analyze"] + arguments + ["--report", "json"], input: input)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdoutBytes)) as? [String: Any] ?? [:]
        return (result, object)
    }
}

private final class Box: @unchecked Sendable {
    var data = Data()
}

let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// A temporary directory removed when released.
final class Scratch {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.path + "/faultline-e2e-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    func file(_ name: String) -> String { path + "/" + name }
}

func readBytes(_ path: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// Milliseconds since the epoch of an RFC 3339 UTC time with milliseconds.
func millis(_ text: String) -> Int64? {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    guard let date = formatter.date(from: text) else { return nil }
    return Int64((date.timeIntervalSince1970 * 1000).rounded())
}
