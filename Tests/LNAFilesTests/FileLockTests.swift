import Foundation
import LNAFiles
import LNATestSupport
import Testing

@Suite struct FileLockTests {
    /// A second lock on the same file fails with a one-line error naming the guarded file; after the first is
    /// released the lock can be taken again (flock locks belong to the open file, so this works in one process).
    @Test func aHeldLockRefusesASecondHolderUntilReleased() throws {
        let folder = try TestResources.temporaryDirectory("lna-lock")
        defer { try? FileManager.default.removeItem(at: folder) }
        let lockFile = folder.appendingPathComponent("sub/.out.lock")
        var first: FileLock? = try FileLock(lockFile, guarding: "out.safetensors")
        do {
            _ = try FileLock(lockFile, guarding: "out.safetensors")
            Issue.record("a second lock was granted")
        } catch {
            #expect(error.description.hasPrefix("out.safetensors: cannot write: another lna process is writing it"))
            #expect(!error.description.contains("\n"))
        }
        #expect(first != nil)
        first = nil
        let again = try FileLock(lockFile, guarding: "out.safetensors")
        #expect(again.url == lockFile)
    }
}
