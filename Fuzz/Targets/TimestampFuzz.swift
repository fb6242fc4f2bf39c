// The hand-written timestamp parsers, and formatting of whatever they accept.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    var cache = Timestamp.CLFCache()
    let results = [
        Timestamp.parseAny(bytes), Timestamp.parseISO8601(bytes), Timestamp.parseEpoch(bytes),
        Timestamp.parseCLF(bytes), Timestamp.parseCLF(bytes, cache: &cache), Timestamp.parseCLF(bytes, cache: &cache),
    ]
    for case let parsed? in results {
        blackHole(Timestamp.format(parsed.millis))
    }
    return 0
}
