import Foundation
import Testing
import LNAHooks
import LNASteering

/// The plan `lna steer --json` prints and `--plan-out` writes: plain JSON (docs/file-formats.md), not Swift's
/// enum encoding, and it reads back to the same plan.
struct SteeringPlanJSONTests {
    @Test func planEncodesListsAndOperationsAsPlainJSON() throws {
        let plan = try SteeringPlan.build(masks: Toy.masks(), means: Toy.means(),
                                          request: SteeringRequest(deactivate: ["src"], deactivation: .value(-1), activate: "tgt"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(plan), as: UTF8.self)
        #expect(!text.contains("_0"), "\(text)")
        #expect(text.contains(#""neurons":[1,4]"#), "\(text)")
        #expect(text.contains(#""op":"set","value":-1"#), "\(text)")
        #expect(text.contains(#""positions":"all""#), "\(text)")
        #expect(text.contains(#""deactivation":"value:-1.0""#), "\(text)")
        #expect(try JSONDecoder().decode(SteeringPlan.self, from: Data(text.utf8)) == plan)
    }

    @Test func everyOperationRoundTrips() throws {
        let operations: [Intervention.Operation] = [.zero, .set(2), .setEach([1, 2]), .scale(-0.1), .add(0.5),
                                                    .addEach([0.25], coefficient: 2), .clamp(lo: -1, hi: 1), .invert]
        let edits = operations.map { Intervention(hook: "blocks.0.mlp.hook_act", neurons: .indices([0, 1]), positions: .positions([3]), operation: $0) }
            + [Intervention(hook: "blocks.*.mlp.hook_act", neurons: .all, positions: .generated, operation: .zero)]
        let data = try JSONEncoder().encode(edits)
        #expect(try JSONDecoder().decode([Intervention].self, from: data) == edits)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Intervention.Operation.self, from: Data(#"{"op":"explode"}"#.utf8))
        }
    }
}
