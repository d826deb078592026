import Foundation
import LNAFormats

/// Resolves the MODEL argument of every command: a `.gguf` path, a Hugging Face directory, or a known model name
/// looked up in the per-user model cache.
///
/// The cache is `$LNA_MODELS_DIR`, else `$LNA_HOME/models`, else `$XDG_CACHE_HOME/lna/models` (default
/// `~/.cache/lna/models`), so every command finds a model fetched once by `scripts/setup.sh` or `lna models fetch`,
/// from any folder. A `models/` folder at the root of the repository the executable was built in is still read
/// (earlier versions fetched there).
///
/// ```swift
/// let url = try ModelLocator.resolve("gemma3-270m")   // ~/.cache/lna/models/gemma-3-270m-q4_k_m.gguf
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

    /// A MODEL argument that names no file and no fetched model. The message says where lna looked and what to run.
    public struct LookupError: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// The per-user model cache that fetching writes to (it need not exist yet).
    public static var modelsDirectory: URL {
        let environment = ProcessInfo.processInfo.environment
        if let dir = environment["LNA_MODELS_DIR"], !dir.isEmpty { return URL(fileURLWithPath: dir) }
        return homeDirectory.appendingPathComponent("models")
    }

    /// `$LNA_HOME`, else `$XDG_CACHE_HOME/lna`, else `~/.cache/lna`: lna's per-user folder (models, wheels).
    public static var homeDirectory: URL {
        let environment = ProcessInfo.processInfo.environment
        if let home = environment["LNA_HOME"], !home.isEmpty { return URL(fileURLWithPath: home) }
        if let cache = environment["XDG_CACHE_HOME"], !cache.isEmpty {
            return URL(fileURLWithPath: cache).appendingPathComponent("lna")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        return home.appendingPathComponent(".cache/lna")
    }

    /// The folders searched for a known model's file, in order: the cache, then `<repo>/models` of the build.
    public static var searchDirectories: [URL] {
        var folders = [modelsDirectory]
        if ProcessInfo.processInfo.environment["LNA_MODELS_DIR"]?.isEmpty ?? true,
           let legacy = repositoryOfExecutable?.appendingPathComponent("models"), legacy.path != folders[0].path {
            folders.append(legacy)
        }
        return folders
    }

    /// `<repo>` when the executable lives in `<repo>/.build/<config>/lna`.
    static var repositoryOfExecutable: URL? {
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        let components = executable.pathComponents
        guard let buildIndex = components.lastIndex(of: ".build"), buildIndex > 1 else { return nil }
        return URL(fileURLWithPath: "/" + components[1..<buildIndex].joined(separator: "/"))
    }

    /// The fetched file of a known model, or nil when no searched folder has it.
    public static func fetchedFile(_ model: KnownModel) -> URL? {
        searchDirectories.map { $0.appendingPathComponent(model.fileName) }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// The file or directory a MODEL argument names.
    public static func resolve(_ argument: String) throws -> URL {
        let direct = URL(fileURLWithPath: argument)
        if FileManager.default.fileExists(atPath: direct.path) { return direct }
        if let model = known.first(where: { $0.name == argument }) {
            if let url = fetchedFile(model) { return url }
            let looked = searchDirectories.map { $0.appendingPathComponent(model.fileName).path }
            throw LookupError(description: "model \(argument) is not fetched yet: looked for \(looked.joined(separator: " and ")); "
                + "run `lna models fetch \(argument)` (or set LNA_MODELS_DIR to the folder that holds \(model.fileName))")
        }
        var message = "no model '\(argument)': no such file or folder (\(direct.path)), and not a known model name ("
            + known.map(\.name).joined(separator: ", ") + ")"
        if let near = nearMatches(for: argument, in: known.map(\.name), limit: 1).first {
            message += "; did you mean '\(near)'?"
        }
        throw LookupError(description: message)
    }

    /// The known model name of a resolved file, if any.
    public static func knownName(of url: URL) -> String? {
        known.first { $0.fileName == url.lastPathComponent }?.name
    }
}
