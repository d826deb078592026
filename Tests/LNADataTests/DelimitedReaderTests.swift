import Testing
import LNAData

@Suite struct DelimitedReaderTests {
    func fields(_ text: String) throws -> [[String]] {
        try DelimitedReader.records(in: Array(text.utf8)).map(\.fields)
    }

    @Test func readsPlainAndQuotedFields() throws {
        #expect(try fields("a\tb\tc\n1\t2\t3\n") == [["a", "b", "c"], ["1", "2", "3"]])
        #expect(try fields("1\tx\t\"\"\"She’s cute,\"\" he said.\"\n") == [["1", "x", "\"She’s cute,\" he said."]])
        #expect(try fields("1\t\"a\tb\"\t\"line\nbreak\"\n2\tc\td") == [["1", "a\tb", "line\nbreak"], ["2", "c", "d"]])
        #expect(try fields("a\t\t\n") == [["a", "", ""]])
        #expect(try fields("x\r\ny\n\n\nz") == [["x"], ["y"], ["z"]])
    }

    @Test func keepsAQuoteInsideAnUnquotedFieldLiterally() throws {
        #expect(try fields("5\tsaid \"hi\" twice\n") == [["5", "said \"hi\" twice"]])
    }

    @Test func recordsKeepTheirStartingLine() throws {
        let records = try DelimitedReader.records(in: Array("h\n\"multi\nline\"\nnext\n".utf8))
        #expect(records.map(\.line) == [1, 2, 4])
    }

    @Test func unclosedQuoteIsAnErrorAtItsLine() {
        #expect(throws: DelimitedReader.SyntaxError(line: 2, reason: "quoted field is never closed (missing \")")) {
            try DelimitedReader.records(in: Array("ok\n\"never closed\nmore\n".utf8))
        }
    }

    @Test func textAfterAClosingQuoteMarksOnlyThatRecord() throws {
        let records = try DelimitedReader.records(in: Array("a\n\"q\"x\tb\nc\n".utf8))
        #expect(records.count == 3)
        #expect(records[1].error != nil && records[1].line == 2)
        #expect(records[2].fields == ["c"] && records[2].line == 3)
    }

    @Test func invalidUTF8IsAnError() {
        #expect(throws: DelimitedReader.SyntaxError.self) {
            try DelimitedReader.records(in: Array("ok\n".utf8) + [0xFF, 0x0A])
        }
    }
}
