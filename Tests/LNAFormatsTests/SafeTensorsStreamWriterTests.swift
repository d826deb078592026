import Foundation
import LNAFormats
import LNATestSupport
import Testing

/// The streaming safetensors writer (one tensor at a time) and page release of mapped tensors.
struct SafeTensorsStreamWriterTests {
    @Test func writesAFileTheReaderAcceptsAndReleasingPagesKeepsTheValues() throws {
        let dir = try TestResources.temporaryDirectory("stream-writer")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("a.safetensors")
        let plan = [SafeTensorsStreamWriter.Planned(name: "w", dtype: .bf16, shape: [2, 3]),
                    SafeTensorsStreamWriter.Planned(name: "big", dtype: .f32, shape: [5000])]
        let out = try SafeTensorsStreamWriter(url, plan: plan, metadata: ["format": "pt"])
        let w: [Float] = [1, -2, 0.5, 3, 0, -0.25]
        try w.map(bfloat16Bits).withUnsafeBytes { try out.append("w", $0) }
        #expect(!FileManager.default.fileExists(atPath: url.path))
        let big = (0..<5000).map { Float($0) }
        try big.withUnsafeBytes { try out.append("big", $0) }
        try out.commit()
        let file = try SafeTensorsFile(contentsOf: url)
        #expect(file.metadata == ["format": "pt"])
        #expect(try file.floats("w") == w)
        #expect(try file.floats("big") == big)
        file.releasePages(of: "big")
        file.releasePages(of: "no such tensor")
        #expect(try file.floats("big") == big)
    }

    @Test func refusesTensorsOutOfOrderWrongSizesAndMissingOnes() throws {
        let dir = try TestResources.temporaryDirectory("stream-writer-errors")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("b.safetensors")
        let plan = [SafeTensorsStreamWriter.Planned(name: "a", dtype: .f32, shape: [2]),
                    SafeTensorsStreamWriter.Planned(name: "b", dtype: .f32, shape: [1])]
        let out = try SafeTensorsStreamWriter(url, plan: plan)
        #expect(throws: FormatError.self) { try [Float(1)].withUnsafeBytes { try out.append("b", $0) } }
        #expect(throws: FormatError.self) { try [Float(1)].withUnsafeBytes { try out.append("a", $0) } }
        try [Float(1), 2].withUnsafeBytes { try out.append("a", $0) }
        #expect(throws: FormatError.self) { try out.commit() }
        #expect(!FileManager.default.fileExists(atPath: url.path))
        #expect(throws: FormatError.self) {
            _ = try SafeTensorsStreamWriter(url, plan: plan + [plan[0]])
        }
    }
}
