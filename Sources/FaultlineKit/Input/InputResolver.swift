#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns the command line's INPUT arguments into a sorted, de-duplicated list of inputs.
///
/// Directories contribute every regular file inside them, recursively, in sorted order; arguments
/// with glob characters that the shell left alone (quoted) are expanded here. Paths that cannot
/// be used become errors so that the other inputs are still analysed.
public enum InputResolver {
    /// The inputs found and the arguments that could not be used.
    public struct Resolution: Sendable {
        /// Inputs in the order they will be reported.
        public var inputs: [InputSource] = []
        /// One error per unusable argument.
        public var errors: [FaultlineError] = []
    }

    /// Resolves arguments; no arguments, or `-`, is standard input.
    public static func resolve(_ arguments: [String]) -> Resolution {
        var resolution = Resolution()
        if arguments.isEmpty {
            resolution.inputs.append(.standardInput)
            return resolution
        }
        var seen = Set<String>()
        func add(_ source: InputSource) {
            if seen.insert(source.path ?? "-").inserted { resolution.inputs.append(source) }
        }
        for argument in arguments {
            if argument == "-" {
                add(.standardInput)
                continue
            }
            var info = stat()
            if stat(argument, &info) == 0 {
                if (info.st_mode & S_IFMT) == S_IFDIR {
                    var files: [String] = []
                    walk(directory: argument, into: &files, errors: &resolution.errors)
                    if files.isEmpty {
                        resolution.errors.append(
                            FaultlineError(
                                .notFound, input: argument, reason: "the directory holds no regular files",
                                hint: "give a directory with log files, or the files themselves"))
                    }
                    for file in files.sorted() { add(InputSource(path: file)) }
                } else {
                    add(InputSource(path: argument))
                }
                continue
            }
            if argument.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) {
                let matches = expandGlob(argument)
                if matches.isEmpty {
                    resolution.errors.append(
                        FaultlineError(
                            .notFound, input: argument, reason: "the pattern matched no file",
                            hint: "check the pattern; quote it only if faultline should expand it"))
                }
                for match in matches {
                    var matchInfo = stat()
                    if stat(match, &matchInfo) == 0, (matchInfo.st_mode & S_IFMT) == S_IFDIR {
                        var files: [String] = []
                        walk(directory: match, into: &files, errors: &resolution.errors)
                        for file in files.sorted() { add(InputSource(path: file)) }
                    } else {
                        add(InputSource(path: match))
                    }
                }
                continue
            }
            let reason = String(cString: strerror(errno))
            resolution.errors.append(
                FaultlineError(
                    errno == ENOENT ? .notFound : .unreadable, input: argument,
                    reason: "cannot open: \(reason.lowercased())",
                    hint: errno == ENOENT ? "check the path" : "check the file's permissions"))
        }
        return resolution
    }

    private static func expandGlob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        var matches: [String] = []
        for index in 0..<Int(result.gl_pathc) {
            if let path = result.gl_pathv[index] { matches.append(String(cString: path)) }
        }
        return matches.sorted()
    }

    private static func walk(directory: String, into files: inout [String], errors: inout [FaultlineError]) {
        guard let handle = opendir(directory) else {
            errors.append(
                FaultlineError(
                    .unreadable, input: directory, reason: "cannot list the directory",
                    hint: "check its permissions"))
            return
        }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        for name in names.sorted() {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: walk(directory: path, into: &files, errors: &errors)
            case S_IFREG: files.append(path)
            case S_IFLNK:
                var target = stat()
                if stat(path, &target) == 0, (target.st_mode & S_IFMT) == S_IFREG { files.append(path) }
            default: continue
            }
        }
    }
}
