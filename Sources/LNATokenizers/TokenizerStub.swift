// TEMPORARY stand-in with the agreed API until the tokenizers branch lands. Delete on merge.
public final class Tokenizer: Sendable {
    public let bosID: Int?
    public let eosID: Int?
    public let addsBOS: Bool
    public init(bosID: Int?, eosID: Int?, addsBOS: Bool) { self.bosID = bosID; self.eosID = eosID; self.addsBOS = addsBOS }
    public func encode(_ text: String, addSpecial: Bool = true) -> [Int] { [] }
    public func decode(_ ids: [Int]) -> String { "" }
    public func pieces(_ ids: [Int]) -> [String] { [] }
}
