import Foundation
import LNAFiles

/// LNAFiles' streaming atomic writer under the name LNAFormats' clients already use (GGUFWriter, SafeTensorsWriter,
/// LNAModels' ModelExporter). New code should import LNAFiles and use `AtomicFile` / `AtomicFileWriter` directly.
///
/// ```swift
/// try AtomicFileWriter.write(Data("{}".utf8), to: url)
/// ```
public typealias AtomicFileWriter = LNAFiles.AtomicFileWriter

extension LNAFiles.AtomicFileWriter {
    /// Writes a whole buffer atomically (the same as `AtomicFile.write(_:to:)`); kept for ModelExporter.
    public static func write(_ data: Data, to url: URL) throws {
        try AtomicFile.write(data, to: url)
    }
}
