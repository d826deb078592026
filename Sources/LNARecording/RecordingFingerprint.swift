import LNATensor

/// A digest of everything that determines a recording's numbers: model hash, site, packing, shard, data
/// (the token ids themselves, which covers data file, language, split, tokenizer and truncation). A checkpoint
/// is resumed only when its fingerprint equals the current one.
///
/// ```swift
/// let fp = RecordingFingerprint.compute(input: input, settings: settings, modelSHA256: sha, language: "en", dataset: "sib200")
/// ```
public enum RecordingFingerprint {
    /// A reduced `precision` is part of the digest (float32 adds nothing, so float32 fingerprints are those of
    /// recordings made before precisions existed).
    public static func compute(input: RecordingInput, settings: RecordingSettings, modelSHA256: String,
                               language: String, dataset: String, precision: ArithmeticPrecision = .float32) -> String {
        var hash = SHA256()
        hash.update("""
            lna.recording/1
            model_sha256=\(modelSHA256)
            language=\(language)
            dataset=\(dataset)
            site=\(settings.site)
            max_len=\(settings.maxLength)
            batch_tokens=\(settings.batchTokens)
            shard=\(settings.shard)
            sums=\(settings.recordsSums)
            prefix=\(input.hasPrefix)

            """)
        if precision != .float32 { hash.update("precision=\(precision.rawValue)\n") }
        for s in input.sequences {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(4 * s.tokens.count + 12)
            for value in [s.tokens.count, s.countsAsFull ? 1 : 0, s.prefixRows] + s.tokens {
                withUnsafeBytes(of: UInt32(truncatingIfNeeded: value).littleEndian) { bytes.append(contentsOf: $0) }
            }
            hash.update(bytes)
        }
        return hash.finalizeHex()
    }
}
