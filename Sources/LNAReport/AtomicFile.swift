import Foundation

/// Writes files atomically: the bytes go to a temporary file in the same folder, which is then renamed over the
/// destination, so a failure never leaves a partial file behind.
///
/// ```swift
/// try AtomicFile.write(Data("hi".utf8), to: URL(fileURLWithPath: "/tmp/x.txt"))
/// ```
public enum AtomicFile {
    /// Writes `data` to `url` atomically; throws `ReportError.writeFailed` naming the path.
    public static func write(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        let temp = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0 ... .max))")
        do {
            try data.write(to: temp)
        } catch {
            throw ReportError.writeFailed(path: url.path, reason: "\(error.localizedDescription)")
        }
        if rename(temp.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temp)
            throw ReportError.writeFailed(path: url.path, reason: reason)
        }
    }

    /// Writes a UTF-8 string atomically.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }
}
