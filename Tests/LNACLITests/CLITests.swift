import Foundation
import Testing
import LNATestSupport

/// Runs the built `lna` binary and returns (exit status, stdout, stderr).
func runLNA(_ arguments: [String]) throws -> (status: Int32, out: String, err: String)? {
    guard let binary = try TestResources.lnaBinary() else { return nil }
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
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
