import Foundation
import LNAData
import LNATensor

/// Builds the prompts of a task for one language from the shared datasets.
///
/// ```swift
/// let items = try TaskItems.make(EvalTaskSettings(task: .sib200Topic, shots: 3, limit: 20),
///                                data: "/work/shared/datasets/sib200", language: "fr")
/// items[0].choices   // the seven SIB-200 topics
/// ```
public enum TaskItems {
    /// SIB-200's seven topics, in a fixed order (the order of the choices in every prompt).
    public static let topics = ["science/technology", "travel", "politics", "sports", "health", "entertainment", "geography"]

    public static func make(_ settings: EvalTaskSettings, data: String, language: String) throws -> [EvalItem] {
        try settings.validate()
        let items: [EvalItem]
        switch settings.task {
        case .sib200Topic: items = try topicItems(settings, data: data, language: language)
        case .mgsm, .msvamp: items = try mathItems(settings, data: data, language: language)
        case .translate: items = try translationItems(settings, data: data, language: language)
        }
        guard !items.isEmpty else { throw EvalError.data("\(data): no items for \(language)") }
        return items
    }

    // MARK: SIB-200 topic

    static let topicInstruction = "Classify the topic of each text as one of: " + topics.joined(separator: ", ") + ".\n\n"

    static func topicItems(_ settings: EvalTaskSettings, data: String, language: String) throws -> [EvalItem] {
        let code = try Language.resolve(language).code
        let train = try Dataset.sib200Examples(root: data, language: language, split: .train)
        var items: [EvalItem] = []
        for (split, row) in try evaluationRows(settings, data: data, language: language) {
            guard topics.contains(row.category) else {
                throw EvalError.data("\(data)/\(code) \(split) row \(row.indexID): unknown topic '\(row.category)'")
            }
            // Fixed shots: one draw per language (key 0), the same for every item.
            let shots = draw(settings.shots, from: train, seed: settings.seed, key: settings.fixedShots ? 0 : row.indexID)
            let examples = shots.map { "Text: \($0.text)\nTopic: \($0.category)\n\n" }.joined()
            let shared = topicInstruction + (settings.fixedShots ? examples : "")
            items.append(EvalItem(id: "sib200-topic/\(code)/\(split)/\(row.indexID)",
                                  prompt: topicInstruction + examples + "Text: \(row.text)\nTopic:", sharedPrefix: shared,
                                  gold: row.category, choices: topics))
        }
        return items
    }

    /// The evaluation rows of the settings' split(s), each with its split name, cut to the limit.
    static func evaluationRows(_ settings: EvalTaskSettings, data: String, language: String) throws -> [(String, SIB200Example)] {
        var rows: [(String, SIB200Example)] = []
        for name in settings.split.split(separator: "+").map(String.init) {
            rows += try Dataset.sib200Examples(root: data, language: language, split: try DatasetSplit.named(name)).map { (name, $0) }
        }
        return settings.limit.map { Array(rows.prefix($0)) } ?? rows
    }

    // MARK: MGSM, MSVAMP

    static func mathItems(_ settings: EvalTaskSettings, data: String, language: String) throws -> [EvalItem] {
        let format: DatasetFormat = settings.task == .mgsm ? .mgsm : .msvamp
        guard let set = try Dataset.load(path: data, format: format, languages: [language]).first else {
            throw EvalError.data("\(data): no \(settings.task.rawValue) file for \(language)")
        }
        let examples = set.examples.enumerated().compactMap { index, example in
            example.responses.first.map { (index + 1, example.instruction, $0) }
        }
        let answerCue = settings.chainOfThought ? "Step-by-Step Answer:" : "Answer:"
        var items: [EvalItem] = []
        for (row, question, answer) in examples.prefix(settings.limit ?? examples.count) {
            // No train split: the shots are other problems of the same file (never the item itself).
            let others = examples.filter { $0.0 != row }
            let shots = draw(settings.shots, from: others, seed: settings.seed, key: settings.fixedShots ? 0 : row).map { shot in
                let solution = settings.chainOfThought ? " The answer is \(shot.2)." : " \(shot.2)"
                return "Question: \(shot.1)\n\(answerCue)\(solution)\n\n"
            }.joined()
            items.append(EvalItem(id: "\(settings.task.rawValue)/\(set.language.code)/test/\(row)",
                                  prompt: shots + "Question: \(question)\n\(answerCue)", gold: answer))
        }
        return items
    }

    // MARK: translation

    static func translationItems(_ settings: EvalTaskSettings, data: String, language: String) throws -> [EvalItem] {
        let other = try Language.resolve(language)
        let english = try Language.resolve("en")
        guard other.code != english.code else { throw EvalError.invalidInput("translate: the column language must not be English") }
        let (source, target) = settings.direction == .toEnglish ? (other, english) : (english, other)
        func pairs(_ split: DatasetSplit) throws -> [(Int, String, String)] {
            let s = try Dataset.sib200Examples(root: data, language: source.code, split: split)
            let t = try Dataset.sib200Examples(root: data, language: target.code, split: split)
            guard s.map(\.indexID) == t.map(\.indexID) else {
                throw EvalError.data("\(data): the \(split.rawValue) rows of \(source.code) and \(target.code) are not parallel (index_id)")
            }
            return zip(s, t).map { ($0.indexID, $0.text, $1.text) }
        }
        let train = try pairs(.train)
        var rows: [(String, (Int, String, String))] = []
        for name in settings.split.split(separator: "+").map(String.init) {
            rows += try pairs(try DatasetSplit.named(name)).map { (name, $0) }
        }
        if let limit = settings.limit { rows = Array(rows.prefix(limit)) }
        return rows.map { split, row in
            let shots = draw(settings.shots, from: train, seed: settings.seed, key: settings.fixedShots ? 0 : row.0)
                .map { "\(source.englishName): \($0.1)\n\(target.englishName): \($0.2)\n\n" }.joined()
            return EvalItem(id: "translate/\(source.code)-\(target.code)/\(split)/\(row.0)",
                            prompt: shots + "\(source.englishName): \(row.1)\n\(target.englishName):",
                            gold: row.2, outputLanguage: target.code)
        }
    }

    // MARK: few-shot draw

    /// `count` distinct elements of `pool`, drawn by a generator seeded from (seed, key): the same item gets
    /// the same shots whatever the limit or the order of evaluation.
    static func draw<T>(_ count: Int, from pool: [T], seed: UInt64, key: Int) -> [T] {
        guard count > 0, !pool.isEmpty else { return [] }
        var generator = SplitMix64(seed: seed ^ (UInt64(bitPattern: Int64(key)) &* 0x9E37_79B9_7F4A_7C15))
        var indices = Array(pool.indices)
        let n = min(count, indices.count)
        // A partial Fisher–Yates shuffle: the first n positions are a uniform draw without replacement.
        for i in 0..<n {
            let j = i + Int(generator.next() % UInt64(indices.count - i))
            indices.swapAt(i, j)
        }
        return indices.prefix(n).map { pool[$0] }
    }
}
