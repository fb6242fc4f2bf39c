// The redactor on bytes and on strings; masking twice must change nothing more.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var bytes = fuzzBytes(data, size)
    var redactor = Redactor()
    _ = redactor.clean(&bytes)
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let once = redactor.clean(text)
    let twice = redactor.clean(once)
    precondition(once == twice, "redaction is not idempotent")
    return 0
}
