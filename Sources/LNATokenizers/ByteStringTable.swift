import Foundation

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
    private struct Key {
        var start: Int32
        var length: Int32
        var value: Int32
    }

    private let storage: [UInt8]
    private let keys: [Key]
    /// Slot → (upper 32 hash bits << 32) | (key index + 1), or 0 when empty: the hash tag rejects most
    /// non-matching probes without touching the key bytes.
    private let slots: [UInt64]
    private let mask: Int

    var count: Int { keys.count }

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
        keys = values.indices.map { Key(start: keyStarts[$0], length: keyLengths[$0], value: values[$0]) }
        var capacity = 16
        while capacity < values.count * 2 { capacity <<= 1 }
        mask = capacity - 1
        var slots = [UInt64](repeating: 0, count: capacity)
        storage.withUnsafeBufferPointer { bytes in
            for key in 0..<values.count {
                let start = Int(keyStarts[key])
                let hash = Self.hash(UnsafeBufferPointer(rebasing: bytes[start..<start + Int(keyLengths[key])]))
                var slot = Int(truncatingIfNeeded: hash) & (capacity - 1)
                while slots[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
                slots[slot] = (hash >> 32) << 32 | UInt64(key + 1)
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
        let hash = Self.hash(key)
        let tag = (hash >> 32) << 32
        var slot = Int(truncatingIfNeeded: hash) & mask
        return storage.withUnsafeBufferPointer { bytes in
            slots.withUnsafeBufferPointer { slots in
                keys.withUnsafeBufferPointer { keys in
                    while true {
                        let entry = slots[slot]
                        if entry == 0 { return -1 }
                        if entry & 0xFFFF_FFFF_0000_0000 == tag {
                            let candidate = keys[Int(entry & 0xFFFF_FFFF) - 1]
                            if Int(candidate.length) == key.count
                                && (key.count == 0
                                    || memcmp(bytes.baseAddress! + Int(candidate.start), key.baseAddress!, key.count) == 0) {
                                return candidate.value
                            }
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    /// Convenience lookup of an array.
    func lookup(_ key: [UInt8]) -> Int32 { key.withUnsafeBufferPointer { lookup($0) } }
}
