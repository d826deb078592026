// swift-tools-version:6.1
import PackageDescription

// Kernels are compiled for the host CPU (as llama.cpp builds natively): SIMD16<Float> then lowers to
// AVX-512 where the machine has it. Set LNA_PORTABLE=1 to build for a generic x86-64 instead.
import Foundation
let hostCPU: [SwiftSetting] = ProcessInfo.processInfo.environment["LNA_PORTABLE"] == "1"
    ? [] : [.unsafeFlags(["-target-cpu", "native"])]
let fast: [SwiftSetting] = hostCPU + [.unsafeFlags(["-enforce-exclusivity=unchecked"])]

let package = Package(
    name: "lna",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lna", targets: ["lna"]),
        .library(name: "LNAAnalysis", targets: ["LNAAnalysis"]),
        .library(name: "LNAModels", targets: ["LNAModels"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // System libraries (Debian: libopenblas-dev, zlib1g-dev; installed by scripts/setup.sh).
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // FreeType 2 (Debian: libfreetype-dev) for text in PNG charts; fonts come from fonts-noto-core etc.
        .systemLibrary(name: "CFreeType", path: "Sources/CFreeType", pkgConfig: "freetype2",
                       providers: [.apt(["libfreetype-dev"])]),

        // Output files written atomically (temp file + rename) and the one JSON writer. Foundation only, so every
        // module (including the Foundation-only ones) writes files and JSON the same way.
        .target(name: "LNAFiles", swiftSettings: fast),
        // Float32 buffers, kernels (GEMM, norms, RoPE, activations), threading. Depends on nothing of ours.
        .target(name: "LNATensor", dependencies: ["COpenBLAS"], swiftSettings: fast),
        // Model and data files: GGUF, safetensors, PyTorch .pt (pickle), dequantisation.
        .target(name: "LNAFormats", dependencies: ["LNATensor", "LNAFiles"], swiftSettings: fast),
        // Tokenizers: SentencePiece-style BPE, byte-level BPE, tokenizer.json. Foundation only.
        .target(name: "LNATokenizers", dependencies: ["LNAFiles"], swiftSettings: fast),
        // Hook points, interventions as data, observers.
        .target(name: "LNAHooks", dependencies: ["LNATensor"], swiftSettings: fast),
        // Architectures, weight loading, forward, generation, scoring.
        .target(name: "LNAModels", dependencies: ["LNATensor", "LNAFormats", "LNATokenizers", "LNAHooks", "LNAFiles"],
                swiftSettings: fast),
        // Neuron statistics, identification, AutoSweep, masks, classes. Needs no model.
        .target(name: "LNAAnalysis", dependencies: ["LNAFormats", "LNAFiles"], swiftSettings: fast),
        // Datasets (NJUNLP JSON, MGSM, SIB-200, MSVAMP, text, JSON lines), the language table, the built-in corpus.
        .target(name: "LNAData", swiftSettings: fast),
        // Language identification of outputs: Unicode scripts plus a character n-gram model.
        .target(name: "LNALangID", dependencies: ["LNAData", "LNAFiles"], swiftSettings: fast),
        // Activation recording: per-language neuron statistics from a model over a dataset (shards, resume).
        .target(name: "LNARecording", dependencies: ["LNAModels", "LNAAnalysis", "LNAData", "LNATensor", "LNAFiles"],
                swiftSettings: fast),
        // Masked perplexity grids: deactivate one language's neurons, score every language.
        .target(name: "LNAPerplexity", dependencies: ["LNAModels", "LNAAnalysis", "LNAData", "LNAFiles"], swiftSettings: fast),
        // Steering by language arithmetics, amplification and progressive deactivation.
        .target(name: "LNASteering", dependencies: ["LNAModels", "LNAHooks", "LNAAnalysis", "LNAData", "LNALangID", "LNAReport", "LNAFiles"],
                swiftSettings: fast),
        // Task accuracy under interventions (`lna eval`): SIB-200 topics, MGSM, MSVAMP, translation with chrF.
        .target(name: "LNAEval",
                dependencies: ["LNAModels", "LNAHooks", "LNATensor", "LNAAnalysis", "LNAData", "LNAPerplexity", "LNASteering", "LNAFiles"],
                swiftSettings: fast),
        // The whole pipeline (`lna run`) and the HTML report of a run directory.
        .target(name: "LNAPipeline",
                dependencies: ["LNARecording", "LNAPerplexity", "LNASteering", "LNAEval", "LNAReport", "LNAAnalysis", "LNAData", "LNAFiles",
                               "LNAModels", "LNAFormats"],
                swiftSettings: fast),
        // PNG/SVG charts and the HTML report. Knows nothing about models.
        .target(name: "LNAReport", dependencies: ["CZlib", "CFreeType", "LNAFiles"], swiftSettings: fast),
        // The command-line tool: one file per subcommand.
        .executableTarget(
            name: "lna",
            dependencies: [
                "LNAModels", "LNAAnalysis", "LNAReport", "LNAData", "LNALangID", "LNATokenizers", "LNAHooks",
                "LNARecording", "LNAPerplexity", "LNASteering", "LNAEval", "LNAPipeline", "LNAFiles", "LNAFormats",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: fast),

        // Shared test helpers: where shared/ and the models are, CI-aware requirement checks.
        .target(name: "LNATestSupport", dependencies: ["LNAFormats"], path: "Tests/LNATestSupport"),
        // Every file reader driven from one byte string: the fuzzers (scripts/fuzz.sh, built with swiftc) and the
        // replay test run the same code. No unsafe flags: scripts/fuzz.sh adds the sanitizers itself.
        .target(name: "LNAFuzzTargets", dependencies: ["LNAFormats", "LNATokenizers", "LNAAnalysis", "LNAData", "LNAFiles"],
                path: "Tests/LNAFuzzTargets"),
        .testTarget(name: "LNAFilesTests", dependencies: ["LNAFiles", "LNATestSupport"]),
        .testTarget(name: "LNATensorTests", dependencies: ["LNATensor", "LNATestSupport"]),
        .testTarget(name: "LNAFormatsTests", dependencies: ["LNAFormats", "LNATestSupport"]),
        .testTarget(name: "LNATokenizersTests",
                    dependencies: ["LNATokenizers", "LNAModels", "LNAData", "LNARecording", "LNATestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "LNAModelsTests", dependencies: ["LNAModels", "LNATestSupport"]),
        .testTarget(name: "LNAAnalysisTests", dependencies: ["LNAAnalysis", "LNAFiles", "LNATestSupport"]),
        .testTarget(name: "LNADataTests", dependencies: ["LNAData", "LNATestSupport"]),
        .testTarget(name: "LNALangIDTests", dependencies: ["LNALangID", "LNATestSupport"]),
        .testTarget(name: "LNARecordingTests", dependencies: ["LNARecording", "LNATestSupport"]),
        .testTarget(name: "LNAPerplexityTests", dependencies: ["LNAPerplexity", "LNATestSupport"]),
        .testTarget(name: "LNASteeringTests", dependencies: ["LNASteering", "LNAHooks", "LNATestSupport"]),
        .testTarget(name: "LNAEvalTests", dependencies: ["LNAEval", "LNAModels", "LNAAnalysis", "LNASteering", "LNATestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "LNAPipelineTests", dependencies: ["LNAPipeline", "LNATestSupport", "LNAAnalysis", "LNAModels",
                                                       "LNAFormats", "LNATokenizers", "LNARecording", "LNAData"]),
        .testTarget(name: "LNAReportTests", dependencies: ["LNAReport", "LNATestSupport"]),
        .testTarget(name: "LNACLITests", dependencies: ["LNATestSupport", "LNAFormats"]),
        .testTarget(name: "LNAFuzzReplayTests", dependencies: ["LNAFuzzTargets", "LNATestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
