import Foundation

/// Locates what tests read from outside the package: `../shared` (specs, goldens, datasets, interop files),
/// the models folder filled by `scripts/setup.sh`, and the built `lna` binary.
///
/// A resource that is missing is a *failure* under `CI=true` (or `LNA_REQUIRE_RESOURCES=1`) and a skip
/// elsewhere, so a developer without the models can still run the unit tests.
///
/// ```swift
/// guard let gguf = try TestResources.model("gemma3-270m") else { return }  // skipped locally
/// ```
public enum TestResources {
    public struct Missing: Error, CustomStringConvertible {
        public let what: String
        public var description: String { "missing test resource: \(what) (run scripts/setup.sh)" }
    }

    /// The repository root (the folder with Package.swift).
    public static let repositoryRoot: URL = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }()

    /// `../shared` beside the repository, or `LNA_SHARED_DIR`.
    public static var sharedDirectory: URL {
        if let env = ProcessInfo.processInfo.environment["LNA_SHARED_DIR"] { return URL(fileURLWithPath: env) }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }

    /// The models folder, as `lna` and `scripts/setup.sh` find it: `LNA_MODELS_DIR`, else `LNA_HOME/models`, else
    /// `$XDG_CACHE_HOME/lna/models` (default `~/.cache/lna/models`); `models/` at the repository root when only it exists.
    public static var modelsDirectory: URL {
        let env = ProcessInfo.processInfo.environment
        if let dir = env["LNA_MODELS_DIR"], !dir.isEmpty { return URL(fileURLWithPath: dir) }
        let home: URL
        if let dir = env["LNA_HOME"], !dir.isEmpty { home = URL(fileURLWithPath: dir) }
        else if let cache = env["XDG_CACHE_HOME"], !cache.isEmpty { home = URL(fileURLWithPath: cache).appendingPathComponent("lna") }
        else if let user = env["HOME"], !user.isEmpty { home = URL(fileURLWithPath: user).appendingPathComponent(".cache/lna") }
        else { home = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/lna") }
        let cache = home.appendingPathComponent("models")
        let legacy = repositoryRoot.appendingPathComponent("models")
        return !FileManager.default.fileExists(atPath: cache.path) && FileManager.default.fileExists(atPath: legacy.path) ? legacy : cache
    }

    public static var resourcesRequired: Bool {
        let env = ProcessInfo.processInfo.environment
        return env["CI"] == "true" || env["LNA_REQUIRE_RESOURCES"] == "1"
    }

    /// File names of the models that `scripts/setup.sh` fetches.
    public static let modelFiles: [String: String] = [
        "gemma3-270m": "gemma-3-270m-q4_k_m.gguf",
        "smollm2-135m": "SmolLM2-135M-Instruct.Q4_1.gguf",
        "qwen2.5-0.5b": "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    ]

    /// Golden-file key (`../shared/reference/*_<key>.json`) of each model name.
    public static let goldenKeys: [String: String] = [
        "gemma3-270m": "gemma3-270m", "smollm2-135m": "smollm2-135m", "qwen2.5-0.5b": "qwen2.5-coder-0.5b",
    ]

    /// The GGUF file of a model, or nil (skip) when it is missing outside CI.
    public static func model(_ name: String) throws -> URL? {
        guard let file = modelFiles[name] else { throw Missing(what: "unknown model name \(name)") }
        return try existing(modelsDirectory.appendingPathComponent(file))
    }

    /// A file or folder below `../shared`, or nil (skip) when it is missing outside CI.
    public static func shared(_ relativePath: String) throws -> URL? {
        try existing(sharedDirectory.appendingPathComponent(relativePath))
    }

    /// The release `lna` binary (`LNA_BIN`, else `.build/release/lna`), or nil (skip) outside CI.
    public static func lnaBinary() throws -> URL? {
        if let env = ProcessInfo.processInfo.environment["LNA_BIN"] { return try existing(URL(fileURLWithPath: env)) }
        return try existing(repositoryRoot.appendingPathComponent(".build/release/lna"))
    }

    static func existing(_ url: URL) throws -> URL? {
        if FileManager.default.fileExists(atPath: url.path) { return url }
        if resourcesRequired { throw Missing(what: url.path) }
        print("skipped: \(url.path) is missing (set CI=true to make this a failure)")
        return nil
    }

    /// A fresh temporary directory, removed by the caller (or left in /tmp).
    public static func temporaryDirectory(_ label: String = "lna-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
