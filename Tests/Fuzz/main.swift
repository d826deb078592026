// The libFuzzer entry points for every lna reader: one binary, the reader chosen by LNA_FUZZ_READER.
// Built and run by scripts/fuzz.sh (swiftc -sanitize=fuzzer,address); not part of the SwiftPM package.
import Foundation
import LNAFuzzTargets

nonisolated(unsafe) private var harness: FuzzHarness?
nonisolated(unsafe) private var reader = FuzzReader.gguf

/// Reads the environment once; with LNA_FUZZ_SEEDS set, writes the reader's seeds into that corpus folder.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<Int32>,
                             _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> Int32 {
    let environment = ProcessInfo.processInfo.environment
    guard let name = environment["LNA_FUZZ_READER"], let chosen = FuzzReader(rawValue: name) else {
        let names = FuzzReader.allCases.map(\.rawValue).joined(separator: ", ")
        FileHandle.standardError.write(Data("LNA_FUZZ_READER must be one of: \(names)\n".utf8))
        exit(2)
    }
    reader = chosen
    let scratch = environment["LNA_FUZZ_SCRATCH"] ?? NSTemporaryDirectory() + "/lna-fuzz-\(getpid())"
    do {
        harness = try FuzzHarness(scratch: URL(fileURLWithPath: scratch))
        if let seeds = environment["LNA_FUZZ_SEEDS"] { _ = try FuzzSeeds.write(chosen, into: URL(fileURLWithPath: seeds)) }
    } catch {
        FileHandle.standardError.write(Data("cannot prepare fuzzing: \(error)\n".utf8))
        exit(2)
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    _ = harness?.run(reader, bytes)
    return 0
}
