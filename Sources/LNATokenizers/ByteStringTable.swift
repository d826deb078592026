/// An immutable hash table from byte strings to small integers, looked up with a byte *slice* so the tokenizers'
/// inner loops never allocate a `String`.
///
/// Keys live in one contiguous buffer; the table uses open addressing with FNV-1a hashes. The first insertion of
/// a key wins (like `std::map::emplace`), later duplicates are ignored.
///
/// ```swift
/// var builder = ByteStringTable.Builder()
/// builder.insert(Array("hello".utf8), value: 7)
/// let table = builder.build()
/// Array("hello".utf8).withUnsafeBufferPointer { table.lookup($0) }   // 7
/// ```
struct ByteStringTable: Sendable {
    private let storage: [UInt8]
    private let keyStarts: [Int32]
    private let keyLengths: [Int32]
    private let values: [Int32]
    /// Slot → key index, or -1.
    private let slots: [Int32]
    private let mask: Int

    var count: Int { values.count }

    struct Builder {
        var storage: [UInt8] = []
        var keyStarts: [Int32] = []
        var keyLengths: [Int32] = []
        var values: [Int32] = []
        private var index: [[UInt8]: Int32] = [:]

        /// Inserts `key` unless present; returns the value now stored for it.
        @discardableResult
        mutating func insert(_ key: [UInt8], value: Int32) -> Int32 {
            if let existing = index[key] { return values[Int(existing)] }
            index[key] = Int32(values.count)
            keyStarts.append(Int32(storage.count))
            keyLengths.append(Int32(key.count))
            storage.append(contentsOf: key)
            values.append(value)
            return value
        }

        func value(of key: [UInt8]) -> Int32? { index[key].map { values[Int($0)] } }

        func build() -> ByteStringTable {
            ByteStringTable(storage: storage, keyStarts: keyStarts, keyLengths: keyLengths, values: values)
        }
    }

    private init(storage: [UInt8], keyStarts: [Int32], keyLengths: [Int32], values: [Int32]) {
        self.storage = storage
        self.keyStarts = keyStarts
        self.keyLengths = keyLengths
        self.values = values
        var capacity = 16
        while capacity < values.count * 2 { capacity <<= 1 }
        mask = capacity - 1
        var slots = [Int32](repeating: -1, count: capacity)
        storage.withUnsafeBufferPointer { bytes in
            for key in 0..<values.count {
                let start = Int(keyStarts[key])
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<start + Int(keyLengths[key])])
                var slot = Int(truncatingIfNeeded: Self.hash(slice)) & (capacity - 1)
                while slots[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
                slots[slot] = Int32(key)
            }
        }
        self.slots = slots
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash ^ (hash >> 29)
    }

    /// The value stored for `key`, or -1.
    func lookup(_ key: UnsafeBufferPointer<UInt8>) -> Int32 {
        var slot = Int(truncatingIfNeeded: Self.hash(key)) & mask
        return storage.withUnsafeBufferPointer { bytes in
            while true {
                let index = Int(slots[slot])
                if index < 0 { return -1 }
                if Int(keyLengths[index]) == key.count {
                    let start = Int(keyStarts[index])
                    if key.count == 0 || memcmpEqual(bytes.baseAddress! + start, key.baseAddress!, key.count) {
                        return values[index]
                    }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Convenience lookup of an array.
    func lookup(_ key: [UInt8]) -> Int32 { key.withUnsafeBufferPointer { lookup($0) } }
}

@inline(__always)
private func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    for offset in 0..<count where a[offset] != b[offset] { return false }
    return true
}
