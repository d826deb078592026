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
    /// Whether `bytes` is an mmap (unmapped on deinit) or a heap copy (freed on deinit).
    private let isMapped: Bool

    /// Maps `url` read-only. Throws `FormatError.cannotOpen` when the file cannot be opened or mapped.
    public init(_ url: URL) throws {
        path = url.path
        isMapped = true
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

    /// Holds a copy of `contents` in memory as if it were a mapped file named `path`: the readers then parse
    /// bytes that never touched the disk (fuzzing, files received over a pipe).
    ///
    /// ```swift
    /// let gguf = try GGUFFile(mapped: MappedFile(copying: bytes, path: "received.gguf"))
    /// ```
    public init(copying contents: some Collection<UInt8>, path: String) {
        self.path = path
        isMapped = false
        let count = contents.count
        guard count > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        // 64-byte alignment, as a page-aligned mapping would give, so aligned loads behave the same.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 64)
        _ = buffer.initializeMemory(as: UInt8.self, from: contents)
        bytes = UnsafeRawBufferPointer(buffer)
    }

    deinit {
        guard let base = bytes.baseAddress else { return }
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }

    /// File size in bytes.
    public var count: Int { bytes.count }
}
