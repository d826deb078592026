// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "lna",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lna", targets: ["lna"]),
        // What a Swift package needs to record and identify language neurons (Tests/ConsumerPackage uses them).
        .library(name: "LNAAnalysis", targets: ["LNAAnalysis"]),
        .library(name: "LNAModels", targets: ["LNAModels"]),
        .library(name: "LNARecording", targets: ["LNARecording"]),
        .library(name: "LNAData", targets: ["LNAData"]),
        .library(name: "LNATensor", targets: ["LNATensor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // System libraries (Debian: libopenblas-dev, zlib1g-dev; installed by scripts/setup.sh).
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // FreeType 2 (Debian: libfreetype-dev) for text in PNG charts; fonts come from fonts-noto-core etc.
        // HarfBuzz (Debian: libharfbuzz-dev) shapes that text first (conjuncts, marks, Arabic joining).
        .systemLibrary(name: "CFreeType", path: "Sources/CFreeType", pkgConfig: "freetype2",
                       providers: [.apt(["libfreetype-dev"])]),
        .systemLibrary(name: "CHarfBuzz", path: "Sources/CHarfBuzz", pkgConfig: "harfbuzz",
                       providers: [.apt(["libharfbuzz-dev"])]),

        // Output files written atomically (temp file + rename) and the one JSON writer. Foundation only, so every
        // module (including the Foundation-only ones) writes files and JSON the same way.
        .target(name: "LNAFiles"),
        // The float32 hot kernels in C, compiled for AVX-512, AVX2+FMA and plain x86-64 with per-function target
        // attributes (no unsafe flags); the set is picked by CPUID when the binary loads (docs/kernels.md).
        .target(name: "CLNAKernels"),
        // Float32 buffers, kernels (GEMM, norms, RoPE, activations), threading, the kernel-set choice.
        .target(name: "LNATensor", dependencies: ["CLNAKernels", "COpenBLAS"]),
        // Model and data files: GGUF, safetensors, PyTorch .pt (pickle), dequantisation.
        .target(name: "LNAFormats", dependencies: ["LNAFiles"]),
        // Tokenizers: SentencePiece-style BPE, byte-level BPE, tokenizer.json. Foundation only.
        .target(name: "LNATokenizers", dependencies: ["LNAFiles"]),
        // Hook points, interventions as data, observers.
        .target(name: "LNAHooks"),
        // Architectures, weight loading, forward, generation, scoring.
        .target(name: "LNAModels", dependencies: ["LNATensor", "LNAFormats", "LNATokenizers", "LNAHooks", "LNAFiles"]),
        // Neuron statistics, identification, AutoSweep, masks, classes. Needs no model.
        .target(name: "LNAAnalysis", dependencies: ["LNAFormats", "LNAFiles"]),
        // Datasets (NJUNLP JSON, MGSM, SIB-200, MSVAMP, text, JSON lines), the language table, the built-in corpus.
        .target(name: "LNAData"),
        // Language identification of outputs: Unicode scripts plus a character n-gram model.
        .target(name: "LNALangID", dependencies: ["CZlib", "LNAData", "LNAFiles"]),
        // Activation recording: per-language neuron statistics from a model over a dataset (shards, resume).
        .target(name: "LNARecording", dependencies: ["LNAModels", "LNAHooks", "LNAAnalysis", "LNAData", "LNATensor", "LNAFiles"]),
        // Masked perplexity grids: deactivate one language's neurons, score every language.
        .target(name: "LNAPerplexity", dependencies: ["LNAModels", "LNAHooks", "LNATensor", "LNAAnalysis", "LNAFiles"]),
        // Steering by language arithmetics, amplification and progressive deactivation.
        .target(name: "LNASteering", dependencies: ["LNAModels", "LNAHooks", "LNAAnalysis", "LNAData", "LNALangID", "LNAReport", "LNAFiles"]),
        // Task accuracy under interventions (`lna eval`): SIB-200 topics, MGSM, MSVAMP, translation with chrF.
        .target(name: "LNAEval",
                dependencies: ["LNAModels", "LNAHooks", "LNATensor", "LNAAnalysis", "LNAData", "LNAPerplexity", "LNASteering", "LNAFiles"]),
        // Latent language by logit lens (`lna lens`): translation prompts from a parallel word list, decoded per layer.
        .target(name: "LNALens",
                dependencies: ["LNAModels", "LNAHooks", "LNAData", "LNALangID", "LNAAnalysis", "LNATensor", "LNATokenizers", "LNAFiles"]),
        // The whole pipeline (`lna run`) and the HTML report of a run directory.
        .target(name: "LNAPipeline",
                dependencies: ["LNAPerplexity", "LNASteering", "LNAEval", "LNALens", "LNAReport", "LNAAnalysis",
                               "LNAData", "LNAFiles", "LNAModels", "LNAFormats"]),
        // PNG/SVG charts and the HTML report. Knows nothing about models.
        .target(name: "LNAReport", dependencies: ["CZlib", "CFreeType", "CHarfBuzz", "LNAFiles"]),
        // The command-line tool: one file per subcommand.
        .executableTarget(
            name: "lna",
            dependencies: [
                "LNAModels", "LNAAnalysis", "LNAReport", "LNAData", "LNALangID", "LNATokenizers", "LNAHooks",
                "LNARecording", "LNAPerplexity", "LNASteering", "LNAEval", "LNALens", "LNAPipeline", "LNAFiles", "LNAFormats", "LNATensor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Shared test helpers: where shared/ and the models are, CI-aware requirement checks.
        .target(name: "LNATestSupport", path: "Tests/LNATestSupport"),
        // Every file reader driven from one byte string: the fuzzers (scripts/fuzz.sh, built with swiftc) and the
        // replay test run the same code. No unsafe flags: scripts/fuzz.sh adds the sanitizers itself.
        .target(name: "LNAFuzzTargets", dependencies: ["LNAFormats", "LNATokenizers", "LNAAnalysis", "LNAData", "LNAFiles"],
                path: "Tests/LNAFuzzTargets"),
        .testTarget(name: "LNAFilesTests", dependencies: ["LNAFiles", "LNATestSupport"]),
        .testTarget(name: "LNATensorTests", dependencies: ["LNATensor", "CLNAKernels", "LNAFormats"]),
        .testTarget(name: "LNAFormatsTests", dependencies: ["LNAFormats", "LNATestSupport"]),
        .testTarget(name: "LNATokenizersTests",
                    dependencies: ["LNATokenizers", "LNAFormats", "LNAModels", "LNAData", "LNARecording", "LNATestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "LNAModelsTests",
                    dependencies: ["LNAModels", "LNAFormats", "LNAHooks", "LNATensor", "LNATokenizers", "LNATestSupport"]),
        .testTarget(name: "LNAAnalysisTests", dependencies: ["LNAAnalysis", "LNAFormats", "LNAFiles", "LNATensor", "LNATestSupport"]),
        .testTarget(name: "LNADataTests", dependencies: ["LNAData", "LNATestSupport"]),
        .testTarget(name: "LNALangIDTests", dependencies: ["LNALangID", "LNAData", "LNATestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "LNARecordingTests",
                    dependencies: ["LNARecording", "LNAModels", "LNAHooks", "LNAAnalysis", "LNAData", "LNAFiles", "LNATestSupport"]),
        .testTarget(name: "LNAPerplexityTests",
                    dependencies: ["LNAPerplexity", "LNAModels", "LNAAnalysis", "LNAHooks", "LNAFiles", "LNATestSupport"]),
        .testTarget(name: "LNASteeringTests", dependencies: ["LNASteering", "LNAHooks", "LNAAnalysis", "LNAReport", "LNAFiles"]),
        .testTarget(name: "LNAEvalTests", dependencies: ["LNAEval", "LNAModels", "LNAAnalysis", "LNAHooks", "LNASteering", "LNATestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "LNALensTests", dependencies: ["LNALens", "LNAModels", "LNAHooks", "LNAData", "LNATestSupport"]),
        .testTarget(name: "LNAPipelineTests",
                    dependencies: ["LNAPipeline", "LNAAnalysis", "LNAPerplexity", "LNAReport", "LNASteering", "LNAModels",
                                   "LNAFormats", "LNATokenizers", "LNARecording", "LNAData", "LNATestSupport"]),
        .testTarget(name: "LNAReportTests", dependencies: ["LNAReport", "CZlib"], exclude: ["Fixtures"]),
        .testTarget(name: "LNACLITests", dependencies: ["LNATestSupport", "LNAFormats", "LNAAnalysis", "LNATensor"]),
        .testTarget(name: "LNAFuzzReplayTests", dependencies: ["LNAFuzzTargets", "LNATestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
