/// What a key, as logged, shows about itself before any provider judged it.
public enum KeyShape: Sendable, Equatable {
    /// The log holds no key field for the line, so nothing can be said.
    case absent
    /// A key field is there but empty, or only the word `Bearer`: no key was sent.
    case empty
    /// A template value was sent instead of a key (`sk-YOUR_API_KEY`, `${OPENAI_API_KEY}`, `null`).
    case placeholder
    /// The key is damaged in a way a provider rejects (stray white space, quotes, a doubled `Bearer`).
    case malformed(String)
    /// Nothing visibly wrong (or the log hashed or masked the key, so nothing can be seen).
    case wellFormed
}

/// Judges a key's shape: missing, a placeholder, malformed, or well-formed.
public enum KeyInspector {
    /// The shape of `key`, the key as logged with its `Authorization` scheme word removed.
    ///
    /// `fieldPresent` says whether the log had a key field at all; `isHashed` that the log holds a hash of
    /// the key (LiteLLM), which is never a placeholder or malformed.
    public static func inspect(_ key: UnsafeRawBufferPointer?, fieldPresent: Bool, isHashed: Bool) -> KeyShape {
        guard let key else { return fieldPresent ? .empty : .absent }
        var start = 0
        var end = key.count
        while start < end && ByteSearch.isSpace(key[start]) { start += 1 }
        while end > start && ByteSearch.isSpace(key[end - 1]) { end -= 1 }
        if start == end { return .empty }
        if isHashed { return .wellFormed }
        let raw = UnsafeRawBufferPointer(rebasing: key[start..<end])
        let lower = ByteSearch.lowered(raw)
        if lower == bearer { return .empty }

        // The core: the key without quotes or a second scheme word, so `"YOUR_KEY"` reads as the
        // placeholder it is rather than as quoted.
        var core = lower[...]
        while let first = core.first, isQuote(first) { core = core.dropFirst() }
        while let last = core.last, isQuote(last) { core = core.dropLast() }
        if core.starts(with: bearerSpace) { core = core.dropFirst(bearerSpace.count) }
        while let first = core.first, ByteSearch.isSpace(first) { core = core.dropFirst() }
        if core.isEmpty || Array(core) == bearer { return .empty }
        let coreBytes = Array(core)

        // `OPENAI_API_KEY=sk-…` or `x-api-key: sk-…`: a line of config pasted whole.
        if ByteSearch.contains(coreBytes, Array("key=".utf8)) || ByteSearch.contains(coreBytes, Array("key:".utf8)) {
            return .malformed("includes a variable or header name")
        }
        if isPlaceholder(coreBytes) { return .placeholder }
        if let reason = damage(raw, whole: key, lower: lower) { return .malformed(reason) }
        return .wellFormed
    }

    private static let bearer = Array("bearer".utf8)
    private static let bearerSpace = Array("bearer ".utf8)

    private static func isQuote(_ byte: UInt8) -> Bool { byte == 0x22 || byte == 0x27 || byte == 0x60 }

    /// Template values people leave in config files; lower case.
    private static let placeholderWords: Set<[UInt8]> = Set(
        [
            "null", "nil", "none", "undefined", "empty", "changeme", "change_me", "change-me", "placeholder",
            "key", "apikey", "token", "secret", "dummy", "test", "example", "sk", "sk-", "sk-proj-", "sk-ant-", "aiza",
        ].map { Array($0.utf8) }
    )

    /// Fragments that never occur in a random key but always in a template (`YOUR_OPENAI_API_KEY`,
    /// `API_KEY_OPENAI`, `your-api-key`, `<insert key here>`). Short fragments like `your` alone would
    /// occur by chance in long random keys, so each is five characters or more.
    private static let placeholderFragments: [[UInt8]] = [
        "your_", "your-", "your ", "yourkey", "yourapi", "api_key", "api-key", "apikey_", "placeholder", "changeme",
        "insert", "replace_", "replace-", "xxxxxx", "...",
    ].map { Array($0.utf8) }

    private static let knownPrefixes: [[UInt8]] = [
        "sk-ant-api03-", "sk-ant-admin01-", "sk-ant-oat01-", "sk-ant-ort01-", "sk-ant-", "sk-proj-", "sk-svcacct-",
        "sk-admin-", "sk-none-", "sk-or-v1-", "sk-or-", "sk-",
    ].map { Array($0.utf8) }

    static func isPlaceholder(_ core: [UInt8]) -> Bool {
        if placeholderWords.contains(core) { return true }
        guard let first = core.first, let last = core.last else { return true }
        // <your key>, {{key}}, ${OPENAI_API_KEY}, $OPENAI_API_KEY, $env:OPENAI_API_KEY, %OPENAI_API_KEY%
        if first == 0x3c && last == 0x3e { return true }
        if first == 0x7b || first == 0x24 { return true }
        if first == 0x25 && last == 0x25 && core.count > 2 { return true }
        // sk-xxxx, xxx..., sk-..., sk-****: after the public prefix, nothing but filler.
        var body = core[...]
        for prefix in knownPrefixes where core.starts(with: prefix) {
            body = core.dropFirst(prefix.count)
            break
        }
        if !body.isEmpty && body.allSatisfy({ $0 == 0x78 || $0 == 0x2e || $0 == 0x2a || $0 == 0x2d || $0 == 0x5f })
            && body.contains(where: { $0 == 0x78 || $0 == 0x2e })
        {
            return true
        }
        for fragment in placeholderFragments where ByteSearch.contains(core, fragment) {
            // A masked key (`sk-abc...wxyz`) has "..." between real characters; that is the logger's doing.
            if fragment == Array("...".utf8) && isMasked(core) { continue }
            return true
        }
        return false
    }

    /// Whether a logger masked the key (`sk-abc***xyz`, `sk-proj-****…MxYA`, `sk-abc...wxyz`): characters on
    /// both sides of the mask, other than the filler `x`.
    private static func isMasked(_ core: [UInt8]) -> Bool {
        guard let maskStart = core.firstIndex(where: { $0 == 0x2a || $0 == 0x2e || $0 >= 0x80 }) else { return false }
        guard let maskEnd = core.lastIndex(where: { $0 == 0x2a || $0 == 0x2e || $0 >= 0x80 }) else { return false }
        let after = core[(maskEnd + 1)...]
        var before = core[..<maskStart]
        for prefix in knownPrefixes where before.starts(with: prefix) {
            before = before.dropFirst(prefix.count)
            break
        }
        func real(_ part: ArraySlice<UInt8>) -> Bool { part.contains { ByteSearch.isAlphanumeric($0) && $0 != 0x78 } }
        return real(before) || real(after)
    }

    /// What is wrong with a key that is not a placeholder, or `nil` if nothing is.
    private static func damage(
        _ trimmed: UnsafeRawBufferPointer, whole: UnsafeRawBufferPointer, lower: [UInt8]
    )
        -> String?
    {
        if ByteSearch.isSpace(whole[whole.count - 1]) {
            let last = whole[whole.count - 1]
            return last == 0x0a || last == 0x0d ? "trailing line break" : "trailing white space"
        }
        if ByteSearch.isSpace(whole[0]) { return "leading white space" }
        if lower.contains(0x0a) || lower.contains(0x0d) { return "embedded line break" }
        if ByteSearch.contains(lower, Array("\\n".utf8)) || ByteSearch.contains(lower, Array("\\r".utf8)) {
            return "literal \\n in the key"
        }
        if isQuote(lower[0]) || isQuote(lower[lower.count - 1]) { return "surrounding quotes" }
        if lower.starts(with: bearerSpace) || lower.starts(with: Array("bearer\t".utf8)) { return "doubled Bearer" }
        if lower.contains(where: ByteSearch.isSpace) { return "embedded white space" }
        // A logger's mask (`sk-abc***xyz`, `sk-****`) hides whatever was wrong.
        if lower.contains(0x2a) || isMasked(lower) { return nil }
        if lower.contains(where: { $0 >= 0x80 }) { return "non-ASCII character" }
        if let bad = lower.first(where: { !isKeyCharacter($0) }) {
            return "unexpected character '\(Character(Unicode.Scalar(bad)))'"
        }
        return prefixProblem(trimmed, lower: lower)
    }

    /// Characters some provider's key or token uses: base64url and base64, and the dots of a JWT.
    private static func isKeyCharacter(_ byte: UInt8) -> Bool {
        ByteSearch.isAlphanumeric(byte) || byte == 0x2d || byte == 0x5f || byte == 0x2e || byte == 0x2b
            || byte == 0x2f || byte == 0x3d
    }

    /// Prefixes of other services' keys and tokens, which are keys of the wrong provider, not malformed ones:
    /// a JWT (`eyJ`, `invalid_issuer` territory), Google OAuth (`ya29.`), OpenAI session keys (`sess-`), Groq,
    /// xAI, Perplexity, Hugging Face, Fireworks, Replicate, NVIDIA.
    private static let otherPrefixes: [[UInt8]] = [
        "eyJ", "ya29.", "sess-", "gsk_", "xai-", "pplx-", "hf_", "fw_", "r8_", "nvapi-",
    ].map { Array($0.utf8) }

    private static func prefixProblem(_ key: UnsafeRawBufferPointer, lower: [UInt8]) -> String? {
        let bytes = Array(key)
        if bytes.starts(with: Array("sk-".utf8)) {
            if lower.starts(with: Array("sk-sk-".utf8)) { return "doubled sk- prefix" }
            return nil
        }
        if lower.starts(with: Array("sk-".utf8)) { return "upper-case SK- prefix" }
        if lower.starts(with: Array("sk_".utf8)) { return "sk_ prefix where providers use sk-" }
        if bytes.starts(with: Array("AIza".utf8)) {
            // Google API keys are always 39 characters (gitleaks `AIza[\w-]{35}`).
            return bytes.count == 39 ? nil : "Google key of \(bytes.count) characters, not 39"
        }
        for prefix in otherPrefixes where bytes.starts(with: prefix) { return nil }
        // Azure keys (32 hex or 84 alphanumerics), hashes (64 hex) and other providers' bare keys are long.
        if bytes.count >= 20 { return nil }
        return "too short for any provider's key"
    }
}
