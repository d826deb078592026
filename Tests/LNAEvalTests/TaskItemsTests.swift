import Foundation
import Testing
import LNAEval
import LNATestSupport

/// Prompts built from the shared datasets; the few-shot draw; the steering language.
@Suite struct TaskItemsTests {
    @Test func topicPromptsDrawShotsFromTrainDeterministically() throws {
        guard let sib = try TestResources.shared("datasets/sib200") else { return }
        let settings = EvalTaskSettings(task: .sib200Topic, shots: 3, split: "dev", limit: 5)
        let a = try TaskItems.make(settings, data: sib.path, language: "fr")
        let b = try TaskItems.make(EvalTaskSettings(task: .sib200Topic, shots: 3, split: "dev", limit: 2), data: sib.path, language: "fr")
        #expect(a.count == 5)
        #expect(Array(a.prefix(2)) == b)   // an item's shots do not depend on the limit
        #expect(a[0].choices == TaskItems.topics && TaskItems.topics.contains(a[0].gold))
        #expect(a[0].id.hasPrefix("sib200-topic/fr/dev/"))
        #expect(a[0].prompt.components(separatedBy: "\nTopic: ").count == 4)   // three shots answered, then the item
        #expect(a[0].prompt.hasSuffix("\nTopic:"))
        let other = try TaskItems.make(EvalTaskSettings(task: .sib200Topic, shots: 3, seed: 7, split: "dev", limit: 5),
                                       data: sib.path, language: "fr")
        #expect(other[0].prompt != a[0].prompt)   // another seed, other shots
    }

    @Test func mathAndTranslationItems() throws {
        guard let mgsm = try TestResources.shared("datasets/mgsm"), let msvamp = try TestResources.shared("datasets/msvamp"),
              let sib = try TestResources.shared("datasets/sib200") else { return }
        let m = try TaskItems.make(EvalTaskSettings(task: .mgsm, shots: 2, limit: 3), data: mgsm.path, language: "de")
        #expect(m.count == 3 && m[0].prompt.hasSuffix("\nAnswer:") && m[0].prompt.components(separatedBy: "Question: ").count == 4)
        #expect(m.allSatisfy { AnswerExtraction.value($0.gold) != nil })
        let v = try TaskItems.make(EvalTaskSettings(task: .msvamp, limit: 2, chainOfThought: true), data: msvamp.path, language: "ja")
        #expect(v[0].prompt.hasSuffix("Step-by-Step Answer:") && v[0].gold.hasSuffix(".0"))
        let t = try TaskItems.make(EvalTaskSettings(task: .translate, shots: 1, split: "test", limit: 2, direction: .fromEnglish),
                                   data: sib.path, language: "zh")
        #expect(t[0].outputLanguage == "zh" && t[0].prompt.hasSuffix("\nChinese:") && t[0].id.hasPrefix("translate/en-zh/test/"))
        let back = try TaskItems.make(EvalTaskSettings(task: .translate, split: "test", limit: 2, direction: .toEnglish),
                                      data: sib.path, language: "zh")
        #expect(back[0].outputLanguage == "en" && back[0].prompt.hasPrefix("Chinese: ") && back[0].prompt.hasSuffix("\nEnglish:"))
    }

    @Test func steeringSpecifications() throws {
        let r = try SteeringSpec.request("en-1,fr+mean")
        #expect(r.deactivate == ["en"] && r.deactivation == .value(-1) && r.activate == "fr" && r.method == .additive && r.alpha == 1)
        #expect(try SteeringSpec.request("de-0").deactivation == .zero)
        let d = try SteeringSpec.request("zh+diff*2")
        #expect(d.method == .diffmean && d.alpha == 2 && d.deactivate.isEmpty)
        #expect(try SteeringSpec.request("ja=mean").method == .replacement)
        #expect(throws: EvalError.self) { try SteeringSpec.request("fr") }
        #expect(throws: EvalError.self) { try SteeringSpec.request("fr+mean,de+mean") }
        #expect(throws: EvalError.self) { try SteeringSpec.request("fr-x") }
    }
}
