import Foundation
import LNAFiles
import LNAFormats

/// What a `torch.save` file of the original pipelines holds, recognised from its keys and structure.
public enum OriginalFileKind: String, Sendable {
    /// NJUNLP `{total_tokens, over_zero}` (full texts or, named `prefix.activation.*`, instruction prefixes).
    case njunlpCounts = "NJUNLP counts"
    /// Tang `{n, over_zero}` (int32; older files also `sum1..sum4`).
    case tangCounts = "Tang counts"
    /// Gurgurov `{n, over_zero, average_activations, activation_counts}`.
    case gurgurovCounts = "Gurgurov counts"
    /// A mask file: `list[K][L]` of int64 tensors (NJUNLP, Tang, Gurgurov).
    case masks = "masks"
}

/// Readers for the `.pt` files written by the original Python pipelines (NJUNLP, Tang, Gurgurov), and for
/// their directory layout `activation.<lang>.<tag>[.pt]` with `prefix.activation.<lang>.<tag>[.pt]`.
///
/// ```swift
/// let counts = try OriginalFiles.readCounts(URL(fileURLWithPath: "activation.en.Mistral-x.pt"))
/// let stats = try OriginalFiles.loadDirectory(URL(fileURLWithPath: "activations/mgsm"))
/// ```
public enum OriginalFiles {
    /// The language order of NJUNLP's `LANG_MAPPING`, also the default order of `identify`.
    public static let njunlpLanguages = ["en", "ru", "es", "fr", "de", "zh", "ja", "bn", "th", "sw"]
    /// Tang's order (LLaMA-2-7B/13B masks: 7; other shipped masks: the first 6).
    public static let tangLanguages = ["en", "zh", "fr", "es", "vi", "id", "ja"]
    /// Gurgurov's 21 languages in mask order.
    public static let gurgurovLanguages = ["bo", "mt", "it", "es", "de", "ja", "ar", "zh", "af", "nl", "fr", "pt",
                                           "ru", "ko", "hi", "tr", "pl", "sv", "da", "no", "en"]

    /// The default language order: NJUNLP's order for the codes it knows, then the others alphabetically.
    public static func defaultOrder(_ languages: [String]) -> [String] {
        let known = njunlpLanguages.filter(languages.contains)
        return known + languages.filter { !njunlpLanguages.contains($0) }.sorted()
    }

    /// Classifies an unpickled original file.
    public static func kind(of file: TorchFile) throws -> OriginalFileKind {
        let keys = Set(file.root.dictKeys)
        if keys.contains("over_zero") {
            if keys.contains("total_tokens") { return .njunlpCounts }
            if keys.contains("average_activations") { return .gurgurovCounts }
            if keys.contains("n") { return .tangCounts }
        }
        if let outer = file.root.elements, let first = outer.first?.elements,
           first.allSatisfy({ $0.tensor != nil }) || first.isEmpty {
            return .masks
        }
        let shape = file.root.dictKeys.isEmpty ? file.root.typeName : "dict with keys \(file.root.dictKeys.joined(separator: ","))"
        throw AnalysisError.format("\(file.fileName): \(shape) is none of the known original files ({total_tokens, over_zero}, {n, over_zero}, {n, over_zero, average_activations, activation_counts}, list[K][L] of tensors)")
    }

    /// Counts of one counts file, with its layer/width shape.
    public static func readCounts(_ url: URL) throws -> (counts: ActivationCounts, layers: Int, width: Int, kind: OriginalFileKind) {
        let file = try TorchFile(contentsOf: url)
        let kind = try kind(of: file)
        let root = file.root
        guard kind != .masks else { throw AnalysisError.format("\(url.path): is a mask file, not activation counts") }
        guard let tensor = root["over_zero"]?.tensor else {
            throw AnalysisError.format("\(url.path): over_zero is \(root["over_zero"]?.typeName ?? "missing"), expected a tensor")
        }
        guard tensor.shape.count == 2, tensor.shape.allSatisfy({ $0 > 0 }) else {
            throw AnalysisError.shapeMismatch("\(url.path): over_zero has shape \(tensor.shape), expected [layers, width]")
        }
        let (layers, width) = (tensor.shape[0], tensor.shape[1])
        let totalKey = kind == .njunlpCounts ? "total_tokens" : "n"
        guard let total = root[totalKey]?.intValue else {
            throw AnalysisError.format("\(url.path): \(totalKey) is \(root[totalKey]?.typeName ?? "missing"), expected an int")
        }
        let overZero = try file.int64Values(tensor)
        var sums: [Double]?
        if let sum1 = root["sum1"]?.tensor {  // Tang before 2024-12-23: Σa in float32
            guard sum1.shape == tensor.shape else { throw AnalysisError.shapeMismatch("\(url.path): sum1 has shape \(sum1.shape), over_zero \(tensor.shape)") }
            sums = try file.doubleValues(sum1)
        } else if let mean = root["average_activations"]?.tensor, let countsTensor = root["activation_counts"]?.tensor {
            guard mean.shape == tensor.shape, countsTensor.shape == tensor.shape else {
                throw AnalysisError.shapeMismatch("\(url.path): average_activations \(mean.shape) / activation_counts \(countsTensor.shape) do not match over_zero \(tensor.shape)")
            }
            let means = try file.doubleValues(mean), counts = try file.int64Values(countsTensor)
            sums = zip(means, counts).map { $0 * Double($1) }
        }
        return (ActivationCounts(overZero: overZero, totalTokens: Int64(total), sumActivation: sums), layers, width, kind)
    }

    /// A mask file as layer lists, `lists[K][L]`; languages are named by `languages` or by the original order
    /// that has this K (10 NJUNLP, 6/7 Tang, 21 Gurgurov).
    public static func readMasks(_ url: URL, languages: [String]? = nil, width: Int? = nil) throws -> MaskSet {
        let file = try TorchFile(contentsOf: url)
        guard try kind(of: file) == .masks, let outer = file.root.elements else {
            throw AnalysisError.format("\(url.path): not a mask file (expected list[K][L] of int64 tensors)")
        }
        var lists: [[[Int]]] = []
        for (k, perLayer) in outer.enumerated() {
            guard let layerValues = perLayer.elements else {
                throw AnalysisError.format("\(url.path): mask entry \(k) is \(perLayer.typeName), expected a list of per-layer tensors")
            }
            lists.append(try layerValues.enumerated().map { l, value in
                guard let t = value.tensor, t.shape.count == 1 else {
                    throw AnalysisError.format("\(url.path): mask[\(k)][\(l)] is \(value.typeName), expected a 1-D tensor")
                }
                return try file.int64Values(t).map { Int($0) }
            })
        }
        let layers = lists.map(\.count).max() ?? 0
        guard lists.allSatisfy({ $0.count == layers }) else {
            throw AnalysisError.shapeMismatch("\(url.path): languages have different layer counts \(lists.map(\.count))")
        }
        let names = try languages ?? defaultMaskLanguages(count: lists.count, source: url.path)
        guard names.count == lists.count else {
            throw AnalysisError.shapeMismatch("\(url.path): \(lists.count) mask lists but \(names.count) languages given (\(names.joined(separator: ",")))")
        }
        // Without a stated width the widest index sets it; MaskSet bounds it (an index of 2^63 − 1 must not wrap).
        let maxIndex = lists.joined().joined().max() ?? 0
        let inferredWidth = maxIndex == Int.max ? Int.max : maxIndex + 1
        return try MaskSet(languages: names, layers: layers, width: width ?? inferredWidth, lists: lists, source: url.path)
    }

    static func defaultMaskLanguages(count: Int, source: String) throws -> [String] {
        switch count {
        case 10: return njunlpLanguages
        case 7: return tangLanguages
        case 6: return Array(tangLanguages.prefix(6))
        case 21: return gurgurovLanguages
        default:
            throw AnalysisError.missing("\(source): \(count) mask lists match no known original language order; pass --languages")
        }
    }

    /// One language's files in an original activations folder.
    public struct LanguageFiles: Sendable, Equatable {
        public let language: String
        public let full: URL
        public let prefix: URL?
        /// The file-name tag after the language (e.g. `Mistral-de76…` or `train.llama-7b`).
        public let tag: String
    }

    /// Scans a folder for `activation.<lang>.<tag>` (optionally `.pt`) and `prefix.activation.<lang>.<tag>`.
    public static func scanDirectory(_ directory: URL) throws -> [LanguageFiles] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory.path) } catch {
            throw AnalysisError.io("cannot list \(directory.path): \(ErrorSentence.sentence(for: error))")
        }
        func parse(_ name: String, prefix: String) -> (String, String)? {
            guard name.hasPrefix(prefix) else { return nil }
            let rest = name.dropFirst(prefix.count)
            guard let dot = rest.firstIndex(of: ".") else { return nil }
            var tag = String(rest[rest.index(after: dot)...])
            if tag.hasSuffix(".pt") { tag.removeLast(3) }
            return (String(rest[..<dot]), tag)
        }
        var full: [String: [(URL, String)]] = [:], prefixes: [String: [(URL, String)]] = [:]
        for name in names.sorted() {
            let url = directory.appendingPathComponent(name)
            if let (lang, tag) = parse(name, prefix: "prefix.activation.") { prefixes[lang, default: []].append((url, tag)) }
            else if let (lang, tag) = parse(name, prefix: "activation.") { full[lang, default: []].append((url, tag)) }
        }
        for (lang, files) in full where files.count > 1 {
            throw AnalysisError.invalidParameter("\(directory.path): several activation files for language \(lang) (\(files.map(\.0.lastPathComponent).joined(separator: ", "))); keep one model per folder")
        }
        if let orphan = prefixes.keys.sorted().first(where: { full[$0] == nil }) {
            throw AnalysisError.missing("\(directory.path): prefix.activation file for \(orphan) has no matching activation.\(orphan).* file")
        }
        return full.keys.sorted().map { lang in
            let (url, tag) = full[lang]![0]
            let prefix = prefixes[lang]?.first(where: { $0.1 == tag })?.0 ?? prefixes[lang]?.first?.0
            return LanguageFiles(language: lang, full: url, prefix: prefix, tag: tag)
        }
    }

    /// Statistics of one language from its original files.
    public static func statistics(_ files: LanguageFiles, dataset: String = "") throws -> ActivationStatistics {
        let full = try readCounts(files.full)
        var prefixCounts: ActivationCounts?
        if let prefixURL = files.prefix {
            let prefix = try readCounts(prefixURL)
            guard prefix.layers == full.layers, prefix.width == full.width else {
                throw AnalysisError.shapeMismatch("\(prefixURL.path): prefix over_zero is \(prefix.layers) × \(prefix.width) but the full file is \(full.layers) × \(full.width)")
            }
            prefixCounts = prefix.counts
        }
        var extra = ["source": files.full.lastPathComponent, "source_kind": full.kind.rawValue]
        if let p = files.prefix { extra["prefix_source"] = p.lastPathComponent }
        let metadata = StatisticsMetadata(
            language: files.language, dataset: dataset, model: files.tag, layers: full.layers, width: full.width,
            tool: "lna \(LNAAnalysisInfo.version) import (\(full.kind.rawValue))", extra: extra)
        return try ActivationStatistics(metadata: metadata, full: full.counts, prefix: prefixCounts, source: files.full.path)
    }

    /// All languages of an original activations folder.
    public static func loadDirectory(_ directory: URL, dataset: String = "") throws -> [ActivationStatistics] {
        let files = try scanDirectory(directory)
        guard !files.isEmpty else {
            throw AnalysisError.missing("\(directory.path) holds no activation.<lang>.* files and no statistics .safetensors files")
        }
        return try files.map { try statistics($0, dataset: dataset) }
    }
}

/// Version information written into files.
public enum LNAAnalysisInfo {
    public static let version = "0.1.0"
}
