import Foundation
import LNAFiles
import Testing

@Suite struct JSONWriterTests {
    @Test func stringsEscapeOnlyWhatJSONRequires() throws {
        let text = "q\"b\\n\nr\rt\t\u{01}\u{1f}\u{7f}/é中🙂"
        let quoted = JSONTextWriter.quoted(text)
        #expect(quoted == #""q\"b\\n\nr\rt\t\u0001\u001f"# + "\u{7f}/é中🙂\"")
        // It reads back to the same string.
        let parsed = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8)) as? [String]
        #expect(parsed == [text])
    }

    @Test func numbersUseTheShortestRoundTripDigits() {
        let doc: JSONDocument = .array([.number(1), .number(0.1), .number(-0.0), .number(123456789012345),
                                        .number(1e16), .number(2.5e-7), .number(.nan), .number(.infinity), .int(-3)])
        #expect(doc.serialized() == "[1.0,0.1,-0.0,123456789012345.0,1e+16,2.5e-07,null,null,-3]")
    }

    @Test func objectsKeepKeyOrder() {
        let doc: JSONDocument = .object([("zeta", .int(1)), ("alpha", .bool(true)), ("mid", .null),
                                         ("é", .string("x"))])
        #expect(doc.serialized() == #"{"zeta":1,"alpha":true,"mid":null,"é":"x"}"#)
    }

    @Test func prettyIndentsObjectsButKeepsNumberArraysOnOneLine() {
        let doc: JSONDocument = .object([
            ("lambda", .number(0.1)),
            ("layers", .lists([[1, 2], []])),
            ("items", .array([.object([("a", .int(1))]), .object([])])),
            ("empty", .object([])),
        ])
        let expected = """
            {
              "lambda": 0.1,
              "layers": [[1,2],[]],
              "items": [
                {
                  "a": 1
                },
                {}
              ],
              "empty": {}
            }
            """
        #expect(doc.serialized(pretty: true) == expected)
        #expect(doc.serialized() == #"{"lambda":0.1,"layers":[[1,2],[]],"items":[{"a":1},{}],"empty":{}}"#)
    }

    @Test func rawFragmentsAndStringsCompose() {
        var out = JSONTextWriter()
        out.raw("{\"vocab\":{")
        out.string("▁a\u{0}")
        out.raw(":0}}")
        #expect(out.text == #"{"vocab":{"▁a\u0000":0}}"#)
    }
}
