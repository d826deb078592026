import Foundation
import Testing
import LNAAnalysis
import LNAFormats
import LNATestSupport

/// The original pipelines' files in ../shared/interop: NJUNLP counts and Tang's shipped masks (METHODS §8.4).
struct OriginalFilesTests {
    static let njunlpDirectory = "interop/njunlp-mgsm-mistral7b/activations"
    static let tag = "Mistral-de76d14562b1da1ba0e52d5b245cf9c0859e2af3"

    @Test func readsAnNJUNLPCountsFile() throws {
        guard let dir = try TestResources.shared(Self.njunlpDirectory) else { return }
        let url = dir.appendingPathComponent("activation.en.\(Self.tag).pt")
        let file = try TorchFile(contentsOf: url)
        #expect(file.root.dictKeys == ["total_tokens", "over_zero"])
        #expect(file.root["total_tokens"]?.intValue == 583261)
        let tensor = try #require(file.root["over_zero"]?.tensor)
        #expect(tensor.shape == [32, 14336] && tensor.dtype == .int64 && tensor.stride == [14336, 1])
        let counts = try OriginalFiles.readCounts(url)
        #expect(counts.kind == .njunlpCounts && counts.layers == 32 && counts.width == 14336)
        #expect(counts.counts.overZero.count == 32 * 14336)
        #expect(counts.counts.overZero.allSatisfy { $0 >= 0 && $0 <= 583261 })
    }

    @Test func scansTheOriginalDirectoryLayoutWithShippedTotals() throws {
        guard let dir = try TestResources.shared(Self.njunlpDirectory) else { return }
        let files = try OriginalFiles.scanDirectory(dir)
        #expect(files.count == 10 && files.allSatisfy { $0.prefix != nil && $0.tag == Self.tag })
        let totals: [String: (Int64, Int64)] = [
            "en": (583261, 263330), "ru": (737039, 365000), "es": (665820, 322380), "fr": (656580, 325990),
            "de": (666943, 331190), "zh": (732578, 350190), "ja": (840069, 410480), "bn": (1495217, 793750),
            "th": (1268960, 637530), "sw": (806652, 398180),
        ]
        for lang in ["en", "bn"] {
            let stats = try OriginalFiles.statistics(try #require(files.first { $0.language == lang }))
            #expect(stats.full.totalTokens == totals[lang]!.0 && stats.prefix?.totalTokens == totals[lang]!.1)
        }
        #expect(OriginalFiles.defaultOrder(files.map(\.language)) == OriginalFiles.njunlpLanguages)
    }

    /// §8.4 / §2.7: distinct neurons = round(L·I·0.01), per-language totals and sharing histograms.
    @Test(arguments: [
        ("LLaMA-2-7B", 32, 11008, [95, 583, 1022, 838, 836, 1068, 582], [0, 2396, 856, 193, 58, 15, 5, 0], 3523),
        ("LLaMA-2-13B", 40, 13824, [161, 1168, 1583, 1255, 1252, 1384, 1435], [0, 3505, 1516, 371, 110, 20, 8, 0], 5530),
        ("Mistral-7B", 32, 14336, [76, 1190, 919, 838, 1554, 1445], [0, 3373, 1019, 173, 23, 0, 0], 4588),
        ("BLOOM-7B", 30, 16384, [445, 653, 680, 918, 551, 2823], [0, 4135, 503, 184, 88, 5, 0], 4915),
    ])
    func tangShippedMaskStructure(name: String, layers: Int, width: Int, sizes: [Int], appear: [Int], distinct: Int) throws {
        guard let url = try TestResources.shared("interop/tang-lape-masks/\(name).neuron.pth") else { return }
        let masks = try OriginalFiles.readMasks(url, width: width)
        #expect(masks.layers == layers)
        #expect(masks.sizes == sizes)
        #expect(masks.appear == appear)
        #expect(masks.appear.reduce(0, +) == distinct)
        #expect(distinct == pythonRound(Double(layers * width) * 0.01))
        #expect(masks.lists.joined().joined().allSatisfy { $0 < width })
        if name == "LLaMA-2-7B" { #expect(masks.lists[1][4] == [6147, 9114, 9292]) }
    }

    @Test func otherTangMasksHaveSixLanguages() throws {
        for (name, sizes) in [("LLaMA-2-70B", [731, 5366, 6482, 5873, 5515, 6522]), ("OPT-6.7B", [347, 833, 1571, 1517, 752, 1129]),
                              ("Phi-2-2.7B", [52, 196, 1032, 1119, 511, 764])] {
            guard let url = try TestResources.shared("interop/tang-lape-masks/\(name).neuron.pth") else { return }
            let masks = try OriginalFiles.readMasks(url)
            #expect(masks.languages == ["en", "zh", "fr", "es", "vi", "id"])
            #expect(masks.sizes == sizes, "\(name)")
        }
    }

    @Test func truncatedFileIsAClearError() throws {
        guard let dir = try TestResources.shared(Self.njunlpDirectory) else { return }
        let data = try Data(contentsOf: dir.appendingPathComponent("activation.en.\(Self.tag).pt"))
        let tmp = try TestResources.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let cut = tmp.appendingPathComponent("activation.en.cut.pt")
        try data.prefix(2_000_000).write(to: cut)
        #expect { try OriginalFiles.readCounts(cut) } throws: { error in
            "\(error)".contains("activation.en.cut.pt") && "\(error)".contains("end-of-central-directory")
        }
        // A damaged storage (central directory intact, storage bytes shortened) is caught too.
        var broken = data
        broken.removeSubrange(600..<700)
        let damaged = tmp.appendingPathComponent("damaged.pt")
        try broken.write(to: damaged)
        #expect(throws: (any Error).self) { try OriginalFiles.readCounts(damaged) }
    }
}

/// The pickle VM on hand-written streams.
struct PickleMachineTests {
    func run(_ bytes: [UInt8]) throws -> PickleValue {
        var machine = PickleMachine(bytes: bytes, fileName: "test.pkl")
        return try machine.run()
    }

    @Test func dictOfIntsAndStrings() throws {
        // {'a': 1, 'b': [2, -3]} with protocol 2, memo and APPENDS.
        let bytes: [UInt8] = [0x80, 2, 0x7D, 0x71, 0, 0x28, 0x58, 1, 0, 0, 0, 0x61, 0x4B, 1,
                              0x58, 1, 0, 0, 0, 0x62, 0x5D, 0x71, 1, 0x28, 0x4B, 2, 0x4A, 0xFD, 0xFF, 0xFF, 0xFF, 0x65,
                              0x75, 0x2E]
        let value = try run(bytes)
        #expect(value["a"]?.intValue == 1)
        #expect(value["b"]?.elements?.compactMap(\.intValue) == [2, -3])
    }

    @Test func memoisedListSeesLaterAppends() throws {
        // l = []; memo 0; append 7; then BINGET 0 → tuple (l, l): both copies hold 7.
        let bytes: [UInt8] = [0x80, 2, 0x5D, 0x71, 0, 0x4B, 7, 0x61, 0x68, 0, 0x86, 0x2E]
        let value = try run(bytes)
        #expect(value.elements?.map { $0.elements?.compactMap(\.intValue) ?? [] } == [[7], [7]])
    }

    @Test func unknownOpcodeAndTruncationAreErrors() {
        #expect { try run([0x80, 2, 0xFF, 0x2E]) } throws: { "\($0)".contains("opcode 0xff") }
        #expect { try run([0x80, 2, 0x4B]) } throws: { "\($0)".contains("truncated") }
        #expect { try run([0x80, 2, 0x63] + Array("os\nsystem\n".utf8) + [0x29, 0x52, 0x2E]) } throws: { "\($0)".contains("os.system") }
    }
}
