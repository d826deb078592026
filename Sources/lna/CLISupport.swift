import ArgumentParser
import Foundation
import LNAAnalysis
import LNAData
import LNAFiles
import LNAHooks
import LNAModels
import LNAPipeline
import LNATensor

/// Helpers shared by the subcommands: loading a model with a message, JSON output, atomic writes.
enum CLI {
    /// Loads the model a MODEL argument names, printing what it does on stderr. `weights` (else the
    /// `LNA_WEIGHTS` environment variable, else `auto`) chooses how layer weights are kept: see `WeightStorage`.
    /// `precision` is the arithmetic of the projections; a precision this machine cannot run is refused in one line.
    static func loadModel(_ argument: String, quiet: Bool = false, weights: String? = nil,
                          precision: ArithmeticPrecision = .float32) throws -> Model {
        let start = Date()
        let choice = weights ?? ProcessInfo.processInfo.environment["LNA_WEIGHTS"] ?? "auto"
        let storage: WeightStorage
        do { storage = try WeightStorage(parsing: choice) } catch { throw ValidationError("--weights: \(error)") }
        do { try precision.checkAvailable() } catch { throw CLIError("--precision \(precision): \(error)") }
        let model = try Model.load(argument, weights: storage, precision: precision)
        if !quiet {
            let seconds = Date().timeIntervalSince(start)
            let arithmetic = precision == .float32 ? "" : ", \(precision) arithmetic"
            printError(String(format: "loaded %@ (%@, %d layers × %d neurons, %@ weights%@, %.2f GB) in %.1f s", model.name,
                              model.config.architecture, model.config.layerCount, model.config.intermediateSize,
                              model.weightStorage.rawValue, arithmetic, Double(model.residentWeightBytes) / 1e9, seconds))
        }
        return model
    }

    /// `path` made absolute against the current folder and standardised (`runs/../x` → `/home/u/x`), for JSON outputs.
    static func absolutePath(_ path: String) -> String {
        URL(fileURLWithPath: path).absoluteURL.standardizedFileURL.path
    }

    /// Prints a line on standard error.
    /// Mask languages as ISO codes where the language table knows them, so rows match the dataset's columns
    /// (`lna ppl`, `lna eval`, `lna lens`).
    static func canonicalLanguages(_ m: MaskSet) throws -> MaskSet {
        let codes = m.languages.map { (try? Language.resolve($0).code) ?? $0 }
        guard Set(codes).count == codes.count else { return m }
        return try MaskSet(languages: codes, layers: m.layers, width: m.width, lists: m.lists)
    }

    /// The masks at `path` (a masks file or run directory), languages canonicalised, checked to address this
    /// model's MLP neurons or, on a mixture of experts, its expert neurons.
    static func masksFitting(_ config: ModelConfig, path: String) throws -> MaskSet {
        let masks = try canonicalLanguages(try MaskSet.read(try RunDirectory.masksFile(for: URL(fileURLWithPath: path))))
        _ = try layout(of: config, layers: masks.layers, width: masks.width, source: path)
        return masks
    }

    /// Where `layers × width` units (masks, a steering plan) live in this model (`ModelConfig.neuronLayout`), or a
    /// one-line error naming `source` and both shapes.
    static func layout(of config: ModelConfig, layers: Int, width: Int, source: String) throws -> NeuronLayout {
        guard layers == config.layerCount else {
            throw CLIError("\(source): \(layers) layers of \(width) units, the model has \(config.layerCount) layers; use masks of this model")
        }
        do { return try config.neuronLayout(width: width, source: source) } catch { throw CLIError("\(error)") }
    }

    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Encodes a value as compact, key-sorted JSON text.
    static func json<T: Encodable>(_ value: T, pretty: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Reads a text argument or a file's contents.
    static func text(_ text: String?, file: String?) throws -> String {
        if let text { return text }
        if let file {
            do { return try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw ValidationError("cannot read \(file): \(ErrorSentence.sentence(for: error))")
            }
        }
        throw ValidationError("give --text TEXT or --file F")
    }
}

/// A thrown error that is already a complete one-line message.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
