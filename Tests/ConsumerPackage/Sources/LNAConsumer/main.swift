// What a Swift program built on lna's libraries looks like: identify language neurons from activation counts
// (here NJUNLP's shipped MGSM counts for Mistral-7B) and, given a model, record new counts.
//
//   swift run LNAConsumer identify ../../../shared/interop/njunlp-mgsm-mistral7b/activations
//   swift run -c release LNAConsumer record gemma3-270m fr fr.safetensors     (needs LNA_MODELS_DIR or a path)
import Foundation
import LNAAnalysis
import LNAData
import LNAModels
import LNARecording
import LNATensor

/// NJUNLP's method at top rate 1 %, λ = 0.109375 (the λ of their shipped mask folder), on a folder of counts.
func identify(_ folder: URL) throws {
    let byLanguage = Dictionary(uniqueKeysWithValues: try OriginalFiles.loadDirectory(folder).map { ($0.language, $0) })
    let statistics = try OriginalFiles.njunlpLanguages.map { language in
        guard let found = byLanguage[language] else { throw AnalysisError.invalidParameter("no counts for \(language)") }
        return found
    }
    let probabilities = try ActivationProbabilities(statistics: statistics)
    let identifier = try NeuronIdentifier(probabilities: probabilities, method: .njunlp, bar: 0.95)
    let result = try identifier.identify(topRate: 0.01, lambda: 0.109375)
    print("languages \(OriginalFiles.njunlpLanguages.joined(separator: ","))")
    print("selected \(result.selectedCount)")
    print("appear \(result.appear.map(String.init).joined(separator: ","))")
    print("mask sizes \(result.masks.sizes.map(String.init).joined(separator: ","))")
}

/// Records per-neuron counts of lna's built-in sentences of one language with a model into a statistics file.
func record(model name: String, language: String, output: URL) throws {
    let texts = Array(try BuiltinCorpus.sentences(for: language).prefix(8))
    let model = try Model.load(name)
    let recorder = ActivationRecorder(model: model, modelSHA256: try ModelDigest.sha256(of: model.url))
    let input = RecordingInput.texts(texts, maxLength: 4096) { model.tokenizer.encode($0) }
    let result = try recorder.record(input, language: language, dataset: "consumer", settings: RecordingSettings(),
                                     output: output)
    print("recorded \(result.tokensThisRun) tokens into \(output.path) with the \(KernelSet.active) kernels")
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    print("kernels \(KernelSet.summary)")
    switch arguments.first {
    case "identify" where arguments.count == 2:
        try identify(URL(fileURLWithPath: arguments[1]))
    case "record" where arguments.count == 4:
        try record(model: arguments[1], language: arguments[2], output: URL(fileURLWithPath: arguments[3]))
    default:
        print("usage: LNAConsumer identify COUNTS_FOLDER | record MODEL LANGUAGE OUTPUT")
        exit(2)
    }
} catch {
    print("error: \(error)")
    exit(1)
}
