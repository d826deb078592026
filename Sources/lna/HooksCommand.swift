import ArgumentParser
import LNAHooks
import LNAModels

/// `lna hooks MODEL`: every hook point of a model with its shape.
struct HooksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hooks", abstract: "List every hook point of a model with its shape (T = positions).")
    @OptionGroup var modelArgument: ModelArgument
    @Flag(help: "Print JSON: [{\"name\":…,\"shape\":[…]}].") var json = false

    func run() throws {
        let config = try ModelInfo.config(of: modelArgument.model)
        let points = HookPoint.all(layerCount: config.layerCount, expertCount: config.expertCount).map { ($0.name, $0.site.shape(in: config)) }
        if json {
            struct Entry: Encodable { let name: String; let shape: [String] }
            print(try CLI.json(points.map { Entry(name: $0.0, shape: $0.1) }))
        } else {
            for (name, shape) in points { print("\(name.padding(toLength: 34, withPad: " ", startingAt: 0)) [\(shape.joined(separator: ", "))]") }
        }
    }
}

extension HookSite {
    /// Symbolic shape per forward call: T positions (Tₑ: those routed to the expert), S keys; the row width is
    /// `ModelConfig.width(of:)`, with the attention sites split into heads.
    func shape(in c: ModelConfig) -> [String] {
        switch self {
        case .attnQ, .attnZ: return ["T", "\(c.headCount)", "\(c.headDim)"]
        case .attnK, .attnV: return ["T", "\(c.kvHeadCount)", "\(c.headDim)"]
        case .attnPattern: return ["\(c.headCount)", "T", "S"]
        case .expertAct: return ["Tₑ", "\(c.width(of: self) ?? 0)"]
        case .embed, .residPre, .ln1Normalized, .attnOut, .residMid, .ln2Normalized, .mlpOut, .residPost, .lnFinal,
             .mlpPre, .mlpAct, .mlpPreLinear, .mlpPost, .logits, .mlpRouter:
            return ["T", "\(c.width(of: self) ?? 0)"]
        }
    }
}
