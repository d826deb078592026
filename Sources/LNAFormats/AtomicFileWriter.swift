import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams bytes to a temporary file beside the destination and renames it into place on `commit()`, so a failed
/// or interrupted write never leaves a partial file. Dropping the writer without committing removes the temporary.
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

    public init(_ destination: URL) throws {
        self.destination = destination
        let directory = destination.deletingLastPathComponent().path
        temporaryPath = directory + "/." + destination.lastPathComponent + ".tmp-" + UUID().uuidString.prefix(8)
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else {
            throw FormatError.writeFailed(file: destination.path, reason: "cannot create \(temporaryPath): "
                                          + String(cString: strerror(errno)))
        }
    }

    deinit {
        if !committed {
            if descriptor >= 0 { close(descriptor) }
            unlink(temporaryPath)
        }
    }

    public func write(_ buffer: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < buffer.count {
            let written = posixWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw FormatError.writeFailed(file: destination.path, reason: String(cString: strerror(errno)))
            }
            offset += written
        }
        bytesWritten += buffer.count
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Writes `count` zero bytes (padding).
    public func writeZeros(_ count: Int) throws {
        guard count > 0 else { return }
        try write([UInt8](repeating: 0, count: count))
    }

    /// Flushes, closes and renames the temporary file onto the destination.
    public func commit() throws {
        guard !committed else { return }
        let fd = descriptor
        descriptor = -1
        guard fsync(fd) == 0, close(fd) == 0 else {
            throw FormatError.writeFailed(file: destination.path, reason: String(cString: strerror(errno)))
        }
        guard rename(temporaryPath, destination.path) == 0 else {
            throw FormatError.writeFailed(file: destination.path, reason: "rename failed: " + String(cString: strerror(errno)))
        }
        committed = true
    }
}

/// The POSIX `write(2)` (a free function so the method of the same name does not shadow it).
private func posixWrite(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, pointer, count)
}
