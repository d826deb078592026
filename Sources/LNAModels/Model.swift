import Foundation
import LNAFormats
import LNAHooks
import LNATensor
import LNATokenizers

/// A loaded model ready to run: configuration, packed weights and (for model files that carry one) its
/// tokenizer. One decoder forward follows every architecture's block recipe; hooks observe and edit its tensors.
///
/// ```swift
/// let model = try Model.load("gemma3-270m")
/// let ids = model.tokenizer.encode("Hallo Welt")
/// let out = try model.forward(TokenBatch(ids), logits: .lastOfEachSequence)
/// ```
public final class Model: @unchecked Sendable {
    public let config: ModelConfig
    /// Where the weights came from.
    public let url: URL
    /// The known model name (`gemma3-270m`) or the file name.
    public let name: String
    /// Storage types of the source tensors, with counts (`Q5_0: 81`).
    public let tensorTypes: [String: Int]
    /// Tensors of the checkpoint deliberately left unread, counted by group (a multimodal Gemma 3's
    /// `vision_tower.*` and `multi_modal_projector.*`); every other tensor is read or the load fails.
    public let ignoredTensors: [String: Int]
    /// The model's own tokenizer (from GGUF metadata or `tokenizer.json`).
    public let tokenizer: Tokenizer
    /// How the layer weights are kept (`resident`, `bf16` or `streamed`; never `auto`).
    public var weightStorage: WeightStorage { layers.storage }
    /// The arithmetic of the layers' projections (q/k/v/o, gate/up/down, experts) and, for `bf16`, of the LM head
    /// too. Attention and norms compute in float32 at every precision; int8 keeps a float32 LM head.
    public var precision: ArithmeticPrecision { layers.precision }
    /// Bytes of packed layer weights kept between forward calls (0 when streamed).
    public var residentWeightBytes: Int { layers.residentBytes }
    let layers: LayerStore
    let embedding: EmbeddingTable
    let finalNorm: NormWeights
    /// The LM head, packed on first use: activation recording never pays for it (Gemma: 262,144 × 640).
    let lmHead: LazyLinear
    /// RoPE of every layer (local and global layers differ in Gemma 3); empty for the other position kinds.
    let rotary: [RotaryEmbedding]
    /// Absolute position embeddings added to the token embedding, `[rows, d]` (GPT-2's learned `wpe`, XGLM's
    /// sinusoidal table including its offset rows); empty for RoPE and ALiBi models.
    let positionTable: [Float]
    /// BLOOM's LayerNorm of the embedding.
    let embeddingNorm: NormWeights?
    /// ALiBi's slope per head (empty unless the recipe says ALiBi).
    let alibiSlopes: [Float]

    init(file: ModelFile, url: URL, tokenizer: Tokenizer, weights: WeightStorage = .auto,
         precision: ArithmeticPrecision = .float32) throws {
        try precision.checkAvailable()
        let config = file.config
        let loader = file.loader
        self.config = config
        self.url = url
        self.name = ModelLocator.knownName(of: url) ?? url.lastPathComponent
        self.tensorTypes = file.tensorTypes
        self.ignoredTensors = file.ignoredTensors
        self.tokenizer = tokenizer
        // One tensor at a time: its float32 copy lives only until it is packed, its file pages are released.
        let storage = try WeightStorage.resolve(weights, file: file)
        try precision.check(loader)
        self.layers = try LayerStore(loader: loader, storage: storage,
                                     sourceIsBF16: WeightStorage.projectionsAreBF16(file), precision: precision)
        self.embedding = try EmbeddingTable(loader: loader, gguf: file.gguf, onDemand: storage != .resident)
        guard let finalNorm = try NormWeights(loader, .finalNorm, bias: .finalNormBias, layer: nil) else {
            throw ModelError.missingTensor(loader.fileName(.finalNorm, layer: nil), source: loader.sourceName)
        }
        self.finalNorm = finalNorm
        self.lmHead = LazyLinear(outputs: config.vocabularySize, inputs: config.hiddenSize,
                                 arithmetic: precision == .bf16 ? .bf16 : .float32) { rows in
            try loader.loadRows(config.tiedEmbeddings ? .tokenEmbedding : .output, rows: rows)
        }
        self.positionTable = try AbsolutePositions.table(config, loader: loader)
        self.embeddingNorm = try NormWeights(loader, .embeddingNorm, bias: .embeddingNormBias, layer: nil)
        self.alibiSlopes = config.block.positions == .alibi ? ALiBi.slopes(heads: config.headCount) : []
        // Layers with the same frequencies share one table (Gemma 3: two tables of 8 MB, not eighteen).
        var tables: [[Double]: RotaryEmbedding] = [:]
        guard let rope = config.block.positions.rope else {
            self.rotary = []
            return
        }
        self.rotary = try (0..<config.layerCount).map { l in
            let (frequencies, attentionFactor) = config.rope(layer: l)
            let key = frequencies + [attentionFactor]
            if let shared = tables[key] { return shared }
            let style: RotaryEmbedding.Style = rope.pairing == .halves ? .neox : .interleaved
            let table = try RotaryEmbedding(inverseFrequencies: frequencies, headDimension: config.headDim,
                                            style: style, capacity: min(config.contextLength, 8192),
                                            attentionFactor: attentionFactor)
            tables[key] = table
            return table
        }
    }

    /// The architectures lna runs (GGUF `general.architecture` names; HF `model_type` aliases map onto them).
    ///
    /// ```swift
    /// print(Model.supportedArchitectures)   // ["llama", "mistral", "qwen2", …]
    /// ```
    public static var supportedArchitectures: [String] { Architecture.all.map(\.name) }

    /// Loads a model from a MODEL argument: a `.gguf` path, a Hugging Face directory, or a known name.
    /// `weights` chooses how the layer weights are kept (see `WeightStorage`; `auto` keeps small models in
    /// float32 and picks a memory-saving form for models that would not fit); `precision` the arithmetic of the
    /// projections (float32, the exact default; bf16 needs AVX512_BF16 and throws without it).
    ///
    /// ```swift
    /// let model = try Model.load("gemma3-270m")
    /// let big = try Model.load("/tmp/mistral-7b-bf16", weights: .streamed)
    /// let fast = try Model.load("gemma3-270m", precision: .bf16)
    /// ```
    public static func load(_ argument: String, weights: WeightStorage = .auto,
                            precision: ArithmeticPrecision = .float32) throws -> Model {
        try load(url: ModelLocator.resolve(argument), weights: weights, precision: precision)
    }

    /// Loads a `.gguf` file or a Hugging Face directory. Give `tokenizer` to use another tokenizer than the
    /// file's own (or for weights-only checkpoints).
    ///
    /// ```swift
    /// let model = try Model.load(url: URL(fileURLWithPath: "m.gguf"), weights: .resident)
    /// ```
    /// `precision: .int8` multiplies the GGUF-quantised projections in int8 (needs AVX512_VNNI; see
    /// `ArithmeticPrecision`); everything else stays float32.
    public static func load(url: URL, tokenizer: Tokenizer? = nil, weights: WeightStorage = .auto,
                            precision: ArithmeticPrecision = .float32) throws -> Model {
        let opened = try ModelFile.open(url)
        return try Model(file: opened, url: url, tokenizer: tokenizer ?? ModelTokenizer.load(file: opened),
                         weights: weights, precision: precision)
    }
}

/// One decoder block's weights, packed for the fast path; a norm the recipe does not have is nil.
struct FastLayer: @unchecked Sendable {
    let attentionNorm: NormWeights?
    let query: Projection, key: Projection, value: Projection, attentionOutput: Projection
    let queryNorm: NormWeights?, keyNorm: NormWeights?
    let postAttentionNorm: NormWeights?
    let mlpNorm: NormWeights?
    /// The dense MLP (Qwen2-MoE's routed layers: the shared expert); nil where the recipe has none (a plain
    /// MLP's gate; a Mixtral layer).
    let gate: Projection?, up: Projection?, down: Projection?
    let postMLPNorm: NormWeights?
    /// The router and experts of a mixture-of-experts layer.
    let experts: ExpertLayer?

    /// Loads and packs layer `l` one tensor at a time, as `packing` says.
    init(loader: WeightLoader, layer l: Int, packing: ProjectionPacking) throws {
        let c = loader.config
        func packed(_ role: WeightRole, _ outputs: Int, _ inputs: Int, bias: WeightRole? = nil) throws -> Projection {
            try Projection(loader, role, layer: l, outputs: outputs, inputs: inputs, bias: bias, packing: packing)
        }
        attentionNorm = try NormWeights(loader, .attentionNorm, bias: .attentionNormBias, layer: l)
        query = try packed(.query, c.queryWidth, c.hiddenSize, bias: .queryBias)
        key = try packed(.key, c.kvWidth, c.hiddenSize, bias: .keyBias)
        value = try packed(.value, c.kvWidth, c.hiddenSize, bias: .valueBias)
        attentionOutput = try packed(.attentionOutput, c.hiddenSize, c.queryWidth, bias: .attentionOutputBias)
        queryNorm = try NormWeights(loader, .queryNorm, layer: l)
        keyNorm = try NormWeights(loader, .keyNorm, layer: l)
        postAttentionNorm = try NormWeights(loader, .postAttentionNorm, layer: l)
        mlpNorm = try NormWeights(loader, .mlpNorm, bias: .mlpNormBias, layer: l)
        // A routed layer's dense MLP is its shared expert (Qwen2-MoE), present or not.
        let routed = WeightRole.router.isPresent(in: c, layer: l)
        let (gateRole, upRole, downRole): (WeightRole, WeightRole, WeightRole) =
            routed ? (.sharedGate, .sharedUp, .sharedDown) : (.gate, .up, .down)
        func packedIfPresent(_ role: WeightRole, _ outputs: Int, _ inputs: Int, bias: WeightRole? = nil) throws -> Projection? {
            role.isPresent(in: c, layer: l) ? try packed(role, outputs, inputs, bias: bias) : nil
        }
        gate = try packedIfPresent(gateRole, c.intermediateSize, c.hiddenSize)
        up = try packedIfPresent(upRole, c.intermediateSize, c.hiddenSize, bias: .upBias)
        down = try packedIfPresent(downRole, c.hiddenSize, c.intermediateSize, bias: .downBias)
        postMLPNorm = try NormWeights(loader, .postMLPNorm, layer: l)
        experts = routed ? try ExpertLayer(loader: loader, layer: l, packing: packing) : nil
    }

    /// Bytes of the packed projections.
    var byteCount: Int {
        [query, key, value, attentionOutput].reduce(0) { $0 + $1.byteCount }
            + [gate, up, down].reduce(0) { $0 + ($1?.byteCount ?? 0) } + (experts?.byteCount ?? 0)
    }
}

/// Token embedding rows: dequantised on demand from a mapped GGUF file (no float32 copy of a 262k × 640
/// table) or, with `onDemand`, from any mapped source (the memory-saving weight storages); otherwise a dense
/// float32 table.
struct EmbeddingTable: @unchecked Sendable {
    let rowLength: Int
    private let gguf: GGUFFile?
    private let source: TensorSource?
    private let name: String
    private let dense: [Float]

    init(loader: WeightLoader, gguf: GGUFFile?, onDemand: Bool = false) throws {
        rowLength = loader.config.hiddenSize
        name = loader.fileName(.tokenEmbedding, layer: nil)
        if let gguf, loader.format == .gguf {
            self.gguf = gguf
            source = nil
            dense = []
        } else if onDemand {
            self.gguf = nil
            self.source = loader.source
            dense = []
        } else {
            self.gguf = nil
            source = nil
            dense = try loader.load(.tokenEmbedding)
        }
    }

    /// Writes the embedding of `token` into `row` (`rowLength` floats).
    func copy(token: Int, into row: UnsafeMutablePointer<Float>) throws {
        if let gguf {
            try gguf.dequantizeRow(name, row: token, into: UnsafeMutableBufferPointer(start: row, count: rowLength))
        } else if let source {
            let values = try source.dequantizeRows(name, rows: [token])
            values.withUnsafeBufferPointer { row.update(from: $0.baseAddress!, count: rowLength) }
        } else {
            dense.withUnsafeBufferPointer { row.update(from: $0.baseAddress! + token * rowLength, count: rowLength) }
        }
    }
}
