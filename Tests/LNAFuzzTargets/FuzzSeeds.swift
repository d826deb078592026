import Foundation
import LNAAnalysis
import LNAFiles
import LNAFormats
import LNATokenizers

/// Small valid files of every fuzzed kind, written by lna's own writers: the fuzzers start from them and the
/// replay test checks that each still reads to a value (so a harness that stopped reaching the reader would fail).
///
/// `.pt` seeds are real `torch.save` files (lna writes none): `Tests/Fixtures/fuzz-corpus/torch/seed-*`, made by
/// `scripts/dev/make_fuzz_torch_seeds.py`.
///
/// ```swift
/// let urls = try FuzzSeeds.write(.statistics, into: corpusFolder)   // [.../seed-statistics-0]
/// ```
public enum FuzzSeeds {
    /// The shard name the index seeds point at (`FuzzHarness` puts a valid shard of this name beside the index).
    public static let shardName = "model-00001-of-00001.safetensors"

    /// Writes the seeds of `reader` as `seed-<reader>-<n>` files into `folder` and returns their URLs.
    public static func write(_ reader: FuzzReader, into folder: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let scratch = folder.appendingPathComponent(".seed-scratch-\(reader.rawValue)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let seeds = try contents(reader, scratch: scratch)
        return try seeds.enumerated().map { index, bytes in
            let url = folder.appendingPathComponent("seed-\(reader.rawValue)-\(index)")
            try Data(bytes).write(to: url)
            return url
        }
    }

    /// The seed files' bytes.
    public static func contents(_ reader: FuzzReader, scratch: URL) throws -> [[UInt8]] {
        switch reader {
        case .gguf: return [try gguf(scratch)]
        case .safetensors: return [safeTensors(), Array(safeTensorsIndex().utf8)]
        case .config: return [Array(config.utf8)]
        case .tokenizer: return try tokenizers().map { Array($0.utf8) }
        case .torch: return []
        case .statistics: return [try statistics(scratch, prefix: false), try statistics(scratch, prefix: true)]
        case .masks: return try masks(scratch)
        case .dataset: return datasets.map { Array($0.utf8) }
        }
    }

    // MARK: Model files

    static func gguf(_ scratch: URL) throws -> [UInt8] {
        var writer = GGUFWriter()
        writer["general.architecture"] = .string("llama")
        writer["llama.block_count"] = .uint32(2)
        writer["llama.rope.freq_base"] = .float32(10_000)
        writer["tokenizer.ggml.tokens"] = .array(.string, ["<s>", "a", "b"].map { .string($0) })
        writer["tokenizer.ggml.scores"] = .array(.float32, [0, -1, -2].map { .float32($0) })
        writer["general.flags"] = .array(.array, [.array(.int8, [.int8(-1)]), .array(.bool, [.bool(true)])])
        let ramp = (0..<64).map { Float($0) / 8 - 4 }
        try writer.addTensor("token_embd.weight", ramp, shape: [2, 32], type: .f32)
        try writer.addTensor("blk.0.attn_norm.weight", Array(ramp.prefix(32)), shape: [32], type: .f16)
        try writer.addTensor("blk.0.ffn_up.weight", ramp, shape: [2, 32], type: .bf16)
        try writer.addTensor("blk.0.ffn_down.weight", ramp, shape: [2, 32], type: .q8_0)
        for type in [GGUFTensorType.q4_K, .q6_K, .q4_0, .q5_K] {
            let bytes = (0..<type.typeSize).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            try writer.addRawTensor("blk.1.\(type.name).weight", bytes: bytes, shape: [1, type.blockSize], type: type)
        }
        let url = scratch.appendingPathComponent("seed.gguf")
        try writer.write(to: url)
        return Array(try Data(contentsOf: url))
    }

    static func safeTensors() -> [UInt8] {
        var writer = SafeTensorsWriter(metadata: ["format": "pt"])
        try? writer.add("model.embed_tokens.weight", (0..<12).map { Float($0) / 4 }, shape: [3, 4])
        try? writer.add("model.norm.weight", [1, 2, 3, 4], shape: [4], as: .bf16)
        try? writer.add("model.layers.0.mlp.up_proj.weight", [0.5, -0.5, 2, 8], shape: [2, 2], as: .f16)
        try? writer.add("counts", [Int64(3), -4, 5], shape: [3])
        try? writer.add("flags", [UInt8(1), 0], shape: [2], asBool: true)
        return writer.serialized()
    }

    static func safeTensorsIndex() -> String {
        let names = ["model.embed_tokens.weight", "model.norm.weight", "model.layers.0.mlp.up_proj.weight", "counts", "flags"]
        let map = names.map { "\"\($0)\": \"\(shardName)\"" }.joined(separator: ", ")
        return "{\"metadata\": {\"total_size\": 120}, \"weight_map\": {\(map)}}"
    }

    static let config = """
        {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 64, "intermediate_size": 128,
         "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2, "rms_norm_eps": 1e-05,
         "rope_theta": 10000.0, "rope_scaling": {"rope_type": "llama3", "factor": 8.0}, "tie_word_embeddings": false,
         "eos_token_id": [1, 2], "torch_dtype": "bfloat16", "sliding_window": null, "note": "caf\\u00e9 \\ud83d\\ude00"}
        """

    static func tokenizers() throws -> [String] {
        let letters = "abcdefghijklmnopqrstuvwxyz".map(String.init)
        let byteLevel = TokenizerVocabulary(
            model: .gpt2, preTokenizer: "gpt-2", tokens: ["<|endoftext|>", "Ġ"] + letters + ["Ġt", "he", "Ġthe"],
            tokenTypes: [.control] + [TokenType](repeating: .normal, count: 30),
            merges: ["Ġ t", "h e", "Ġt he"], bosID: nil, eosID: 0)
        let bytes = (0..<256).map { String(format: "<0x%02X>", $0) }
        let pieces = ["<unk>", "<s>", "</s>"] + bytes + ["▁", "▁a", "ab"] + letters
        let sentencePiece = TokenizerVocabulary(
            model: .llama, tokens: pieces, scores: (0..<pieces.count).map { -Float($0) },
            tokenTypes: [.unknown, .control, .control] + [TokenType](repeating: .byte, count: 256)
                + [TokenType](repeating: .normal, count: 3 + letters.count),
            bosID: 1, eosID: 2, unknownID: 0, addBOS: true, addSpacePrefix: true)
        return [try byteLevel.huggingFaceTokenizerJSON(), try sentencePiece.huggingFaceTokenizerJSON()]
    }

    // MARK: Files passed between machines

    static func statistics(_ scratch: URL, prefix: Bool) throws -> [UInt8] {
        let metadata = StatisticsMetadata(language: "en", dataset: "builtin", model: "tiny", layers: 2, width: 3)
        let full = ActivationCounts(overZero: [1, 0, 2, 3, 0, 1], totalTokens: 5, sumActivation: [0.5, 0, 1, 2, 0, -1])
        let statistics = try ActivationStatistics(
            metadata: metadata, full: full,
            prefix: prefix ? ActivationCounts(overZero: [0, 0, 1, 1, 0, 0], totalTokens: 2, sumActivation: [0, 0, 1, 1, 0, 0]) : nil)
        let url = scratch.appendingPathComponent("en.safetensors")
        try StatisticsFile.write(statistics, to: url)
        return Array(try Data(contentsOf: url))
    }

    static func masks(_ scratch: URL) throws -> [[UInt8]] {
        let masks = try MaskSet(languages: ["en", "zh", "fr"], layers: 2, width: 5,
                                lists: [[[0, 3], [1]], [[3], []], [[0, 4], [1, 2]]])
        let url = scratch.appendingPathComponent("masks.safetensors")
        try masks.writeSafeTensors(to: url)
        return [Array(masks.json(source: "seed").serialized().utf8), Array(try Data(contentsOf: url))]
    }

    static let datasets = [
        #"[{"lang": "English", "instruction": "Add 2 and 3.", "answers": [{"generated": "5"}]}, {"lang": "Chinese", "instruction": "二加三", "answers": [{"generated": "五"}]}]"#,
        "{\"m_query\": \"How many?\", \"response\": \"4\"}\n{\"m_query\": \"Why \\\"so\\\"?\", \"response\": \"\"}\n",
        "index_id\tcategory\ttext\n1\tscience\tWater boils at 100 °C.\n2\tsports\t\"Quoted, \"\"twice\"\"\ttext\"\n",
        "Janet has 3 ducks.\t3\nHow many legs?\t8\n",
        "first line\n\nsecond line ünïcode\n",
    ]
}
