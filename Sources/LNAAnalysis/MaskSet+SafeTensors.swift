import Foundation
import LNAFormats

extension MaskSet {
    public static let safeTensorsFormat = "lna.masks/1"

    /// Writes `masks.safetensors`: per language `mask.<lang>` (I64 [n], flat indices ℓ·width + j, sorted) and
    /// `appear` (I64 [K+1]); `__metadata__` holds format, languages (comma-separated), layers, width and `extra`.
    ///
    /// ```swift
    /// try masks.writeSafeTensors(to: URL(fileURLWithPath: "out/masks.safetensors"), extra: ["lambda": "0.1"])
    /// ```
    public func writeSafeTensors(to url: URL, extra: [String: String] = [:]) throws {
        var metadata = extra
        metadata.merge(["format": Self.safeTensorsFormat, "languages": languages.joined(separator: ","),
                        "layers": String(layers), "width": String(width)]) { $1 }
        var writer = SafeTensorsWriter(metadata: metadata)
        for (k, lang) in languages.enumerated() {
            let flat = flatIndices(language: k).map(Int64.init)
            try writer.add("mask.\(lang)", flat, shape: [flat.count])
        }
        try writer.add("appear", appear.map(Int64.init), shape: [languageCount + 1])
        try createParent(of: url)
        try writer.write(to: url)
    }

    /// Reads a file written by `writeSafeTensors`.
    public static func readSafeTensors(_ url: URL) throws -> MaskSet {
        let file = try SafeTensorsFile(contentsOf: url)
        let meta = file.metadata
        guard meta["format"] == safeTensorsFormat, let names = meta["languages"], let layers = meta["layers"].flatMap(Int.init),
              let width = meta["width"].flatMap(Int.init) else {
            throw AnalysisError.format("\(url.path): __metadata__ needs format \(safeTensorsFormat), languages, layers and width")
        }
        try checkShape(layers: layers, width: width, source: url.path)
        let languages = names.split(separator: ",").map(String.init)
        let lists: [[[Int]]] = try languages.map { lang in
            let flat = try file.int64s("mask.\(lang)").map(Int.init)
            guard flat.allSatisfy({ $0 >= 0 && $0 < layers * width }) else {
                throw AnalysisError.invalidValue("\(url.path): mask.\(lang) has an index outside 0..<\(layers * width)")
            }
            return layerLists(flat: flat, layers: layers, width: width)
        }
        return try MaskSet(languages: languages, layers: layers, width: width, lists: lists, source: url.path)
    }

    /// Reads masks from `masks.json`, `masks.safetensors`, or an original `.pth`/torch.save mask file.
    public static func read(_ url: URL, languages: [String]? = nil, width: Int? = nil) throws -> MaskSet {
        guard FileManager.default.fileExists(atPath: url.path) else { throw AnalysisError.missing("\(url.path) does not exist") }
        var masks: MaskSet
        switch url.pathExtension {
        case "json": masks = try readJSON(url)
        case "safetensors": masks = try readSafeTensors(url)
        default: return try OriginalFiles.readMasks(url, languages: languages, width: width)
        }
        if let languages {
            guard languages.count == masks.languageCount else {
                throw AnalysisError.shapeMismatch("\(url.path): \(masks.languageCount) languages in the file, \(languages.count) given")
            }
            masks = try MaskSet(languages: languages, layers: masks.layers, width: masks.width, lists: masks.lists)
        }
        return masks
    }
}
