import Foundation
import Testing
import LNATestSupport

// Tests/ConsumerPackage depends on lna's library products by path, as a user's package would. Built here in a
// temporary copy (debug: it checks that the products build as a dependency, not their speed; ~1–6 min on 2 busy
// cores) and run on NJUNLP's shipped MGSM counts, it must identify the neurons of the shipped run.

/// Runs `executable` with `arguments`; returns (status, stdout + stderr).
private func run(_ executable: String, _ arguments: [String], in directory: URL) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable] + arguments
    process.currentDirectoryURL = directory
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

@Test func aConsumerPackageBuildsOnTheLibraryProductsAndIdentifies() throws {
    guard let counts = try TestResources.shared("interop/njunlp-mgsm-mistral7b/activations") else { return }
    let root = TestResources.repositoryRoot
    let copy = try TestResources.temporaryDirectory("lna-consumer")
    defer { try? FileManager.default.removeItem(at: copy) }
    let source = root.appendingPathComponent("Tests/ConsumerPackage")
    for item in ["Package.swift", "Sources"] {
        try FileManager.default.copyItem(at: source.appendingPathComponent(item), to: copy.appendingPathComponent(item))
    }
    let manifest = copy.appendingPathComponent("Package.swift")
    let text = try String(contentsOf: manifest, encoding: .utf8)
    #expect(text.contains("path: \"../..\""))
    try text.replacingOccurrences(of: "path: \"../..\"", with: "path: \"\(root.path)\"")
        .write(to: manifest, atomically: true, encoding: .utf8)

    let build = try run("swift", ["build", "--product", "LNAConsumer"], in: copy)
    #expect(build.status == 0, "\(build.output.suffix(3000))")
    guard build.status == 0 else { return }
    let identified = try run(copy.appendingPathComponent(".build/debug/LNAConsumer").path, ["identify", counts.path],
                             in: copy)
    #expect(identified.status == 0, "\(identified.output)")
    let lines = identified.output.split(separator: "\n").map(String.init)
    // The shipped run (NJUNLPFullRunTests): 4588 neurons, 6307 language–neuron pairs over ten languages.
    #expect(lines.contains("selected 4588"))
    #expect(lines.contains("appear 0,1866,617,310,153,127,59,40,27,20,0"))
    let sizes = try #require(lines.first { $0.hasPrefix("mask sizes ") })
    #expect(sizes.dropFirst("mask sizes ".count).split(separator: ",").compactMap { Int($0) }.reduce(0, +) == 6307)
    #expect(lines.first?.hasPrefix("kernels ") == true)
}
