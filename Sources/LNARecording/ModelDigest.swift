import Foundation

/// The sha256 of a model file, computed once and cached: hashing 250 MB takes about a second, and every
/// statistics file and checkpoint fingerprint names the exact weights it came from.
///
/// The cache lives in `$XDG_CACHE_HOME/lna/sha256/` (else `~/.cache/lna/sha256/`), keyed by the file's
/// absolute path and validated by its size and modification time, so the models folder stays read-only.
///
/// ```swift
/// let hex = try ModelDigest.sha256(of: URL(fileURLWithPath: "models/gemma-3-270m-q4_k_m.gguf"))
/// ```
public enum ModelDigest {
    /// The hex sha256 of a file; for a directory (Hugging Face layout) the hash of its files' hashes by name.
    public static func sha256(of url: URL) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw RecordingError.io(path: url.path, reason: "no such model file")
        }
        if isDirectory.boolValue {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
            var combined = SHA256()
            for name in names where !name.hasPrefix(".") {
                let file = url.appendingPathComponent(name)
                var sub: ObjCBool = false
                guard FileManager.default.fileExists(atPath: file.path, isDirectory: &sub), !sub.boolValue else { continue }
                combined.update("\(name) \(try sha256(of: file))\n")
            }
            return combined.finalizeHex()
        }
        let stamp = try fileStamp(url)
        let cacheFile = cacheDirectory.appendingPathComponent(SHA256.hex(Array(url.standardizedFileURL.path.utf8)) + ".txt")
        if let cached = try? String(contentsOf: cacheFile, encoding: .utf8) {
            let parts = cached.split(separator: " ")
            if parts.count == 2, parts[0] == stamp, parts[1].count == 64 { return String(parts[1]) }
        }
        let digest = try hashFile(url)
        // A cache that cannot be written only costs the next run another hash.
        try? FileManager.default.createDirectory(at: cacheDirectory, withIntermediateDirectories: true)
        try? Data("\(stamp) \(digest)".utf8).write(to: cacheFile, options: .atomic)
        return digest
    }

    static var cacheDirectory: URL {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        return base.appendingPathComponent("lna/sha256")
    }

    /// `size:mtime-nanoseconds`, enough to notice a replaced file.
    static func fileStamp(_ url: URL) throws -> String {
        var info = stat()
        guard stat(url.path, &info) == 0 else {
            throw RecordingError.io(path: url.path, reason: "cannot stat: \(String(cString: strerror(errno)))")
        }
        return "\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }

    static func hashFile(_ url: URL) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw RecordingError.io(path: url.path, reason: "cannot open for hashing")
        }
        defer { try? handle.close() }
        var hash = SHA256()
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: 8 << 20) ?? Data() } catch {
                throw RecordingError.io(path: url.path, reason: "read failed while hashing: \(error)")
            }
            if chunk.isEmpty { break }
            chunk.withUnsafeBytes { hash.update($0) }
        }
        return hash.finalizeHex()
    }
}
