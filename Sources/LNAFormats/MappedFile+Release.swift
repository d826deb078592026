#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension MappedFile {
    /// Drops the pages of `range` (byte offsets into the file) from this process's resident memory.
    ///
    /// A read-only mapping's pages count in the resident set once touched; after a tensor has been converted
    /// (packed into the layout the kernels use), its bytes are dead weight. `madvise(MADV_DONTNEED)` unmaps them
    /// from the process without changing what a later read sees: the kernel re-faults them from the page cache
    /// (or the disk). The range is widened to whole pages, so neighbouring tensors may be dropped too, which is
    /// harmless for the same reason.
    ///
    /// ```swift
    /// let info = try st.requireTensor("model.layers.0.mlp.up_proj.weight")
    /// st.mappedFile.releasePages(info.fileOffset..<(info.fileOffset + info.byteCount))
    /// ```
    public func releasePages(_ range: Range<Int>) {
        guard let base = bytes.baseAddress, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = max(0, range.lowerBound) / page * page
        let end = min(count, range.upperBound)
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }
}

extension SafeTensorsFile {
    /// The memory map of this file (for `MappedFile.releasePages`).
    public var mappedFile: MappedFile { file }

    /// Drops the mapped pages of tensor `name` from the resident set (see `MappedFile.releasePages`); unknown
    /// names are ignored.
    ///
    /// ```swift
    /// let w = try st.floats(name); st.releasePages(of: name)   // the float32 copy stays, the mapped bytes go
    /// ```
    public func releasePages(of name: String) {
        guard let info = tensorInfo(name) else { return }
        file.releasePages(info.fileOffset..<(info.fileOffset + info.byteCount))
    }
}

extension ShardedSafeTensors {
    /// Drops the mapped pages of tensor `name` from the resident set, in whichever shard holds it.
    ///
    /// ```swift
    /// let w = try weights.floats(name); weights.releasePages(of: name)
    /// ```
    public func releasePages(of name: String) {
        shard(of: name)?.releasePages(of: name)
    }
}

extension GGUFFile {
    /// Drops the mapped pages of tensor `name` from the resident set (see `MappedFile.releasePages`), once it has
    /// been packed; unknown names are ignored. Later reads (a streamed layer, embedding rows on demand) fault the
    /// bytes back in from the page cache.
    ///
    /// ```swift
    /// let w = try gguf.floats(name); gguf.releasePages(of: name)
    /// ```
    public func releasePages(of name: String) {
        guard let info = tensorInfo(name) else { return }
        file.releasePages(info.fileOffset..<(info.fileOffset + info.byteCount))
    }
}
