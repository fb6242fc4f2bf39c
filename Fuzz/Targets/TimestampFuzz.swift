// The hand-written timestamp parsers, and formatting of whatever they accept.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    var cache = Timestamp.CLFCache()
    var minuteCache = Timestamp.MinuteCache()
    let results = [
        Timestamp.parseAny(bytes), Timestamp.parseISO8601(bytes), Timestamp.parseEpoch(bytes),
        Timestamp.parseCLF(bytes), Timestamp.parseCLF(bytes, cache: &cache), Timestamp.parseCLF(bytes, cache: &cache),
    ]
    // The minute cache, filled by this input and then hit by it, must not change the answer.
    let cachedAny = [Timestamp.parseAny(bytes, cache: &minuteCache), Timestamp.parseAny(bytes, cache: &minuteCache)]
    if cachedAny[0] != results[0] || cachedAny[1] != results[0]
        || Timestamp.parseISO8601(bytes, cache: &minuteCache) != results[1]
    {
        fatalError("the minute cache changed a time")
    }
    for case let parsed? in results {
        blackHole(Timestamp.format(parsed.millis))
    }
    return 0
}
