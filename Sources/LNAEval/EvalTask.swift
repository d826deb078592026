import Foundation

/// The tasks of `lna eval`.
///
/// ```swift
/// let task = try EvalTaskKind(name: "sib200-topic")
/// task.isLogLikelihood   // true: scored by the log-likelihood of each label
/// ```
public enum EvalTaskKind: String, Codable, Sendable, CaseIterable {
    /// SIB-200 7-way topic classification, k-shot, log-likelihood of each label (acc, acc_norm).
    case sib200Topic = "sib200-topic"
    /// MGSM: grade-school maths, generated answer, numeric exact match.
    case mgsm
    /// MSVAMP: SVAMP maths problems, generated answer, numeric exact match.
    case msvamp
    /// FLORES sentences of SIB-200 translated X→en or en→X, chrF / chrF++ and output-language rate.
    case translate

    public init(name: String) throws {
        guard let kind = EvalTaskKind(rawValue: name.lowercased()) else {
            throw EvalError.invalidInput("task '\(name)': expected one of \(EvalTaskKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = kind
    }

    public var isLogLikelihood: Bool { self == .sib200Topic }

    /// The cell's headline metric.
    public var metric: String {
        switch self {
        case .sib200Topic: "acc"
        case .mgsm, .msvamp: "exact_match"
        case .translate: "chrF"
        }
    }

    /// The dataset folder below `datasets/` of the shared data.
    public var datasetFolder: String {
        switch self {
        case .sib200Topic, .translate: "sib200"
        case .mgsm: "mgsm"
        case .msvamp: "msvamp"
        }
    }
}

/// Which way `translate` goes.
public enum TranslationDirection: String, Codable, Sendable, CaseIterable {
    /// The column language into English.
    case toEnglish = "x-en"
    /// English into the column language.
    case fromEnglish = "en-x"
}

/// Everything that decides a task's prompts and how outputs are read; part of the checkpoint's fingerprint.
///
/// ```swift
/// let settings = EvalTaskSettings(task: .sib200Topic, shots: 3, limit: 50)
/// ```
public struct EvalTaskSettings: Codable, Sendable, Equatable {
    public var task: EvalTaskKind
    /// Few-shot examples per prompt (same language; SIB-200: drawn from train).
    public var shots: Int
    /// One draw of shots per language shared by all its items (instead of one draw per item, as the harness
    /// does): the instruction and shots are then a prefix common to the cell, evaluated once per cell.
    public var fixedShots: Bool
    /// Seed of the few-shot draw and of the bootstrap.
    public var seed: UInt64
    /// SIB-200 evaluation split(s): "dev", "test" or "dev+test".
    public var split: String
    /// At most this many items per language (the first ones of the split).
    public var limit: Int?
    /// mgsm/msvamp: "Step-by-Step Answer:" and the strict "The answer is" extraction first.
    public var chainOfThought: Bool
    public var direction: TranslationDirection
    /// New tokens at most for the generative tasks.
    public var maxTokens: Int

    public init(task: EvalTaskKind, shots: Int = 0, fixedShots: Bool = false, seed: UInt64 = 1234, split: String = "dev+test", limit: Int? = nil,
                chainOfThought: Bool = false, direction: TranslationDirection = .fromEnglish, maxTokens: Int? = nil) {
        self.task = task
        self.shots = shots
        self.fixedShots = fixedShots
        self.seed = seed
        self.split = split
        self.limit = limit
        self.chainOfThought = chainOfThought
        self.direction = direction
        self.maxTokens = maxTokens ?? Self.defaultMaxTokens(task, chainOfThought: chainOfThought)
    }

    /// Direct answers are a number; a chain of thought or a sentence needs room.
    public static func defaultMaxTokens(_ task: EvalTaskKind, chainOfThought: Bool) -> Int {
        switch task {
        case .sib200Topic: 1
        case .mgsm, .msvamp: chainOfThought ? 192 : 24
        case .translate: 128
        }
    }

    /// Where generation stops (the output is cut before the first of these).
    public var stopStrings: [String] {
        switch task {
        case .sib200Topic: []
        // The harness' `until` for MGSM; a chain of thought spans lines, so it stops at the next question only.
        case .mgsm, .msvamp: chainOfThought ? ["\n\n", "Question:"] : ["\n\n", "\n"]
        case .translate: ["\n"]
        }
    }

    public func validate() throws {
        guard shots >= 0, shots <= 64 else { throw EvalError.invalidInput("--shots \(shots): expected 0…64") }
        guard maxTokens >= 1, maxTokens <= 4096 else { throw EvalError.invalidInput("--max-tokens \(maxTokens): expected 1…4096") }
        if let limit, limit < 1 { throw EvalError.invalidInput("--limit \(limit): expected ≥ 1") }
        guard ["dev", "test", "dev+test"].contains(split) else {
            throw EvalError.invalidInput("--split \(split): expected dev, test or dev+test")
        }
    }
}

/// One prompt of a task: what the model sees and what counts as right.
public struct EvalItem: Codable, Sendable, Equatable {
    /// Stable id: "<task>/<language>/<split>/<row id>".
    public var id: String
    /// The whole prompt (few-shot examples included).
    public var prompt: String
    /// The start of `prompt` that every item of its language shares (instruction, fixed shots); log-likelihood
    /// scoring keeps its KV cache from one item to the next.
    public var sharedPrefix: String
    /// The gold label, answer or reference translation.
    public var gold: String
    /// Log-likelihood tasks: the label continuations (without the leading space, which is the target delimiter).
    public var choices: [String]
    /// Translation: the language the output should be in.
    public var outputLanguage: String?

    public init(id: String, prompt: String, sharedPrefix: String = "", gold: String, choices: [String] = [],
                outputLanguage: String? = nil) {
        self.id = id
        self.prompt = prompt
        self.sharedPrefix = prompt.hasPrefix(sharedPrefix) ? sharedPrefix : ""
        self.gold = gold
        self.choices = choices
        self.outputLanguage = outputLanguage
    }
}

/// Errors of `lna eval`: one line naming the input and what was expected.
public enum EvalError: Error, CustomStringConvertible, Equatable {
    case invalidInput(String)
    case checkpoint(String)
    case data(String)

    public var description: String {
        switch self {
        case let .invalidInput(m): "invalid input: \(m)"
        case let .checkpoint(m): "checkpoint: \(m)"
        case let .data(m): "data: \(m)"
        }
    }
}
