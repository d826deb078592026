import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped read-only into memory (POSIX `mmap`), so tensor data is paged in on demand and never copied.
///
/// The mapping lives as long as the object; pointers obtained from `bytes` must not outlive it.
///
/// ```swift
/// let file = try MappedFile(url)
/// let magic = file.bytes.load(as: UInt32.self)
/// ```
public final class MappedFile: @unchecked Sendable {
    // @unchecked: the mapping is read-only and immutable after init, so sharing across threads is safe.

    /// The mapped bytes (empty for an empty file).
    public let bytes: UnsafeRawBufferPointer
    /// The file's path, for error messages.
    public let path: String

    /// Maps `url` read-only. Throws `FormatError.cannotOpen` when the file cannot be opened or mapped.
    public init(_ url: URL) throws {
        path = url.path
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else {
            throw FormatError.cannotOpen(file: url.path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw FormatError.cannotOpen(file: url.path, reason: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw FormatError.cannotOpen(file: url.path, reason: "not a regular file")
        }
        let size = Int(info.st_size)
        if size == 0 {
            // mmap of length 0 fails; an empty buffer lets the parsers report "truncated at offset 0".
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let address, address != MAP_FAILED else {
            throw FormatError.cannotOpen(file: url.path, reason: "mmap failed: \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    deinit {
        if let base = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
    }

    /// File size in bytes.
    public var count: Int { bytes.count }
}
