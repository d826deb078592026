/// What a table entry of a memory-mapped tensor file must say: its name and where its bytes are.
protocol MappedTensorEntry: Sendable {
    var name: String { get }
    var fileOffset: Int { get }
    var byteCount: Int { get }
}

extension GGUFTensorInfo: MappedTensorEntry {}
extension SafeTensorsTensorInfo: MappedTensorEntry {}

/// The tensor table of a mapped file, indexed by name: the lookup, "did you mean" and byte-slicing logic that
/// `GGUFFile` and `SafeTensorsFile` share.
struct TensorTable<Entry: MappedTensorEntry>: Sendable {
    let entries: [Entry]
    private let index: [String: Int]

    init(_ entries: [Entry]) {
        self.entries = entries
        var index: [String: Int] = [:]
        for (position, entry) in entries.enumerated() { index[entry.name] = position }
        self.index = index
    }

    func entry(_ name: String) -> Entry? { index[name].map { entries[$0] } }

    /// The entry of `name`; throws `missingTensor` naming `file` and near matches when absent.
    func require(_ name: String, file: String) throws -> Entry {
        guard let entry = entry(name) else {
            throw FormatError.missingTensor(file: file, tensor: name,
                                            nearMatches: nearMatches(for: name, in: entries.lazy.map(\.name)))
        }
        return entry
    }

    /// The bytes of `entry` inside `map` (no copy).
    func bytes(of entry: Entry, in map: MappedFile) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: map.bytes[entry.fileOffset..<(entry.fileOffset + entry.byteCount)])
    }
}

/// Header checks the GGUF and safetensors parsers share: element counts without overflow, and no two tensors
/// claiming the same bytes.
enum TensorHeaderChecks {
    /// The number of elements of a tensor with these dimensions; throws `sizeOverflow` (at `offset`) when it does
    /// not fit in an Int.
    ///
    /// ```swift
    /// try TensorHeaderChecks.elementCount([4, 3], file: "m.gguf", offset: 24, tensor: "w")   // 12
    /// ```
    static func elementCount(_ dimensions: [Int], file: String, offset: Int, tensor: String) throws -> Int {
        var elements = 1
        for dimension in dimensions {
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw FormatError.sizeOverflow(file: file, offset: offset, tensor: tensor) }
            elements = product
        }
        return elements
    }

    /// Throws `overlappingTensors` naming the first two tensors (by file offset) whose bytes overlap. Empty
    /// tensors hold no bytes and overlap nothing.
    static func requireDisjoint<Entry: MappedTensorEntry>(_ entries: [Entry], file: String) throws {
        let byOffset = entries.filter { $0.byteCount > 0 }
            .sorted { ($0.fileOffset, $0.byteCount) < ($1.fileOffset, $1.byteCount) }
        for (previous, next) in zip(byOffset, byOffset.dropFirst())
        where previous.fileOffset + previous.byteCount > next.fileOffset {
            throw FormatError.overlappingTensors(file: file, first: previous.name, second: next.name,
                                                offset: next.fileOffset)
        }
    }
}
