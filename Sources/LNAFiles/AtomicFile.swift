import Foundation

/// Whole-file atomic writes: the bytes go to a temporary file in the same folder, which is then renamed over the
/// destination, so readers never see a partial file and a failure leaves none behind. The folder is created if
/// needed.
///
/// ```swift
/// try AtomicFile.write(Data("{}".utf8), to: URL(fileURLWithPath: "out/masks.json"))
/// try AtomicFile.write("<html></html>", to: URL(fileURLWithPath: "out/report.html"))
/// ```
public enum AtomicFile {
    /// Writes `data` to `url` atomically.
    public static func write(_ data: Data, to url: URL) throws(FileWriteError) {
        let writer = try AtomicFileWriter(url)
        try writer.write(data)
        try writer.commit()
    }

    /// Writes a UTF-8 string atomically.
    public static func write(_ text: String, to url: URL) throws(FileWriteError) {
        try write(Data(text.utf8), to: url)
    }

    /// Writes whatever `produce` writes, atomically: when `produce` throws, the destination is left as it was (no
    /// partial file) and its error is passed on.
    ///
    /// ```swift
    /// try AtomicFile.write(to: url) { out in try out.write(header); try out.write(body) }
    /// ```
    public static func write(to url: URL, _ produce: (AtomicFileWriter) throws -> Void) throws {
        let writer = try AtomicFileWriter(url)
        try produce(writer)
        try writer.commit()
    }
}
