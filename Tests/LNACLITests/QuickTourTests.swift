import Foundation
import Testing
import LNATestSupport

/// The README's Quick tour, verbatim, from a temporary folder outside the repository, with `lna` on PATH as
/// scripts/install.sh puts it there (a link in a bin folder) and `$SHARED` set to the shared folder, as the README
/// says. Every line must exit 0.
struct QuickTourTests {
    /// The command lines of the README's "## Quick tour" code block (comments and blank lines dropped).
    static func tourLines() throws -> [String] {
        let readme = try String(contentsOf: TestResources.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: "## Quick tour"))
        let rest = readme[section.upperBound...]
        let open = try #require(rest.range(of: "```\n"))
        let close = try #require(rest[open.upperBound...].range(of: "```"))
        return rest[open.upperBound..<close.lowerBound].split(separator: "\n").map(String.init)
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("#") }
    }

    @Test func everyQuickTourLineRunsFromAnotherFolder() throws {
        guard let binary = try TestResources.lnaBinary(), try TestResources.model("gemma3-270m") != nil,
              try TestResources.model("smollm2-135m") != nil,
              let shared = try TestResources.shared("interop/njunlp-mgsm-mistral7b/activations") else { return }
        let lines = try Self.tourLines()
        #expect(lines.count >= 10 && lines.allSatisfy { $0.hasPrefix("lna ") })
        let folder = try TestResources.temporaryDirectory("quick-tour")
        defer { try? FileManager.default.removeItem(at: folder) }
        let bin = folder.appendingPathComponent("bin"), work = folder.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: bin.appendingPathComponent("lna"), withDestinationURL: binary)
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["SHARED"] = shared.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        var outputs: [String: String] = [:]
        for line in lines {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", line]
            process.currentDirectoryURL = work
            process.environment = environment
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(line)\n\(stderr)")
            outputs[line] = stdout
        }
        // A few outputs that show the lines did what the comments say.
        #expect(outputs.first { $0.key.hasPrefix("lna models list") }?.value.contains("gemma3-270m    fetched") == true)
        #expect(outputs.first { $0.key.hasPrefix("lna langid predict") }?.value.hasPrefix("de") == true)
        #expect(outputs.first { $0.key.hasPrefix("lna masks show") }?.value.contains("appear: [0, 1866, 617") == true)
        #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("smollm2-hf/config.json").path))
    }
}
