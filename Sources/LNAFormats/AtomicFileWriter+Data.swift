import Foundation

extension AtomicFileWriter {
    /// Writes a whole buffer atomically: the file appears complete or not at all.
    ///
    /// ```swift
    /// try AtomicFileWriter.write(Data("{}".utf8), to: url)
    /// ```
    public static func write(_ data: Data, to url: URL) throws {
        let writer = try AtomicFileWriter(url)
        try data.withUnsafeBytes { try writer.write($0) }
        try writer.commit()
    }
}
