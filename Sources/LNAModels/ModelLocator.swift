import Foundation

/// Resolves the MODEL argument of every command: a `.gguf` path, a Hugging Face directory, or a name from
/// the models folder (`LNA_MODELS_DIR`, else `models/` in the current directory or beside the executable's
/// repository).
///
/// ```swift
/// let url = try ModelLocator.resolve("gemma3-270m")
/// ```
public enum ModelLocator {
    /// A model that `scripts/setup.sh` (or `lna models fetch`) can install.
    public struct KnownModel: Sendable {
        public let name: String
        public let fileName: String
        public let sha256: String
        public let byteCount: Int
        public let summary: String
    }

    public static let known: [KnownModel] = [
        KnownModel(name: "gemma3-270m", fileName: "gemma-3-270m-q4_k_m.gguf",
                   sha256: "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818",
                   byteCount: 253_113_024, summary: "Gemma 3 270M base, multilingual (default)"),
        KnownModel(name: "smollm2-135m", fileName: "SmolLM2-135M-Instruct.Q4_1.gguf",
                   sha256: "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
                   byteCount: 98_362_432, summary: "SmolLM2 135M Instruct, English, Llama architecture"),
        KnownModel(name: "qwen2.5-0.5b", fileName: "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
                   sha256: "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
                   byteCount: 491_400_064, summary: "Qwen2.5 Coder 0.5B Instruct, Qwen2 architecture"),
    ]

    /// The models folder.
    public static var modelsDirectory: URL {
        if let env = ProcessInfo.processInfo.environment["LNA_MODELS_DIR"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        let candidates = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("models"),
            repositoryOfExecutable?.appendingPathComponent("models"),
        ].compactMap { $0 }
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) } ?? candidates[0]
    }

    /// `<repo>` when the executable lives in `<repo>/.build/<config>/lna`.
    static var repositoryOfExecutable: URL? {
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        let components = executable.pathComponents
        guard let buildIndex = components.lastIndex(of: ".build") else { return nil }
        return URL(fileURLWithPath: components[..<buildIndex].joined(separator: "/"))
    }

    /// The file or directory a MODEL argument names.
    public static func resolve(_ argument: String) throws -> URL {
        let direct = URL(fileURLWithPath: argument)
        if FileManager.default.fileExists(atPath: direct.path) { return direct }
        if let model = known.first(where: { $0.name == argument }) {
            let url = modelsDirectory.appendingPathComponent(model.fileName)
            if FileManager.default.fileExists(atPath: url.path) { return url }
            throw ModelError.unknownModel(
                "\(argument) (not fetched yet: run `lna models fetch \(argument)` or scripts/setup.sh)",
                known: known.map(\.name))
        }
        throw ModelError.unknownModel(argument, known: known.map(\.name))
    }

    /// The known model name of a resolved file, if any.
    public static func knownName(of url: URL) -> String? {
        known.first { $0.fileName == url.lastPathComponent }?.name
    }
}
