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
