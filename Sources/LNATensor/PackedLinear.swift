/// A linear layer `y = x·Wᵀ (+ b)` whose weight is laid out once, at construction, for the chosen GEMM backend.
///
/// The weight comes in row-major `[outputs, inputs]` (PyTorch/GGUF order). For `.own` it is repacked into
/// panels of 32 outputs stored input-major (`panel[i][o]`, zero-padded to a multiple of 32 outputs), the layout
/// the AVX-512 micro-kernel streams; for `.openBLAS` it is kept row-major. Only one layout is kept: the
/// caller's buffer can be freed after construction.
///
/// Activations are row-major `[rows, inputs]` and `[rows, outputs]` float32 buffers (one row per token).
///
/// ```swift
/// let proj = try PackedLinear(weight: w, outputs: 2048, inputs: 640)          // w: [Float], 2048·640 values
/// proj.apply(x, rows: tokens, into: y)                                        // x: [tokens, 640] → y: [tokens, 2048]
/// ```
public final class PackedLinear: @unchecked Sendable {
    // @unchecked: `storage` and `bias` are written only in `init` and read-only afterwards.

    /// Number of outputs (rows of the original weight).
    public let outputs: Int
    /// Number of inputs (columns of the original weight).
    public let inputs: Int
    /// The backend the weight was laid out for.
    public let backend: GEMMBackend

    /// Output panel width of the packed layout (outputs per micro-kernel tile).
    static let panelWidth = 32
    /// Rows per micro-kernel tile.
    static let tileRows = 8

    let storage: UnsafeMutablePointer<Float>
    let storageCount: Int
    let bias: UnsafeMutablePointer<Float>?

    /// Number of 32-output panels (the last may be zero-padded).
    var panelCount: Int { (outputs + Self.panelWidth - 1) / Self.panelWidth }

    /// Builds the layer from a row-major `[outputs, inputs]` weight and an optional bias of `outputs` values.
    ///
    /// ```swift
    /// let layer = try PackedLinear(weight: UnsafeBufferPointer(start: p, count: out * inp), outputs: out, inputs: inp)
    /// ```
    public convenience init(weight: UnsafeBufferPointer<Float>, outputs: Int, inputs: Int,
                            bias: UnsafeBufferPointer<Float>? = nil, backend: GEMMBackend = .preferred) throws {
        self.init(try Layout(weight: weight, outputs: outputs, inputs: inputs, bias: bias, backend: backend))
    }

    /// Builds the layer from arrays; see `init(weight:outputs:inputs:bias:backend:)`.
    ///
    /// ```swift
    /// let layer = try PackedLinear(weight: [1, 2, 3, 4, 5, 6], outputs: 2, inputs: 3, bias: [0.5, -0.5])
    /// ```
    public convenience init(weight: [Float], outputs: Int, inputs: Int, bias: [Float]? = nil,
                            backend: GEMMBackend = .preferred) throws {
        let layout = try weight.withUnsafeBufferPointer { w in
            if let bias {
                return try bias.withUnsafeBufferPointer { b in
                    try Layout(weight: w, outputs: outputs, inputs: inputs, bias: b, backend: backend)
                }
            }
            return try Layout(weight: w, outputs: outputs, inputs: inputs, bias: nil, backend: backend)
        }
        self.init(layout)
    }

    fileprivate init(_ layout: Layout) {
        outputs = layout.outputs
        inputs = layout.inputs
        backend = layout.backend
        storage = layout.storage
        storageCount = layout.storageCount
        bias = layout.bias
    }

    /// The validated, laid-out buffers a `PackedLinear` takes ownership of.
    fileprivate struct Layout {
        let outputs: Int, inputs: Int, backend: GEMMBackend
        let storage: UnsafeMutablePointer<Float>, storageCount: Int
        let bias: UnsafeMutablePointer<Float>?

        init(weight: UnsafeBufferPointer<Float>, outputs: Int, inputs: Int, bias: UnsafeBufferPointer<Float>?,
             backend: GEMMBackend) throws {
            guard outputs > 0, inputs > 0 else {
                throw TensorError.invalidArgument(
                    "PackedLinear: outputs (\(outputs)) and inputs (\(inputs)) must be positive")
            }
            guard weight.count == outputs * inputs, let source = weight.baseAddress else {
                throw TensorError.sizeMismatch(
                    "PackedLinear: weight has \(weight.count) values, expected \(outputs) × \(inputs) = \(outputs * inputs)")
            }
            if let bias, bias.count != outputs {
                throw TensorError.sizeMismatch("PackedLinear: bias has \(bias.count) values, expected \(outputs)")
            }
            self.outputs = outputs
            self.inputs = inputs
            self.backend = backend
            let panels = (outputs + PackedLinear.panelWidth - 1) / PackedLinear.panelWidth
            storageCount = backend == .own ? panels * PackedLinear.panelWidth * inputs : outputs * inputs
            storage = allocateAligned(storageCount)
            switch backend {
            case .own: PackedLinear.pack(source, outputs: outputs, inputs: inputs, into: storage)
            case .openBLAS: storage.initialize(from: source, count: outputs * inputs)
            }
            if let bias, let b = bias.baseAddress {
                let copy = allocateAligned(outputs)
                copy.initialize(from: b, count: outputs)
                self.bias = copy
            } else {
                self.bias = nil
            }
        }
    }

    deinit {
        storage.deallocate()
        bias?.deallocate()
    }

    /// Computes `y[r, o] = Σ_i x[r, i]·W[o, i] (+ b[o])` for `r < rows`.
    ///
    /// `x` holds `rows × inputs` values, `y` room for `rows × outputs` (overwritten). Runs on the shared
    /// `ComputePool`; `rows == 1` (token generation) takes a dedicated matrix–vector path.
    ///
    /// ```swift
    /// layer.apply(x.baseAddress!, rows: 17, into: y.baseAddress!)
    /// ```
    public func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        if rows <= 0 { return }
        switch backend {
        case .openBLAS: applyOpenBLAS(x, rows: rows, into: y)
        case .own:
            if rows == 1 { applyVector(x, into: y) } else { applyMatrix(x, rows: rows, into: y) }
        }
    }

    /// Applies several layers that read the same input in one pass: `outputs[i] = layers[i](x)` (q/k/v or
    /// gate/up projections). With the own backend `x` is packed once and all layers' output panels share the
    /// pool, which balances small layers (k/v) better than separate calls; otherwise the layers run one by one.
    ///
    /// ```swift
    /// try PackedLinear.apply([wq, wk, wv], to: h, rows: T, into: [q, k, v])
    /// ```
    public static func apply(_ layers: [PackedLinear], to x: UnsafePointer<Float>, rows: Int,
                             into outputs: [UnsafeMutablePointer<Float>]) throws {
        guard layers.count == outputs.count, let first = layers.first else {
            throw TensorError.sizeMismatch("PackedLinear.apply: \(layers.count) layers for \(outputs.count) outputs")
        }
        guard layers.allSatisfy({ $0.inputs == first.inputs }) else {
            throw TensorError.sizeMismatch(
                "PackedLinear.apply: layers take \(layers.map(\.inputs)) inputs; a shared x needs one input width")
        }
        if rows <= 0 { return }
        if rows == 1 || layers.contains(where: { $0.backend != .own }) {
            for (layer, y) in zip(layers, outputs) { layer.apply(x, rows: rows, into: y) }
        } else {
            multiplyPacked(layers, x, rows: rows, into: outputs)
        }
    }

    /// Applies the layer to a tensor whose last dimension is `inputs`: `[…, inputs] → […, outputs]`.
    ///
    /// ```swift
    /// let y = try layer(Tensor(shape: [tokens, 640], storage: x))   // y.shape == [tokens, 2048]
    /// ```
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        guard let last = x.shape.last, last == inputs else {
            throw TensorError.sizeMismatch("PackedLinear: input shape \(x.shape) must end in \(inputs)")
        }
        let rows = x.count / inputs
        var y = Tensor(shape: Array(x.shape.dropLast()) + [outputs], repeating: 0)
        if rows == 0 { return y }
        x.storage.withUnsafeBufferPointer { input in
            y.storage.withUnsafeMutableBufferPointer { output in
                apply(input.baseAddress!, rows: rows, into: output.baseAddress!)
            }
        }
        return y
    }

    /// Copies row `output` of the original `[outputs, inputs]` weight into `destination` (`inputs` values).
    ///
    /// Lets a tied embedding live only once, packed as the LM head: token embeddings are read back from it.
    ///
    /// ```swift
    /// head.copyWeightRow(tokenID, into: hidden + t * d)   // embedding lookup from the packed LM head
    /// ```
    public func copyWeightRow(_ output: Int, into destination: UnsafeMutablePointer<Float>) {
        switch backend {
        case .openBLAS:
            destination.update(from: storage + output * inputs, count: inputs)
        case .own:
            let width = Self.panelWidth
            let source = storage + (output / width) * width * inputs + output % width
            for i in 0..<inputs { destination[i] = source[i * width] }
        }
    }

    /// Rearranges row-major `[outputs, inputs]` into input-major panels of `panelWidth` outputs, zero-padded.
    static func pack(_ w: UnsafePointer<Float>, outputs: Int, inputs: Int, into packed: UnsafeMutablePointer<Float>) {
        let width = panelWidth
        let panels = (outputs + width - 1) / width
        ComputePool.shared.parallelFor(count: panels) { panel in
            let destination = packed + panel * width * inputs
            let firstOutput = panel * width
            let valid = min(width, outputs - firstOutput)
            if valid < width { destination.initialize(repeating: 0, count: width * inputs) }
            for o in 0..<valid {
                let row = w + (firstOutput + o) * inputs
                for i in 0..<inputs { destination[i * width + o] = row[i] }
            }
        }
    }
}

/// Allocates `count` floats on a 64-byte (cache line, AVX-512 vector) boundary; free with `deallocate()`.
func allocateAligned(_ count: Int) -> UnsafeMutablePointer<Float> {
    UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * 4, alignment: 64).bindMemory(to: Float.self, capacity: max(1, count))
}

extension PackedLinear {
    /// Builds the layer from a weight delivered a block of rows at a time, so that only the packed copy and one
    /// block (`blockRows × inputs` floats) are ever in memory — no full row-major float32 copy next to the packed
    /// one. For large layers filled from a quantised file (the LM head: 262,144 × 640 for Gemma 3, 671 MB per
    /// float32 copy). `rows(range)` returns the row-major `[range.count, inputs]` values of those outputs.
    ///
    /// ```swift
    /// let head = try PackedLinear(outputs: vocab, inputs: d) { range in try source.dequantizeRows(name, rows: Array(range)) }
    /// ```
    public convenience init(outputs: Int, inputs: Int, backend: GEMMBackend = .preferred, blockRows: Int = 4096,
                            rows: (Range<Int>) throws -> [Float]) throws {
        guard outputs > 0, inputs > 0 else {
            throw TensorError.invalidArgument("PackedLinear: outputs (\(outputs)) and inputs (\(inputs)) must be positive")
        }
        let panels = (outputs + Self.panelWidth - 1) / Self.panelWidth
        let count = backend == .own ? panels * Self.panelWidth * inputs : outputs * inputs
        let storage = allocateAligned(count)
        do {
            try Self.forEachRowBlock(outputs: outputs, inputs: inputs, blockRows: blockRows, layer: "PackedLinear",
                                     rows: rows) { range, b in
                switch backend {
                case .own: Self.pack(b.baseAddress!, outputs: range.count, inputs: inputs,
                                     into: storage + range.lowerBound * inputs)
                case .openBLAS: (storage + range.lowerBound * inputs).initialize(from: b.baseAddress!, count: b.count)
                }
            }
        } catch {
            storage.deallocate()
            throw error
        }
        self.init(Layout(outputs: outputs, inputs: inputs, backend: backend, storage: storage, storageCount: count))
    }

    /// Fetches the `outputs` rows of a weight `blockRows` at a time (rounded to whole 32-output panels, so each block
    /// packs into panels of its own), checks each block holds `range.count × inputs` values and hands it to `pack`;
    /// shared by the block-by-block initialisers of the float32 and bf16 layers. `layer` names the caller in errors.
    static func forEachRowBlock(outputs: Int, inputs: Int, blockRows: Int, layer: String,
                                rows: (Range<Int>) throws -> [Float],
                                pack: (Range<Int>, UnsafeBufferPointer<Float>) -> Void) throws {
        let step = max(1, blockRows / panelWidth) * panelWidth
        for first in stride(from: 0, to: outputs, by: step) {
            let range = first..<min(outputs, first + step)
            let block = try rows(range)
            guard block.count == range.count * inputs else {
                throw TensorError.sizeMismatch(
                    "\(layer): rows \(range) gave \(block.count) values, expected \(range.count) × \(inputs)")
            }
            block.withUnsafeBufferPointer { pack(range, $0) }
        }
    }
}

extension PackedLinear.Layout {
    /// Takes ownership of an already laid-out weight (no bias).
    fileprivate init(outputs: Int, inputs: Int, backend: GEMMBackend, storage: UnsafeMutablePointer<Float>,
                     storageCount: Int) {
        self.outputs = outputs
        self.inputs = inputs
        self.backend = backend
        self.storage = storage
        self.storageCount = storageCount
        self.bias = nil
    }
}
