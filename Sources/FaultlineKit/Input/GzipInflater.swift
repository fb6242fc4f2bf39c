import CZlib

/// Which library inflates gzip input.
public enum GzipDecoder: String, Sendable, CaseIterable {
    /// ISA-L's inflate when the system has it (libisal2), about twice as fast as zlib here; zlib otherwise.
    case auto
    /// zlib's inflate always.
    case zlib

    /// Whether ISA-L was found and passed its self-test, so `auto` uses it.
    public static var isalAvailable: Bool { IsalLibrary.api != nil }

    /// The decoder named by `FAULTLINE_INFLATE` (`zlib` or `auto`), or `auto`.
    public static func fromEnvironment(_ value: String?) -> GzipDecoder {
        value.flatMap { GzipDecoder(rawValue: $0.lowercased()) } ?? .auto
    }
}

/// ISA-L's entry points, looked up once per process.
private enum IsalLibrary {
    nonisolated(unsafe) static let api: UnsafeMutableRawPointer? = faultline_isal_open()
}

/// Owns a decoder's state (a zlib `z_stream`, or ISA-L's) and inflates gzip members, one after another, from a
/// file.
///
/// Multi-member files (`cat a.gz b.gz`) are read whole. A stream that ends early or holds bytes
/// the decoder rejects raises an error with the compressed byte offset only after every byte inflated
/// before the fault has been returned, so nothing read before a fault is lost.
final class GzipInflater {
    private enum Engine {
        case zlib(UnsafeMutablePointer<z_stream>)
        case isal(api: UnsafeMutableRawPointer, state: UnsafeMutableRawPointer)
    }

    /// How one call of the decoder ended.
    private enum Step {
        case progress
        case memberEnd
        case failed(String)
    }

    private let reader: FileReader
    private let engine: Engine
    private let input: UnsafeMutableRawBufferPointer
    private var nextIn: UnsafeMutablePointer<UInt8>
    private var availIn = 0
    private var inputEnded = false
    private var memberOpen = false
    private var pending: FaultlineError?
    private var finished = false
    /// Whether the CPU folds CRC-32 with carry-less multiplies, so zlib's own (table-driven) check can be turned
    /// off and each member checked here.
    private static let fastCRCAvailable = faultline_crc32_hardware() != 0
    /// Whether this inflater may check members itself: zlib, on such a CPU.
    private let fastCRC: Bool
    /// Whether the current member's trailer is checked here, with zlib's own check off.
    private var checksTrailers = false
    /// Members whose trailers were checked here (tests ask, to know the path was taken).
    private(set) var membersCheckedHere = 0
    /// The CRC-32 and size (modulo 2^32) of the current member's data so far, when `checksTrailers`.
    private var memberCRC: UInt32 = 0
    private var memberSize: UInt32 = 0
    /// The last eight bytes consumed before `input`'s current fill (the oldest in the high byte): a member's
    /// trailer may begin in the previous fill.
    private var earlierBytes: UInt64 = 0

    /// Raw bytes consumed so far, for reports and error offsets.
    var compressedOffset: Int64 { reader.offset - Int64(availIn) }

    init(
        reader: FileReader, prefix: UnsafeRawBufferPointer, decoder: GzipDecoder = .auto,
        inputBufferSize: Int = 256 * 1024
    ) {
        self.reader = reader
        input = .allocate(byteCount: max(inputBufferSize, prefix.count), alignment: 16)
        if prefix.count > 0 {
            input.baseAddress!.copyMemory(from: prefix.baseAddress!, byteCount: prefix.count)
        }
        nextIn = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
        availIn = prefix.count
        if decoder == .auto, let api = IsalLibrary.api, let state = faultline_isal_new(api) {
            engine = .isal(api: api, state: state)
            fastCRC = false
        } else {
            let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            stream.initialize(to: z_stream())
            let status = faultline_inflateInit2(stream, 15 + 16)
            precondition(status == Z_OK, "zlib inflateInit2 failed: \(status)")
            fastCRC = Self.fastCRCAvailable
            engine = .zlib(stream)
        }
    }

    deinit {
        switch engine {
        case .zlib(let stream):
            inflateEnd(stream)
            stream.deallocate()
        case .isal(_, let state):
            faultline_isal_free(state)
        }
        input.deallocate()
    }

    /// Runs the decoder once from `nextIn` into `output`, moving both on.
    private func step(_ output: inout UnsafeMutablePointer<UInt8>, _ availOut: inout Int) -> Step {
        let outBefore = availOut
        let inBefore = availIn
        let result: Step
        switch engine {
        case .zlib(let stream):
            let start = output
            stream.pointee.next_in = nextIn
            stream.pointee.avail_in = uInt(availIn)
            stream.pointee.next_out = output
            stream.pointee.avail_out = uInt(availOut)
            let status = inflate(stream, Z_NO_FLUSH)
            nextIn = stream.pointee.next_in
            availIn = Int(stream.pointee.avail_in)
            output = stream.pointee.next_out
            availOut = Int(stream.pointee.avail_out)
            if checksTrailers, output > start {
                let count = start.distance(to: output)
                memberCRC = faultline_crc32(memberCRC, start, count)
                memberSize &+= UInt32(truncatingIfNeeded: count)
            }
            switch status {
            case Z_OK, Z_BUF_ERROR: result = .progress
            case Z_STREAM_END:
                inflateReset(stream)
                result = checksTrailers ? memberEnded() : .memberEnd
            case Z_DATA_ERROR:
                result = .failed(stream.pointee.msg.map { String(cString: $0) } ?? "invalid compressed data")
            case Z_MEM_ERROR: result = .failed("zlib ran out of memory")
            default: result = .failed("zlib status \(status)")
            }
        case .isal(let api, let state):
            var inPointer: UnsafeMutablePointer<UInt8>? = nextIn
            var outPointer: UnsafeMutablePointer<UInt8>? = output
            var inCount = UInt32(availIn)
            var outCount = UInt32(availOut)
            let status = faultline_isal_inflate(api, state, &inPointer, &inCount, &outPointer, &outCount)
            nextIn = inPointer!
            availIn = Int(inCount)
            output = outPointer!
            availOut = Int(outCount)
            switch status {
            case 0: result = .progress
            case 1:
                faultline_isal_reset(api, state)
                result = .memberEnd
            default: result = .failed(String(cString: faultline_isal_error(status)))
            }
        }
        // Input and room both left, yet nothing consumed or produced: the decoder is stuck on its input.
        if case .progress = result, availIn > 0, availOut > 0, availIn == inBefore, availOut == outBefore {
            return .failed("the decoder made no progress")
        }
        return result
    }

    /// Inflates into `buffer`; returns 0 at the clean end of the last member.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(FaultlineError) -> Int {
        if finished { return 0 }
        guard buffer.count > 0 else { return 0 }
        if let pending {
            finished = true
            throw pending
        }
        var output = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var availOut = min(buffer.count, Int(UInt32.max))
        let total = availOut
        while availOut > 0 {
            if availIn == 0 && !inputEnded {
                do throws(FaultlineError) {
                    if try refill() == 0 { inputEnded = true }
                } catch {
                    return try deliver(total - availOut, orThrow: error)
                }
            }
            if availIn == 0 && inputEnded {
                if memberOpen {
                    // The decoder may still hold output for input it has taken in (ISA-L reads ahead).
                    let room = availOut
                    switch step(&output, &availOut) {
                    case .memberEnd:
                        memberOpen = false
                        continue
                    case .failed(let message): return try deliver(total - availOut, orThrow: corrupt(message))
                    case .progress: if availOut < room { continue }
                    }
                    let error = FaultlineError(
                        .truncatedGzip, input: reader.name, byteOffset: reader.offset,
                        reason: "the gzip stream ends before its end marker (the file is cut off)",
                        hint: "everything before this point was analysed; copy the file again if it should be whole")
                    return try deliver(total - availOut, orThrow: error)
                }
                finished = true
                return total - availOut
            }
            if !memberOpen {
                // Between members: a member starts only with gzip's magic; zero padding ends the file.
                if availIn > 0 && nextIn.pointee == 0 {
                    if trailingZerosOnly() { continue }
                }
                // Told here rather than by the decoder: ISA-L waits for a whole header before it looks at one, so a
                // few stray bytes at the end would read as a cut-off member.
                if nextIn[0] != 0x1f || (availIn > 1 && nextIn[1] != 0x8b) {
                    let message = "the bytes after the last gzip member are not gzip data"
                    return try deliver(total - availOut, orThrow: corrupt(message))
                }
                memberOpen = true
                if fastCRC, case .zlib(let stream) = engine {
                    // zlib still parses the header and trailer, and leaves the checks to `memberEnded`. Not for a
                    // member whose header has its own CRC (FHCRC, which gzip never writes), which only zlib's
                    // check covers, nor for one whose flags are not yet read.
                    checksTrailers = availIn > 3 && nextIn[3] & 0x02 == 0
                    inflateValidate(stream, checksTrailers ? 0 : 1)
                }
            }
            switch step(&output, &availOut) {
            case .progress: continue
            case .memberEnd: memberOpen = false
            case .failed(let message): return try deliver(total - availOut, orThrow: corrupt(message))
            }
        }
        return total
    }

    /// Checks the member that ended just before `nextIn` against its trailer (CRC-32, then size, both
    /// little-endian), as zlib would with its own check on, and starts the next member's sums.
    private func memberEnded() -> Step {
        // The eight bytes oldest first: the CRC's four, then the size's, each little-endian.
        let trailer = lastEightConsumed()
        let storedCRC = UInt32(truncatingIfNeeded: trailer >> 32).byteSwapped
        let storedSize = UInt32(truncatingIfNeeded: trailer).byteSwapped
        defer {
            memberCRC = 0
            memberSize = 0
        }
        if storedCRC != memberCRC { return .failed("incorrect data check") }
        if storedSize != memberSize { return .failed("incorrect length check") }
        membersCheckedHere += 1
        return .memberEnd
    }

    private func corrupt(_ message: String) -> FaultlineError {
        FaultlineError(
            .corruptGzip, input: reader.name, byteOffset: compressedOffset,
            reason: "the gzip data is corrupt: \(message)",
            hint: "everything before this point was analysed; the rest of the file was not read")
    }

    /// Returns what this call inflated, keeping the error for the next call; or throws at once.
    private func deliver(_ count: Int, orThrow error: FaultlineError) throws(FaultlineError) -> Int {
        if count > 0 {
            pending = error
            return count
        }
        finished = true
        throw error
    }

    /// The last eight bytes consumed, across fills, the oldest in the high byte.
    private func lastEightConsumed() -> UInt64 {
        let consumed = input.baseAddress!.distance(to: UnsafeMutableRawPointer(nextIn))
        var bytes = earlierBytes
        for index in max(0, consumed - 8)..<consumed { bytes = bytes << 8 | UInt64(input[index]) }
        return bytes
    }

    private func refill() throws(FaultlineError) -> Int {
        // Refills happen only once the fill is all consumed: its last bytes are kept for a trailer across fills.
        earlierBytes = lastEightConsumed()
        let count = try reader.read(into: input)
        nextIn = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
        availIn = count
        return count
    }

    /// Skips zero bytes after the last member (tape padding); false if other bytes follow.
    private func trailingZerosOnly() -> Bool {
        while true {
            while availIn > 0 {
                if nextIn.pointee != 0 { return false }
                nextIn += 1
                availIn -= 1
            }
            if inputEnded { return true }
            guard let count = try? refill(), count > 0 else {
                inputEnded = true
                return true
            }
        }
    }
}
