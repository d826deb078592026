import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive advisory lock (`flock`) on a lock file, held while the object lives. The kernel drops it when the
/// holder exits, however it exits (SIGKILL included), so a stale lock file never blocks a later run.
///
/// Two runs that would write the same output take the same lock: the second fails at once with a one-line error
/// instead of both computing, interleaving checkpoints and racing to rename.
///
/// ```swift
/// let lock = try FileLock(URL(fileURLWithPath: "runs/x/.en.safetensors.lock"), guarding: "runs/x/en.safetensors")
/// defer { withExtendedLifetime(lock) {} }
/// ```
public final class FileLock {
    /// The lock file.
    public let url: URL
    private let descriptor: Int32

    /// Takes the lock or throws `FileWriteError` naming `guarded` (the file the lock protects) when another open
    /// lock holds it. Creates the lock file (and its folder) if needed.
    public init(_ url: URL, guarding guarded: String) throws(FileWriteError) {
        self.url = url
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw FileWriteError(path: guarded, reason: "cannot create the folder: \(error.localizedDescription)")
        }
        let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw FileWriteError(path: guarded, reason: "cannot open the lock \(url.path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let reason = busy ? "another lna process is writing it (lock \(url.path)); wait for it to finish or choose another output"
                : "cannot lock \(url.path): \(String(cString: strerror(errno)))"
            close(fd)
            throw FileWriteError(path: guarded, reason: reason)
        }
        descriptor = fd
    }

    deinit { close(descriptor) }
}
