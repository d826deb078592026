import LNAFormats

/// Where a Hugging Face checkpoint keeps its language model's tensors. Text-only checkpoints use the canonical
/// names (`model.layers.0…`, `lm_head.weight`); a multimodal Gemma 3 nests them under `language_model.model.`
/// (as released, transformers 4.5x) or `model.language_model.` (transformers 5), next to a vision tower and a
/// projector that lna deliberately does not read.
///
/// ```swift
/// let layout = try HFTensorLayout.detect(in: safetensors, multimodal: true, source: dir)
/// layout.name("model.norm.weight")   // "language_model.model.norm.weight"
/// ```
struct HFTensorLayout: Sendable, Equatable {
    /// Replaces the leading `model.` of canonical names.
    let modelPrefix: String
    /// The name of `lm_head.weight`.
    let headName: String
    /// Tensor name prefixes that are known not to belong to the language model (ignored by name).
    let ignoredPrefixes: [String]
    /// Single tensors ignored by name (a tied checkpoint's `lm_head.weight`).
    var ignoredNames: Set<String> = []
    /// A leading part of the canonical names the file leaves out (`transformer.` in the original GPT-2 and some
    /// BLOOM releases, whose tensors are `h.0.attn.c_attn.weight`).
    var omittedPrefix: String? = nil

    static let textOnly = HFTensorLayout(modelPrefix: "model.", headName: "lm_head.weight", ignoredPrefixes: [])

    static let multimodalLayouts = [
        HFTensorLayout(modelPrefix: "language_model.model.", headName: "language_model.lm_head.weight",
                       ignoredPrefixes: ["vision_tower.", "multi_modal_projector."]),
        HFTensorLayout(modelPrefix: "model.language_model.", headName: "lm_head.weight",
                       ignoredPrefixes: ["model.vision_tower.", "model.multi_modal_projector."]),
    ]

    /// The file name of a canonical tensor name.
    func name(_ canonical: String) -> String {
        if let omitted = omittedPrefix, canonical.hasPrefix(omitted) { return String(canonical.dropFirst(omitted.count)) }
        if canonical == "lm_head.weight" { return headName }
        if canonical.hasPrefix("model.") { return modelPrefix + canonical.dropFirst("model.".count) }
        return canonical
    }

    /// Whether `name` is one of the deliberately unread groups.
    func isIgnored(_ name: String) -> Bool {
        ignoredNames.contains(name) || ignoredPrefixes.contains { name.hasPrefix($0) }
    }

    /// The ignored tensors, counted per group prefix (for `lna inspect`).
    func ignoredGroups(in source: TensorSource) -> [String: Int] {
        var groups: [String: Int] = [:]
        for name in source.tensorNames {
            if let prefix = ignoredPrefixes.first(where: { name.hasPrefix($0) }) { groups[prefix + "*", default: 0] += 1 }
            if ignoredNames.contains(name) { groups[name + " (tied to the embedding)", default: 0] += 1 }
        }
        return groups
    }

    /// This layout, leaving out the first dotted component of the canonical names when the file has the
    /// embedding only under the shorter name (`wte.weight` for `transformer.wte.weight`).
    func omittingPrefixIfAbsent(embedding canonical: String, in source: TensorSource) -> HFTensorLayout {
        guard source.descriptor(name(canonical)) == nil, let dot = canonical.firstIndex(of: "."),
              canonical.hasPrefix("transformer.") else { return self }
        var layout = self
        layout.omittedPrefix = String(canonical[...dot])
        return source.descriptor(layout.name(canonical)) != nil ? layout : self
    }

    /// The layout whose embedding tensor the checkpoint has.
    static func detect(in source: TensorSource, multimodal: Bool, source name: String) throws -> HFTensorLayout {
        guard multimodal else { return .textOnly }
        let embedding = "model.embed_tokens.weight"
        if let layout = multimodalLayouts.first(where: { source.descriptor($0.name(embedding)) != nil }) { return layout }
        throw ModelError.missingTensor(multimodalLayouts.map { $0.name(embedding) }.joined(separator: " or "), source: name)
    }
}
