import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams bytes to a temporary file beside the destination and renames it into place on `commit()`, so a failed
/// or interrupted write never leaves a partial file. Dropping the writer without committing removes the temporary.
/// The destination's folder is created if needed. Every error is a `FileWriteError` naming the destination.
///
/// ```swift
/// let out = try AtomicFileWriter(url)
/// try out.write([1, 2, 3])
/// try out.commit()
/// ```
public final class AtomicFileWriter {
    public let destination: URL
    private let temporaryPath: String
    private var descriptor: Int32
    private var committed = false
    /// Bytes written so far.
    public private(set) var bytesWritten = 0

    public init(_ destination: URL) throws(FileWriteError) {
        self.destination = destination
        let directory = destination.deletingLastPathComponent()
        // Same folder as the destination, so rename(2) stays on one file system and is atomic.
        temporaryPath = directory.path + "/." + destination.lastPathComponent + ".tmp-" + UUID().uuidString.prefix(8)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw FileWriteError(path: destination.path, reason: "cannot create the folder: \(ErrorSentence.sentence(for: error))")
        }
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else {
            throw FileWriteError(path: destination.path, reason: "cannot create \(temporaryPath): " + Self.systemError())
        }
    }

    deinit {
        if !committed {
            if descriptor >= 0 { close(descriptor) }
            unlink(temporaryPath)
        }
    }

    public func write(_ buffer: UnsafeRawBufferPointer) throws(FileWriteError) {
        var offset = 0
        while offset < buffer.count {
            let written = posixWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw FileWriteError(path: destination.path, reason: Self.systemError())
            }
            offset += written
        }
        bytesWritten += buffer.count
        if let limit = Self.killAfterBytes, bytesWritten >= limit { kill(getpid(), SIGKILL) }
    }

    /// Testing aid: with `LNA_TEST_KILL_AFTER_BYTES=n` in the environment the process kills itself (SIGKILL)
    /// once a file being written holds n bytes, so tests can show what a run killed mid-write leaves behind.
    static let killAfterBytes: Int? = ProcessInfo.processInfo.environment["LNA_TEST_KILL_AFTER_BYTES"].flatMap(Int.init)

    public func write(_ bytes: [UInt8]) throws(FileWriteError) {
        // withUnsafeBytes rethrows untyped errors; carry the typed one out in a Result.
        try bytes.withUnsafeBytes { buffer in Result { () throws(FileWriteError) in try write(buffer) } }.get()
    }

    public func write(_ data: Data) throws(FileWriteError) {
        try data.withUnsafeBytes { buffer in Result { () throws(FileWriteError) in try write(buffer) } }.get()
    }

    /// Writes `count` zero bytes (padding).
    public func writeZeros(_ count: Int) throws(FileWriteError) {
        guard count > 0 else { return }
        try write([UInt8](repeating: 0, count: count))
    }

    /// Flushes, closes and renames the temporary file onto the destination (replacing an existing file).
    public func commit() throws(FileWriteError) {
        guard !committed else { return }
        let fd = descriptor
        descriptor = -1
        guard fsync(fd) == 0, close(fd) == 0 else {
            throw FileWriteError(path: destination.path, reason: Self.systemError())
        }
        // rename(2) replaces atomically (Foundation's replaceItemAt is unreliable on Linux).
        guard rename(temporaryPath, destination.path) == 0 else {
            throw FileWriteError(path: destination.path, reason: "rename failed: " + Self.systemError())
        }
        committed = true
    }

    private static func systemError() -> String { String(cString: strerror(errno)) }
}

/// The POSIX `write(2)` (a free function so the method of the same name does not shadow it).
private func posixWrite(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, pointer, count)
}
