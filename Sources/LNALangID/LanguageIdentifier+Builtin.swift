import CZlib
import Foundation

extension LanguageIdentifier {
    /// The built-in identifier: all 205 languages of SIB-200, trained on its train split by
    /// `scripts/dev/make_langid_builtin.sh` (`lna langid train -d ../shared/datasets/sib200-full`) and shipped in
    /// the binary as the zlib-compressed model file (`BuiltinModelData`). Decoded once per process.
    ///
    /// ```swift
    /// try LanguageIdentifier.builtin().predict("Habari ya asubuhi, rafiki yangu.").language  // "sw"
    /// try LanguageIdentifier.builtin().predict("Bon dia a tothom, com estàs avui?").language  // "cat_Latn"
    /// ```
    public static func builtin() throws(LanguageIDError) -> LanguageIdentifier {
        switch decodedBuiltin {
        case let .success(identifier): return identifier
        case let .failure(error): throw error
        }
    }

    private static let decodedBuiltin: Result<LanguageIdentifier, LanguageIDError> = {
        do throws(LanguageIDError) { return .success(try decodeBuiltin()) } catch { return .failure(error) }
    }()

    private static func decodeBuiltin() throws(LanguageIDError) -> LanguageIdentifier {
        let name = "built-in model"
        guard let compressed = Data(base64Encoded: BuiltinModelData.base64) else {
            throw .badModel(path: name, reason: "not base64")
        }
        var json = Data(count: BuiltinModelData.jsonBytes)
        var length = uLongf(BuiltinModelData.jsonBytes)
        let status = json.withUnsafeMutableBytes { (out: UnsafeMutableRawBufferPointer) -> Int32 in
            compressed.withUnsafeBytes { (input: UnsafeRawBufferPointer) -> Int32 in
                uncompress(out.bindMemory(to: Bytef.self).baseAddress, &length,
                           input.bindMemory(to: Bytef.self).baseAddress, uLong(input.count))
            }
        }
        guard status == Z_OK, Int(length) == BuiltinModelData.jsonBytes else {
            throw .badModel(path: name, reason: "zlib status \(status), \(length) of \(BuiltinModelData.jsonBytes) bytes")
        }
        return try decode(json, path: name)
    }
}
