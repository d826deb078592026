import Foundation
import LNATestSupport

/// Writes small files for tests into a fresh temporary folder.
struct TestFolder {
    let url: URL

    init() throws { url = try TestResources.temporaryDirectory("lna-data") }

    /// Writes `text` to `name` (sub-folders created) and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return file.path
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}
