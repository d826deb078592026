import Foundation
import Testing
import LNAAnalysis
import LNASteering

/// METHODS §8.6: a = (0.40, −0.10, 0.00, 1.20, 0.05), D = {1, 4} (source), A = {3} (target),
/// μ_tgt[3] = 0.25, mean of the other languages' μ[3] = 0.05.
enum Toy {
    static let a: [Float] = [0.40, -0.10, 0.00, 1.20, 0.05]

    static func masks() throws -> MaskSet {
        // One layer, width 5; languages src, tgt, x.
        try MaskSet(languages: ["src", "tgt", "x"], layers: 1, width: 5, lists: [[[1, 4]], [[3]], [[0]]])
    }

    static func means() throws -> MeanActivations {
        // μ[3]: src 0.02, tgt 0.25, x 0.08, so the mean over the languages other than tgt is 0.05.
        try MeanActivations(languages: ["src", "tgt", "x"], layers: 1, width: 5, values: [
            [0, 0, 0, 0.02, 0], [9, 9, 9, 0.25, 9], [0, 0, 0, 0.08, 0],
        ])
    }

    static func steer(_ request: SteeringRequest, generated: Bool = false) throws -> [Float] {
        let plan = try SteeringPlan.build(masks: masks(), means: means(), request: request)
        var values = a
        try plan.apply(to: &values, layer: 0, generated: generated)
        return values
    }
}

func close(_ x: [Float], _ y: [Float], _ tolerance: Float = 1e-6) -> Bool {
    x.count == y.count && zip(x, y).allSatisfy { abs($0 - $1) <= tolerance }
}

@Test func deactivationWithNegativeStrengthSetsTheSourceNeurons() throws {
    let out = try Toy.steer(SteeringRequest(deactivate: ["src"], deactivation: .value(-1)))
    #expect(out == [0.40, -1.0, 0.00, 1.20, -1.0])
}

@Test func additiveActivationAfterDeactivation() throws {
    let one = try Toy.steer(SteeringRequest(deactivate: ["src"], deactivation: .value(-1), activate: "tgt",
                                            method: .additive, alpha: 1))
    #expect(close(one, [0.40, -1.0, 0.00, 1.45, -1.0]))
    let two = try Toy.steer(SteeringRequest(deactivate: ["src"], activate: "tgt", method: .additive, alpha: 2))
    #expect(abs(two[3] - 1.70) < 1e-6)
}

@Test func replacementSetsTheMean() throws {
    let out = try Toy.steer(SteeringRequest(activate: "tgt", method: .replacement, alpha: 7))
    #expect(close(out, [0.40, -0.10, 0.00, 0.25, 0.05]))
}

@Test func diffmeanAddsTheDifferenceToTheOtherLanguages() throws {
    let out = try Toy.steer(SteeringRequest(deactivate: ["src"], activate: "tgt", method: .diffmean))
    #expect(close(out, [0.40, -1.0, 0.00, 1.40, -1.0]))
}

@Test func fallbackMaskAndInvert() throws {
    let mask = try Toy.steer(SteeringRequest(deactivate: ["src"], deactivation: try DeactivationKind(parsing: "mask")))
    #expect(close(mask, [0.40, 0.01, 0.00, 1.20, -0.005]))
    let invert = try Toy.steer(SteeringRequest(deactivate: ["src"], deactivation: .invert))
    #expect(close(invert, [0.40, 0.10, 0.00, 1.20, -0.05]))
    let zero = try Toy.steer(SteeringRequest(deactivate: ["src"], deactivation: .zero))
    #expect(zero == [0.40, 0, 0, 1.20, 0])
}

@Test func neuronInBothSetsEndsAtStrengthPlusBoost() throws {
    // Deactivate tgt itself and activate it: a₃ = s_d + μ = −1 + 0.25.
    let out = try Toy.steer(SteeringRequest(deactivate: ["tgt"], deactivation: .value(-1), activate: "tgt"))
    #expect(abs(out[3] - (-0.75)) < 1e-6)
}

@Test func deactivatingSeveralLanguagesUsesTheUnionOfTheirMasks() throws {
    let out = try Toy.steer(SteeringRequest(deactivate: ["src", "x"], deactivation: .zero))
    #expect(out == [0, 0, 0, 1.20, 0])
    let plan = try SteeringPlan.build(masks: Toy.masks(), means: nil,
                                      request: SteeringRequest(deactivate: ["src", "x"], deactivation: .zero))
    #expect(plan.interventions.count == 1)
    #expect(plan.editedNeurons == 3)
}

@Test func positionsSelectPromptOrGeneratedRows() throws {
    let request = SteeringRequest(deactivate: ["src"], deactivation: .zero, positions: .generated)
    #expect(try Toy.steer(request, generated: false) == Toy.a)
    #expect(try Toy.steer(request, generated: true) == [0.40, 0, 0.00, 1.20, 0])
}

@Test func amplificationScalesOnlyTheLanguageNeurons() throws {
    let plan = try SteeringPlan.amplify(masks: Toy.masks(), language: "src", factor: 5)
    var values = Toy.a
    try plan.apply(to: &values, layer: 0)
    #expect(close(values, [0.40, -0.50, 0.00, 1.20, 0.25]))
    #expect(try SteeringPlan.amplify(masks: Toy.masks(), language: "src", factor: 1).interventions.isEmpty)
    // Exclusive: neuron 1 shared with another language is left alone.
    let shared = try MaskSet(languages: ["a", "b"], layers: 1, width: 3, lists: [[[0, 1]], [[1]]])
    let exclusive = try SteeringPlan.amplify(masks: shared, language: "a", factor: 2, exclusive: true)
    var row: [Float] = [1, 1, 1]
    try exclusive.apply(to: &row, layer: 0)
    #expect(row == [2, 1, 1])
}

@Test func planBuilderRejectsBadInput() throws {
    #expect(throws: SteeringError.self) {
        _ = try SteeringPlan.build(masks: Toy.masks(), means: Toy.means(), request: SteeringRequest(deactivate: ["zz"]))
    }
    #expect(throws: SteeringError.self) {   // activation without means
        _ = try SteeringPlan.build(masks: Toy.masks(), means: nil, request: SteeringRequest(activate: "tgt"))
    }
    let wide = try MeanActivations(languages: ["tgt"], layers: 1, width: 6, values: [[0, 0, 0, 0, 0, 0]])
    #expect(throws: SteeringError.self) {
        _ = try SteeringPlan.build(masks: Toy.masks(), means: wide, request: SteeringRequest(activate: "tgt"))
    }
    let alone = try MeanActivations(languages: ["tgt"], layers: 1, width: 5, values: [[0, 0, 0, 0, 0]])
    #expect(throws: SteeringError.self) {   // diffmean needs other languages
        _ = try SteeringPlan.build(masks: Toy.masks(), means: alone,
                                   request: SteeringRequest(activate: "tgt", method: .diffmean))
    }
}

@Test func planIsCodableData() throws {
    let plan = try SteeringPlan.build(masks: Toy.masks(), means: Toy.means(),
                                      request: SteeringRequest(deactivate: ["src"], activate: "tgt", method: .diffmean, alpha: 2))
    let data = try JSONEncoder().encode(plan)
    let back = try JSONDecoder().decode(SteeringPlan.self, from: data)
    #expect(back == plan)
    #expect(plan.interventions.map(\.hook) == ["blocks.0.mlp.hook_act", "blocks.0.mlp.hook_act"])
}

@Test func deactivationKindsParse() throws {
    #expect(try DeactivationKind(parsing: "zero") == .zero)
    #expect(try DeactivationKind(parsing: "value:-1.5") == .value(-1.5))
    #expect(try DeactivationKind(parsing: "scale:0.5") == .scale(0.5))
    #expect(try DeactivationKind(parsing: "invert") == .invert)
    #expect(try DeactivationKind(parsing: "negative") == .value(-1))
    for bad in ["", "value", "value:x", "scale:nan", "zero:1", "off"] {
        #expect(throws: SteeringError.self) { _ = try DeactivationKind(parsing: bad) }
    }
}
