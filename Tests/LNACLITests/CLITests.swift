import Foundation
import Testing
import LNATestSupport

/// Runs the built `lna` binary and returns (exit status, stdout, stderr); in `directory` when given, with
/// `environment` added to (or, for an empty value, removed from) the test's own.
func runLNA(_ arguments: [String], in directory: URL? = nil,
            environment: [String: String] = [:]) throws -> (status: Int32, out: String, err: String)? {
    guard let binary = try TestResources.lnaBinary() else { return nil }
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    if !environment.isEmpty {
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value.isEmpty ? nil : value }
        process.environment = merged
    }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

@Test func versionPrints() throws {
    guard let r = try runLNA(["--version"]) else { return }
    #expect(r.status == 0)
    #expect(r.out.contains("0."))
}
