/// Why an output file could not be written. The message is one line naming the file.
///
/// ```swift
/// do { try AtomicFile.write(Data("{}".utf8), to: url) } catch { print(error) }   // "/x/out.json: cannot write: …"
/// ```
public struct FileWriteError: Error, CustomStringConvertible, Sendable {
    /// The destination path.
    public let path: String
    /// What went wrong, on one line.
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason.replacingOccurrences(of: "\n", with: " ")
    }

    public var description: String { "\(path): cannot write: \(reason)" }
}
