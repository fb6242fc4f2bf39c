/// One input to analyse: a file or standard input.
public struct InputSource: Sendable, Hashable {
    /// The name reports use: the path as given, or `-` for standard input.
    public var name: String
    /// The file to read; `nil` means standard input.
    public var path: String?

    /// A file input.
    public init(path: String, name: String? = nil) {
        self.path = path
        self.name = name ?? path
    }

    private init(stdinNamed name: String) {
        self.name = name
        self.path = nil
    }

    /// Standard input, named `-`.
    public static let standardInput = InputSource(stdinNamed: "-")

    /// Whether this is standard input.
    public var isStandardInput: Bool { path == nil }
}
