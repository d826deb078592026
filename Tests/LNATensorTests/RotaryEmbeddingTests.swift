import Testing
import Foundation
import LNATensor

@Test(arguments: [RotaryEmbedding.Style.neox, .interleaved])
func ropeMatchesReference(style: RotaryEmbedding.Style) throws {
    let tokens = 6, heads = 3, dimension = 64
    let x = randomValues(tokens * heads * dimension, seed: 21)
    let positions = [0, 1, 2, 5000, 3, 0]   // 5000 is beyond the table: computed on the fly
    let rope = try RotaryEmbedding(headDimension: dimension, base: 10_000, style: style, capacity: 4096)
    var y = x
    rope.apply(&y, tokens: tokens, heads: heads, positions: positions)
    let expected = referenceRoPE(x, tokens: tokens, heads: heads, headDimension: dimension, positions: positions,
                                 base: 10_000, style: style)
    let difference = maxRelativeDifference(y, expected)
    print("rope \(style): max diff \(difference)")
    #expect(difference < 1e-6)
    #expect(Array(y[0..<dimension]) == Array(x[0..<dimension]))   // position 0 is the identity
}

@Test func ropeConventionsPairDifferentDimensions() throws {
    // One head of 4 dims at position 1, base 1: the first pair rotates by 1 radian, the second by 1 radian too
    // (base^0 = base^-0.5 = 1). NEOX pairs (0,2),(1,3); interleaved pairs (0,1),(2,3).
    let x: [Float] = [1, 0, 0, 0]
    for (style, partner) in [(RotaryEmbedding.Style.neox, 2), (.interleaved, 1)] {
        let rope = try RotaryEmbedding(headDimension: 4, base: 1, style: style)
        var y = x
        rope.apply(&y, tokens: 1, heads: 1, positions: [1])
        #expect(abs(y[0] - Float(Foundation.cos(1.0))) < 1e-6)
        #expect(abs(y[partner] - Float(Foundation.sin(1.0))) < 1e-6)
    }
}

@Test func partialRotaryLeavesTailUntouched() throws {
    let x = randomValues(2 * 16, seed: 22)
    let rope = try RotaryEmbedding(headDimension: 16, base: 10_000, style: .neox, rotaryDimension: 8)
    var y = x
    rope.apply(&y, tokens: 2, heads: 1, positions: [3, 4])
    let expected = referenceRoPE(x, tokens: 2, heads: 1, headDimension: 16, positions: [3, 4], base: 10_000,
                                 style: .neox, rotaryDimension: 8)
    #expect(maxRelativeDifference(y, expected) < 1e-6)
    #expect(Array(y[8..<16]) == Array(x[8..<16]))
}
