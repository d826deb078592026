import Foundation
import LNAFiles
import LNATestSupport
import Testing

@Suite struct AtomicFileTests {
    private struct Interrupted: Error {}

    private func folderContents(_ url: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }

    @Test func writeCreatesTheFolderAndReplacesWholeFiles() throws {
        let folder = try TestResources.temporaryDirectory("lna-files")
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("sub/out.json")
        try AtomicFile.write(Data("one".utf8), to: target)
        try AtomicFile.write("two", to: target)
        #expect(String(decoding: try Data(contentsOf: target), as: UTF8.self) == "two")
        #expect(try folderContents(target.deletingLastPathComponent()) == ["out.json"])
    }

    @Test func aThrowingProducerLeavesNoPartialFile() throws {
        let folder = try TestResources.temporaryDirectory("lna-files")
        defer { try? FileManager.default.removeItem(at: folder) }
        let fresh = folder.appendingPathComponent("fresh.bin")
        #expect(throws: Interrupted.self) {
            try AtomicFile.write(to: fresh) { out in
                try out.write([1, 2, 3])
                throw Interrupted()
            }
        }
        #expect(try folderContents(folder).isEmpty)

        // An existing file keeps its old bytes.
        let old = folder.appendingPathComponent("old.txt")
        try AtomicFile.write("old", to: old)
        #expect(throws: Interrupted.self) {
            try AtomicFile.write(to: old) { out in
                try out.write(Data("new, half written".utf8))
                throw Interrupted()
            }
        }
        #expect(String(decoding: try Data(contentsOf: old), as: UTF8.self) == "old")
        #expect(try folderContents(folder) == ["old.txt"])
    }

    @Test func streamingWriterCountsBytesAndCommitsOnce() throws {
        let folder = try TestResources.temporaryDirectory("lna-files")
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("stream.bin")
        do {
            let out = try AtomicFileWriter(target)
            try out.write([7, 8])
            try out.writeZeros(3)
            #expect(out.bytesWritten == 5)
            #expect(!FileManager.default.fileExists(atPath: target.path))   // nothing visible before commit
            try out.commit()
            try out.commit()   // a second commit is a no-op
        }
        #expect(try Data(contentsOf: target) == Data([7, 8, 0, 0, 0]))
        do { _ = try AtomicFileWriter(folder.appendingPathComponent("dropped.bin")) }   // dropped: no file
        #expect(try folderContents(folder) == ["stream.bin"])
    }

    @Test func errorsAreOneLineAndNameTheFile() throws {
        let folder = try TestResources.temporaryDirectory("lna-files")
        defer { try? FileManager.default.removeItem(at: folder) }
        let blocker = folder.appendingPathComponent("plain-file")
        try AtomicFile.write("x", to: blocker)
        let impossible = blocker.appendingPathComponent("out.json")   // parent is a file, not a folder
        let error = try #require(throws: FileWriteError.self) { try AtomicFile.write("{}", to: impossible) }
        #expect(error.path == impossible.path)
        #expect(error.description.hasPrefix(impossible.path + ": cannot write: "))
        #expect(!error.description.contains("\n"))
    }
}
