import FaultlineKit
import Testing

/// Key shapes (DOMAIN.md Part 1: missing, placeholder and malformed keys). Every key here is made of obviously
/// fake characters.
@Suite("Key shapes")
struct KeyInspectorTests {
    static func shape(_ key: String?, present: Bool = true, hashed: Bool = false) -> KeyShape {
        guard let key else { return KeyInspector.inspect(nil, fieldPresent: present, isHashed: hashed) }
        return withBytes(key) { KeyInspector.inspect($0, fieldPresent: present, isHashed: hashed) }
    }

    @Test("no key field in the log says nothing")
    func absent() {
        #expect(Self.shape(nil, present: false) == .absent)
    }

    @Test("missing", arguments: [nil, "", "   ", "Bearer", "bearer ", "Bearer  ", "\"\"", "\t"])
    func missing(_ key: String?) {
        #expect(Self.shape(key) == .empty)
    }

    @Test(
        "placeholders",
        arguments: [
            "sk-YOUR_API_KEY", "YOUR_OPENAI_API_KEY", "API_KEY_OPENAI", "<your key>", "${OPENAI_API_KEY}",
            "$OPENAI_API_KEY", "%OPENAI_API_KEY%", "xxx...", "sk-xxxx", "sk-xxxxxxxxxxxxxxxxxxxx", "your-api-key",
            "changeme", "sk-...", "null", "undefined", "None", "NULL", "<API_KEY>", "{{OPENAI_API_KEY}}",
            "your_key_here", "sk-proj-xxxxxxxx", "\"YOUR_API_KEY\"", "Bearer YOUR_API_KEY", "sk-ant-xxxx",
            "$env:OPENAI_API_KEY", "INSERT_KEY_HERE", "sk-",
        ])
    func placeholder(_ key: String) {
        #expect(Self.shape(key) == .placeholder)
    }

    static let good = "sk-proj-FAKEFAKEFAKEFAKEFAKEFAKE0123456789abcdefghijklmnopqrstuvwxyz"

    @Test(
        "malformed",
        arguments: [
            (" " + good, "leading white space"),
            (good + " ", "trailing white space"),
            (good + "\n", "trailing line break"),
            (good + "\r\n", "trailing line break"),
            ("sk-proj-FAKEFAKE\nFAKEFAKE0123456789", "embedded line break"),
            (good + "\\n", "literal \\n in the key"),
            ("\"" + good + "\"", "surrounding quotes"),
            ("'" + good + "'", "surrounding quotes"),
            ("\"" + good, "surrounding quotes"),
            ("Bearer " + good, "doubled Bearer"),
            ("bearer " + good, "doubled Bearer"),
            ("sk-proj-FAKE FAKE0123456789", "embedded white space"),
            ("SK-FAKEFAKEFAKEFAKE0123456789", "upper-case SK- prefix"),
            ("sk_FAKEFAKEFAKEFAKE0123456789", "sk_ prefix where providers use sk-"),
            ("sk-sk-proj-FAKEFAKEFAKEFAKE01234", "doubled sk- prefix"),
            ("AIzaFAKEFAKE", "Google key of 12 characters, not 39"),
            ("abc123", "too short for any provider's key"),
            ("OPENAI_API_KEY=" + good, "includes a variable or header name"),
            ("x-api-key: " + good, "includes a variable or header name"),
            ("“" + good + "”", "non-ASCII character"),
            ("sk-proj-FAKE;FAKEFAKE0123456789", "unexpected character ';'"),
        ])
    func malformed(_ key: String, reason: String) {
        #expect(Self.shape(key) == .malformed(reason))
    }

    @Test(
        "well formed",
        arguments: [
            good,
            "sk-FAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE",
            "sk-svcacct-FAKEFAKEFAKEFAKEFAKEFAKE0123456789",
            "sk-admin-FAKEFAKEFAKEFAKEFAKEFAKE0123456789",
            "sk-None-FAKEFAKEFAKEFAKEFAKEFAKE0123456789",
            "sk-ant-api03-FAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE0123456789-FAKEFAKE_FAKEFAKEAA",
            "sk-ant-oat01-FAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE",
            "sk-or-v1-0000000000000000000000000000000000000000000000000000000000000000",
            "AIzaFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE123",
            "0123456789abcdef0123456789abcdef",
            String(repeating: "FAKE", count: 21),
            String(repeating: "0123456789abcdef", count: 4),
            "sk-1234",
            "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.FAKEsignatureFAKE",
            "sk-abc***wxyz",
            "sk-proj-****…MxYA",
            "sk-FAKE...WXYZ",
            "sk-****",
        ])
    func wellFormed(_ key: String) {
        #expect(Self.shape(key) == .wellFormed)
    }

    @Test("a hashed key is never a placeholder or malformed", arguments: ["null", " spaced ", "sk-YOUR_API_KEY"])
    func hashed(_ key: String) {
        #expect(Self.shape(key, hashed: true) == .wellFormed)
    }

    @Test("a hashed empty value is still missing")
    func hashedEmpty() {
        #expect(Self.shape("", hashed: true) == .empty)
    }
}

/// For an auth failure whose code says only that the key was refused, the key's shape gives the cause.
@Suite("Key shape sharpens auth failures")
struct KeyRefinementTests {
    static func invalidAPIKey(_ key: String?, status: Int = 401) -> LineSpec {
        LineSpec(
            status: status, code: "invalid_api_key", type: "invalid_request_error",
            message: "Incorrect API key provided: sk-****. You can find your API key at "
                + "https://platform.openai.com/account/api-keys.", key: key)
    }

    @Test(
        "invalid_api_key",
        arguments: [
            ("", Cause.missingKey), ("Bearer", .missingKey), ("sk-YOUR_API_KEY", .placeholderKey),
            ("${OPENAI_API_KEY}", .placeholderKey), (KeyInspectorTests.good + "\n", .malformedKey),
            ("\"" + KeyInspectorTests.good + "\"", .malformedKey), ("Bearer " + KeyInspectorTests.good, .malformedKey),
            (KeyInspectorTests.good, .invalidKey),
        ])
    func invalidAPIKey(key: String, cause: Cause) {
        let result = Self.invalidAPIKey(key).classified()
        #expect(result.category == .auth)
        #expect(result.cause == cause)
        #expect(result.evidence == (cause == .invalidKey ? .code : .key))
    }

    @Test("no key field in the log leaves invalid_key")
    func absentKey() {
        #expect(Self.invalidAPIKey(nil).classified() == Classification(.auth, .invalidKey, evidence: .code))
    }

    @Test("a hashed key leaves invalid_key")
    func hashedKey() {
        var line = Self.invalidAPIKey("null")
        line.keyIsHashed = true
        #expect(line.classified().cause == .invalidKey)
    }

    @Test(
        "a bare 401",
        arguments: [
            (String?.none, Cause.unknown), ("", .missingKey), ("changeme", .placeholderKey),
            (" " + KeyInspectorTests.good, .malformedKey), (KeyInspectorTests.good, .unknown),
        ])
    func bare401(key: String?, cause: Cause) {
        let result = LineSpec(status: 401, key: key).classified()
        #expect(result.category == .auth)
        #expect(result.cause == cause)
    }

    @Test("Gemini API_KEY_INVALID with a placeholder")
    func gemini() {
        let line = LineSpec(
            status: 400, type: "INVALID_ARGUMENT", message: "API key not valid. Please pass a valid API key.",
            reason: "API_KEY_INVALID", key: "YOUR_GEMINI_API_KEY")
        #expect(line.classified() == Classification(.auth, .placeholderKey, evidence: .key))
    }

    @Test("Anthropic authentication_error with a trailing newline")
    func anthropic() {
        let line = LineSpec(
            status: 401, type: "authentication_error", message: "invalid x-api-key",
            key: "sk-ant-api03-FAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE0123456789AA\n")
        #expect(line.classified() == Classification(.auth, .malformedKey, evidence: .key))
    }

    @Test("causes the code names are not overridden by the key", arguments: ["", "sk-YOUR_API_KEY"])
    func namedCauses(key: String) {
        let line = LineSpec(status: 401, code: "mismatched_organization", key: key)
        #expect(line.classified().cause == .orgMismatch)
        let leaked = LineSpec(status: 403, type: "PERMISSION_DENIED", message: "reported as leaked", key: key)
        #expect(leaked.classified().cause == .leakedKey)
    }

    @Test("a bare 403 is not judged by the key")
    func bare403() {
        #expect(LineSpec(status: 403, key: "").classified() == Classification(.auth, .unknown, evidence: .statusOnly))
    }
}
