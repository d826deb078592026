import Foundation
import Testing
import LNAAnalysis
import LNAFormats
import LNATestSupport

/// The `.pt` reader on synthetic Tang and Gurgurov files (int32 and float32 storages, strides, sums).
struct TorchReaderTests {
    @Test func tangCountsWithLegacySums() throws {
        let dir = try TestResources.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("activation.zh.train.llama-7b")
        try TorchFixture.archive(root: "archive", items: [
            ("n", .int(40)),
            ("over_zero", TorchFixture.int32Tensor("0", [1, 2, 3, 4, 5, 6], shape: [2, 3])),
            ("sum1", TorchFixture.float32Tensor("1", [0.5, -0.25, 1, 2, 3, 4], shape: [2, 3])),
        ]).write(to: url)
        let read = try OriginalFiles.readCounts(url)
        #expect(read.kind == .tangCounts && read.layers == 2 && read.width == 3)
        #expect(read.counts.overZero == [1, 2, 3, 4, 5, 6] && read.counts.totalTokens == 40)
        #expect(read.counts.sumActivation == [0.5, -0.25, 1, 2, 3, 4])
        let files = try OriginalFiles.scanDirectory(dir)
        #expect(files.map(\.language) == ["zh"] && files[0].tag == "train.llama-7b" && files[0].prefix == nil)
    }

    @Test func gurgurovCountsGiveSums() throws {
        let dir = try TestResources.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("activation.mt.train.llama")
        try TorchFixture.archive(root: "g", items: [
            ("n", .int(8)),
            ("over_zero", TorchFixture.int32Tensor("0", [1, 2, 3, 4], shape: [2, 2])),
            ("average_activations", TorchFixture.float32Tensor("1", [0.5, 0.25, -0.125, 1], shape: [2, 2])),
            ("activation_counts", TorchFixture.int32Tensor("2", [8, 8, 8, 8], shape: [2, 2])),
        ]).write(to: url)
        let read = try OriginalFiles.readCounts(url)
        #expect(read.kind == .gurgurovCounts)
        #expect(read.counts.sumActivation == [4, 2, -1, 8])
    }

    @Test func stridedTensorIsReadInRowMajorOrder() throws {
        let dir = try TestResources.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("t.pt")
        // Storage 0..5 viewed as the transpose of a [2, 3] tensor: shape [3, 2], stride [1, 3].
        try TorchFixture.archive(root: "t", items: [("x", TorchFixture.int32Tensor("0", [0, 1, 2, 3, 4, 5], shape: [3, 2], stride: [1, 3]))])
            .write(to: url)
        let file = try TorchFile(contentsOf: url)
        #expect(try file.int64Values(try #require(file.root["x"]?.tensor)) == [0, 3, 1, 4, 2, 5])
    }

    @Test func wrongShapesAndStoragesAreErrors() throws {
        let dir = try TestResources.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("bad.pt")
        try TorchFixture.archive(root: "b", items: [("n", .int(3)), ("over_zero", TorchFixture.int32Tensor("0", [1, 2, 3], shape: [3]))]).write(to: url)
        #expect { try OriginalFiles.readCounts(url) } throws: { "\($0)".contains("expected [layers, width]") }
        // A shape larger than its storage.
        try TorchFixture.archive(root: "b", items: [("n", .int(3)), ("over_zero", TorchFixture.int32Tensor("0", [1, 2], shape: [2, 2]))]).write(to: url)
        #expect { try OriginalFiles.readCounts(url) } throws: { "\($0)".contains("has 4 elements but the storage holds 2") }
        // Float counts are not counts.
        try TorchFixture.archive(root: "b", items: [("n", .int(3)), ("over_zero", TorchFixture.float32Tensor("0", [1, 2, 3, 4], shape: [2, 2]))]).write(to: url)
        #expect { try OriginalFiles.readCounts(url) } throws: { "\($0)".contains("not an integer type") }
        // Unknown dict.
        try TorchFixture.archive(root: "b", items: [("weights", .int(1))]).write(to: url)
        #expect { try OriginalFiles.readCounts(url) } throws: { "\($0)".contains("none of the known original files") }
        // Not a zip at all.
        try Data("hello".utf8).write(to: url)
        #expect { try OriginalFiles.readCounts(url) } throws: { "\($0)".contains("too short") }
    }
}
