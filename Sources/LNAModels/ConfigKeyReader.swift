import LNAFormats

/// Reads the keys of one JSON object of a `config.json` and remembers which were read, so that decoding can
/// end by refusing every key nobody read (`rejectUnread`). Errors are one line naming the file, the key, the
/// value found and what was expected.
///
/// ```swift
/// let keys = ConfigKeyReader(object, source: "m/config.json")
/// let layers = try keys.int("num_hidden_layers", in: ConfigLimits.layers)
/// try keys.rejectUnread(inert: ConfigKeyReader.inertKeys, family: "llama")
/// ```
final class ConfigKeyReader {
    let object: JSONObject
    /// File path, with `:text_config` when reading a nested text model.
    let source: String
    private(set) var read: Set<String> = []

    init(_ object: JSONObject, source: String) {
        self.object = object
        self.source = source
    }

    /// The raw value of `key` (nil when absent), marking it read. JSON `null` is returned as `.null`.
    func raw(_ key: String) -> JSONValue? {
        read.insert(key)
        return object[key]
    }

    /// The value of `key` when present and not null.
    func present(_ key: String) -> JSONValue? {
        guard let value = raw(key), !value.isNull else { return nil }
        return value
    }

    func contains(_ key: String) -> Bool { object[key].map { !$0.isNull } ?? false }

    func fail(_ key: String, _ value: JSONValue?, _ expected: String) -> ModelError {
        ModelError.configValue(file: source, key: key, value: value.map(Self.shortText) ?? "absent", expected: expected)
    }

    /// An integer within `range`; `fallback` (transformers' default) when absent or null, else an error.
    func int(_ key: String, in range: ClosedRange<Int>, default fallback: Int? = nil) throws -> Int {
        guard let value = present(key) else {
            if let fallback { return fallback }
            throw fail(key, raw(key), "an integer in \(range.lowerBound)...\(range.upperBound) (no default for this model type)")
        }
        guard let int = Self.exactInt(value), range.contains(int) else {
            throw fail(key, value, "an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return int
    }

    func optionalInt(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        contains(key) ? try int(key, in: range) : { _ = raw(key); return nil }()
    }

    /// A finite number within `range`.
    func double(_ key: String, in range: ClosedRange<Double>, default fallback: Double? = nil) throws -> Double {
        guard let value = present(key) else {
            if let fallback { return fallback }
            throw fail(key, raw(key), "a number in \(range.lowerBound)...\(range.upperBound) (no default for this model type)")
        }
        guard let double = value.doubleValue, double.isFinite, range.contains(double) else {
            throw fail(key, value, "a finite number in \(range.lowerBound)...\(range.upperBound)")
        }
        return double
    }

    func optionalDouble(_ key: String, in range: ClosedRange<Double>) throws -> Double? {
        contains(key) ? try double(key, in: range) : { _ = raw(key); return nil }()
    }

    func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let value = present(key) else { return fallback }
        guard let bool = value.boolValue else { throw fail(key, value, "true or false") }
        return bool
    }

    func optionalString(_ key: String) throws -> String? {
        guard let value = present(key) else { return nil }
        guard let string = value.stringValue else { throw fail(key, value, "a string") }
        return string
    }

    func optionalDoubleArray(_ key: String, maxCount: Int) throws -> [Double]? {
        guard let value = present(key) else { return nil }
        guard let array = value.arrayValue, array.count <= maxCount else {
            throw fail(key, value, "an array of at most \(maxCount) numbers")
        }
        return try array.map { element in
            guard let d = element.doubleValue, d.isFinite else { throw fail(key, value, "an array of finite numbers") }
            return d
        }
    }

    /// Token ids: an integer, a list of integers, or null.
    func tokenIDs(_ key: String) throws -> [Int] {
        guard let value = present(key) else { return [] }
        if let id = Self.exactInt(value) { return [id] }
        guard let array = value.arrayValue, array.count <= 1024 else { throw fail(key, value, "a token id or a list of ids") }
        return try array.map { element in
            guard let id = Self.exactInt(element) else { throw fail(key, value, "a token id or a list of ids") }
            return id
        }
    }

    /// Marks keys whose value never changes the forward as read.
    func accept(_ keys: Set<String>) {
        for key in object.keys where keys.contains(key) { read.insert(key) }
    }

    /// Throws for the first key that was not read: a key lna does not understand may change the forward.
    func rejectUnread(modelType: String) throws {
        guard let key = object.keys.first(where: { !read.contains($0) }) else { return }
        throw ModelError.configValue(
            file: source, key: key, value: Self.shortText(object[key] ?? .null),
            expected: "a key lna understands for model_type \(modelType) (it may change the forward, so lna refuses to guess)")
    }

    /// An integer, also from an integral float, never from a non-finite or fractional one.
    static func exactInt(_ value: JSONValue) -> Int? {
        switch value {
        case let .int(v): return v
        case let .double(v): return v.isFinite && v.rounded() == v && abs(v) < 9.0e15 && !(v == 0 && v.sign == .minus) ? Int(v) : nil
        default: return nil
        }
    }

    /// The value as compact JSON, cut to 60 characters for a one-line message.
    static func shortText(_ value: JSONValue) -> String {
        let text = value.description.split(whereSeparator: \.isNewline).joined(separator: " ")
        return text.count > 60 ? String(text.prefix(57)) + "…" : text
    }

    /// Keys that never change the forward of a decoder at inference: bookkeeping, token ids, training-only
    /// settings (dropout, initialisation), generation defaults and caching hints.
    static let inertKeys: Set<String> = [
        "architectures", "dtype", "torch_dtype", "transformers_version", "_name_or_path", "name_or_path",
        "bos_token_id", "eos_token_id", "pad_token_id", "sep_token_id", "decoder_start_token_id",
        "use_cache", "cache_implementation", "initializer_range", "initializer_factor",
        "attention_dropout", "hidden_dropout", "embd_pdrop", "resid_pdrop", "dropout", "attn_pdrop",
        "output_attentions", "output_hidden_states", "return_dict", "use_return_dict", "torchscript",
        "id2label", "label2id", "problem_type", "finetuning_task", "prefix", "task_specific_params",
        "tokenizer_class", "auto_map", "_commit_hash", "_attn_implementation_autoset", "tf_legacy_loss",
        "use_bfloat16", "pruned_heads", "chunk_size_feed_forward", "pretraining_tp",
        "max_length", "min_length", "do_sample", "early_stopping", "num_beams", "num_beam_groups",
        "diversity_penalty", "temperature", "top_k", "top_p", "typical_p", "repetition_penalty",
        "length_penalty", "no_repeat_ngram_size", "encoder_no_repeat_ngram_size", "bad_words_ids",
        "num_return_sequences", "output_scores", "return_dict_in_generate", "forced_bos_token_id",
        "forced_eos_token_id", "remove_invalid_values", "exponential_decay_length_penalty", "suppress_tokens",
        "begin_suppress_tokens",
        // nanotron exports (SmolLM2): transformers reads neither; its llama RoPE is rotate-half whatever they say.
        "is_llama_config", "rope_interleaved",
    ]
}

/// Sane bounds for configuration values, checked before anything is sized by them. They are far above every
/// released model (Llama 3.1 405B: 126 layers, d = 16384, f = 53248, 128 heads; Gemma 3: 262k vocabulary) and
/// far below what could overflow a product of two of them.
enum ConfigLimits {
    static let layers = 1...1024
    static let hidden = 1...(1 << 17)
    static let intermediate = 1...(1 << 20)
    static let heads = 1...1024
    static let headDim = 1...4096
    static let vocabulary = 1...(1 << 24)
    static let positions = 1...(1 << 24)
    static let window = 1...(1 << 24)
    /// Largest value accepted for a positive real setting (RoPE θ, factors, softcaps).
    static let positiveReal: ClosedRange<Double> = Double.leastNonzeroMagnitude...1e12
    static let epsilon: ClosedRange<Double> = 0...1
}
