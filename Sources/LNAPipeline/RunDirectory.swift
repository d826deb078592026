import Foundation
import LNAData
import LNAAnalysis

/// The files of a run directory (see docs/report-command.md):
/// `run.json`, `activations/`, `autosweep.json`, `masks.json`/`masks.safetensors`, `figures/`, `ppl/`,
/// `steering/`, `report.html`.
///
/// ```swift
/// let run = RunDirectory(URL(fileURLWithPath: "runs/gemma"))
/// let masks = try run.loadMasks()
/// ```
public struct RunDirectory: Sendable {
    public let url: URL

    public init(_ url: URL) { self.url = url }

    public var runJSON: URL { url.appendingPathComponent("run.json") }
    public var autosweepJSON: URL { url.appendingPathComponent("autosweep.json") }
    public var masksJSON: URL { url.appendingPathComponent("masks.json") }
    public var masksSafeTensors: URL { url.appendingPathComponent("masks.safetensors") }
    public var figures: URL { url.appendingPathComponent("figures") }
    public var ppl: URL { url.appendingPathComponent("ppl") }
    public var steering: URL { url.appendingPathComponent("steering") }
    public var activations: URL { url.appendingPathComponent("activations") }
    public var report: URL { url.appendingPathComponent("report.html") }

    /// The masks of a run directory, or of a masks file given directly.
    public static func masksFile(for path: URL) throws -> URL {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isDirectory) else {
            throw PipelineError.missing("\(path.path) does not exist; give a run directory or a masks file")
        }
        guard isDirectory.boolValue else { return path }
        let run = RunDirectory(path)
        for candidate in [run.masksJSON, run.masksSafeTensors] where FileManager.default.fileExists(atPath: candidate.path) {
            return candidate
        }
        throw PipelineError.missing("\(path.path) has no masks.json or masks.safetensors; run `lna identify --out \(path.path)` first")
    }

    public static func loadMasks(_ path: URL) throws -> MaskSet { try MaskSet.read(try masksFile(for: path)) }

    public func loadMasks() throws -> MaskSet { try RunDirectory.loadMasks(url) }

    /// The run's language list from run.json ("en,zh,…" or an array), the order every figure of the run uses;
    /// nil without a readable run.json.
    public func languageOrder() -> [String]? {
        guard let data = try? Data(contentsOf: runJSON),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return nil }
        if let list = object["languages"] as? [String] { return list }
        return (object["languages"] as? String).map(LanguageLabels.list)
    }

    /// Every regular file below the directory (relative paths, sorted), hidden files excluded.
    public func fileList() -> [(path: String, bytes: Int)] {
        guard let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey],
                                                          options: [.skipsHiddenFiles]) else { return [] }
        var out: [(String, Int)] = []
        let base = url.standardizedFileURL.path
        for case let file as URL in walker {
            let values = try? file.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey])
            guard values?.isRegularFile == true else { continue }
            var relative = file.standardizedFileURL.path
            if relative.hasPrefix(base) { relative = String(relative.dropFirst(base.count)).trimmingCharacters(in: CharacterSet(charactersIn: "/")) }
            out.append((relative, values?.fileSize ?? 0))
        }
        return out.sorted { $0.0 < $1.0 }
    }
}

/// Errors of the pipeline and report commands: one line naming the file and what to do.
public enum PipelineError: Error, CustomStringConvertible, Equatable {
    case missing(String)
    case invalid(String)

    public var description: String {
        switch self {
        case .missing(let m): return "missing: \(m)"
        case .invalid(let m): return "invalid: \(m)"
        }
    }
}
