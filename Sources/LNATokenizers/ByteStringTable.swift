import Foundation

/// An immutable hash table from byte strings to small integers, looked up with a byte *slice* so the tokenizers'
/// inner loops never allocate a `String`.
///
/// Keys live in one contiguous buffer; the table uses open addressing with FNV-1a hashes and a 32-bit hash tag
/// per slot. The first insertion of a key wins (like `std::map::emplace`), later duplicates are ignored.
///
/// ```swift
/// var builder = ByteStringTable.Builder()
/// builder.insert(Array("hello".utf8), value: 7)
/// let table = builder.build()
/// table.lookup(Array("hello".utf8))   // 7
/// ```
struct ByteStringTable: Sendable {
    fileprivate struct Key {
        var start: Int32
        var length: Int32
        var value: Int32
    }

    private let storage: [UInt8]
    private let keys: [Key]
    /// Slot → (upper 32 hash bits << 32) | (key index + 1), or 0 when empty: the tag rejects most non-matching
    /// probes without touching the key bytes.
    private let slots: [UInt64]
    private let mask: Int

    var count: Int { keys.count }

    /// Accumulates keys; the same probing scheme as lookups, so building never hashes a key twice.
    struct Builder {
        fileprivate var storage: [UInt8] = []
        fileprivate var keys: [Key] = []
        fileprivate var slots = [UInt64](repeating: 0, count: 1024)

        /// Inserts `key` unless present; returns the value now stored for it.
        @discardableResult
        mutating func insert(_ key: [UInt8], value: Int32) -> Int32 {
            if keys.count * 2 >= slots.count { grow() }
            let hash = key.withUnsafeBufferPointer { ByteStringTable.hash($0) }
            let tag = (hash >> 32) << 32
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 {
                let entry = slots[slot]
                if entry & 0xFFFF_FFFF_0000_0000 == tag {
                    let existing = keys[Int(entry & 0xFFFF_FFFF) - 1]
                    if Int(existing.length) == key.count
                        && storage[Int(existing.start)..<Int(existing.start) + key.count].elementsEqual(key) {
                        return existing.value
                    }
                }
                slot = (slot + 1) & mask
            }
            keys.append(Key(start: Int32(storage.count), length: Int32(key.count), value: value))
            storage.append(contentsOf: key)
            slots[slot] = tag | UInt64(keys.count)
            return value
        }

        private mutating func grow() {
            var larger = [UInt64](repeating: 0, count: slots.count * 2)
            let mask = larger.count - 1
            storage.withUnsafeBufferPointer { bytes in
                for (index, key) in keys.enumerated() {
                    let start = Int(key.start)
                    let hash = ByteStringTable.hash(UnsafeBufferPointer(rebasing: bytes[start..<start + Int(key.length)]))
                    var slot = Int(truncatingIfNeeded: hash) & mask
                    while larger[slot] != 0 { slot = (slot + 1) & mask }
                    larger[slot] = (hash >> 32) << 32 | UInt64(index + 1)
                }
            }
            slots = larger
        }

        func build() -> ByteStringTable { ByteStringTable(storage: storage, keys: keys, slots: slots) }
    }

    private init(storage: [UInt8], keys: [Key], slots: [UInt64]) {
        self.storage = storage
        self.keys = keys
        self.slots = slots
        mask = slots.count - 1
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
