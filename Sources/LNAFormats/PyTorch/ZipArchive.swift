import Foundation

/// A read-only view of a zip archive whose members are STORED (uncompressed), as `torch.save` writes them.
///
/// Reads the central directory (zip64 included), then finds each member's data through its local header,
/// whose extra field torch uses to align storages to 64 bytes.
///
/// ```swift
/// let zip = try ZipArchive(contentsOf: URL(fileURLWithPath: "activation.en.pt"))
/// let pickle = try zip.contents(of: zip.entries[0])
/// ```
public struct ZipArchive: Sendable {
    /// One member of the archive, as the central directory describes it.
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let compressionMethod: Int
        public let compressedSize: Int
        public let uncompressedSize: Int
        public let localHeaderOffset: Int
    }

    /// The name used in error messages (the file's path).
    public let fileName: String
    /// Members in central-directory order.
    public let entries: [Entry]
    private let bytes: Data

    /// Opens a file (memory-mapped when possible).
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw PyTorchError.corruptZip(file: url.path, offset: 0, reason: "cannot read file (\(error.localizedDescription))")
        }
        try self.init(data: data, fileName: url.path)
    }

    /// Reads an archive held in memory; `fileName` only labels errors.
    public init(data: Data, fileName: String) throws {
        self.bytes = data
        self.fileName = fileName
        self.entries = try ZipArchive.readCentralDirectory(data, fileName: fileName)
    }

    /// The member with this exact name, if any.
    public func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    /// The bytes of a STORED member.
    public func contents(of entry: Entry) throws -> Data {
        guard entry.compressionMethod == 0 else {
            throw PyTorchError.compressedEntry(file: fileName, entry: entry.name, method: entry.compressionMethod)
        }
        let header = entry.localHeaderOffset
        guard try u32(header) == 0x0403_4B50 else {
            throw PyTorchError.corruptZip(file: fileName, offset: header, reason: "local header signature expected for \(entry.name)")
        }
        // header ≤ file size (the signature was read there), so these sums of small numbers cannot overflow.
        let start = header + 30 + Int(try u16(header + 26)) + Int(try u16(header + 28))
        guard start <= bytes.count, entry.uncompressedSize <= bytes.count - start else {
            throw PyTorchError.corruptZip(file: fileName, offset: start,
                                          reason: "member \(entry.name) needs \(entry.uncompressedSize) bytes but the file ends at \(bytes.count) (truncated?)")
        }
        let base = bytes.startIndex
        return bytes.subdata(in: (base + start)..<(base + start + entry.uncompressedSize))
    }

    // MARK: - Central directory

    /// The smallest central-directory header (46 bytes with an empty name): bounds the entry count by the
    /// directory's size before anything is reserved for it.
    static let minimumDirectoryEntrySize = 46

    private static func readCentralDirectory(_ data: Data, fileName: String) throws -> [Entry] {
        let reader = ZipArchive(uncheckedData: data, fileName: fileName)
        let eocd = try reader.findEndOfCentralDirectory()
        var count = Int(try reader.u16(eocd + 10))
        var directorySize = Int(try reader.u32(eocd + 12))
        var directoryOffset = Int(try reader.u32(eocd + 16))
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // Zip64: the locator sits just before the classic record and points to the zip64 record.
            let locator = eocd - 20
            guard locator >= 0, try reader.u32(locator) == 0x0706_4B50 else {
                throw PyTorchError.corruptZip(file: fileName, offset: max(locator, 0), reason: "zip64 locator expected")
            }
            let record = try reader.sizeField(locator + 8, "the zip64 end-of-central-directory offset")
            guard try reader.u32(record) == 0x0606_4B50 else {
                throw PyTorchError.corruptZip(file: fileName, offset: record, reason: "zip64 end-of-central-directory expected")
            }
            count = try reader.sizeField(record + 32, "the zip64 entry count")
            directorySize = try reader.sizeField(record + 40, "the zip64 central directory size")
            directoryOffset = try reader.sizeField(record + 48, "the zip64 central directory offset")
        }
        guard directoryOffset <= data.count, directorySize <= data.count - directoryOffset else {
            throw PyTorchError.corruptZip(file: fileName, offset: directoryOffset, reason: "central directory of \(directorySize) bytes at \(directoryOffset) runs past the end of the file at \(data.count) (truncated?)")
        }
        guard count <= directorySize / minimumDirectoryEntrySize else {
            throw PyTorchError.corruptZip(file: fileName, offset: eocd, reason: "\(count) entries cannot fit in a central directory of \(directorySize) bytes")
        }
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        var at = directoryOffset
        for _ in 0..<count {
            entries.append(try reader.readDirectoryEntry(at: &at))
        }
        return entries
    }

    private init(uncheckedData: Data, fileName: String) {
        self.bytes = uncheckedData
        self.fileName = fileName
        self.entries = []
    }

    private func findEndOfCentralDirectory() throws -> Int {
        let minimum = 22
        guard bytes.count >= minimum else {
            throw PyTorchError.corruptZip(file: fileName, offset: 0, reason: "file has \(bytes.count) bytes, too short for a zip archive")
        }
        let lowest = max(0, bytes.count - minimum - 0xFFFF)
        var at = bytes.count - minimum
        while at >= lowest {
            if try u32(at) == 0x0605_4B50 { return at }
            at -= 1
        }
        throw PyTorchError.corruptZip(file: fileName, offset: bytes.count,
                                      reason: "no end-of-central-directory record (truncated, or not a zip/torch.save file)")
    }

    private func readDirectoryEntry(at offset: inout Int) throws -> Entry {
        let at = offset
        guard try u32(at) == 0x0201_4B50 else {
            throw PyTorchError.corruptZip(file: fileName, offset: at, reason: "central directory header signature expected")
        }
        let method = Int(try u16(at + 10))
        var compressed = Int(try u32(at + 20))
        var uncompressed = Int(try u32(at + 24))
        let nameLength = Int(try u16(at + 28))
        let extraLength = Int(try u16(at + 30))
        let commentLength = Int(try u16(at + 32))
        var localOffset = Int(try u32(at + 42))
        let name = String(decoding: try slice(at + 46, nameLength), as: UTF8.self)
        // Zip64 extra field (id 1) holds the 64-bit values whose classic fields are 0xFFFFFFFF, in this order.
        var extra = at + 46 + nameLength
        let extraEnd = extra + extraLength
        while extra + 4 <= extraEnd {
            let id = try u16(extra), size = Int(try u16(extra + 2))
            if id == 1 {
                var field = extra + 4
                if uncompressed == 0xFFFF_FFFF { uncompressed = try sizeField(field, "a zip64 size of \(name)"); field += 8 }
                if compressed == 0xFFFF_FFFF { compressed = try sizeField(field, "a zip64 size of \(name)"); field += 8 }
                if localOffset == 0xFFFF_FFFF { localOffset = try sizeField(field, "the zip64 offset of \(name)") }
            }
            extra += 4 + size
        }
        offset = extraEnd + commentLength
        return Entry(name: name, compressionMethod: method, compressedSize: compressed,
                     uncompressedSize: uncompressed, localHeaderOffset: localOffset)
    }

    // MARK: - Little-endian reads with bounds checks

    private func slice(_ at: Int, _ count: Int) throws -> Data {
        guard at >= 0, count >= 0, at <= bytes.count, count <= bytes.count - at else {
            throw PyTorchError.corruptZip(file: fileName, offset: at, reason: "\(count) bytes expected but the file ends at \(bytes.count)")
        }
        return bytes.subdata(in: (bytes.startIndex + at)..<(bytes.startIndex + at + count))
    }

    private func unsigned(_ at: Int, _ width: Int) throws -> UInt64 {
        guard at >= 0, at <= bytes.count - width else {
            throw PyTorchError.corruptZip(file: fileName, offset: at, reason: "\(width)-byte field expected but the file ends at \(bytes.count)")
        }
        var value: UInt64 = 0
        for i in 0..<width { value |= UInt64(bytes[bytes.startIndex + at + i]) << (8 * UInt64(i)) }
        return value
    }

    /// A u64 size, count or offset; values of 2^63 and more (no file is that large) are an error, not a trap.
    private func sizeField(_ at: Int, _ what: String) throws -> Int {
        let value = try u64(at)
        guard let result = Int(exactly: value) else {
            throw PyTorchError.corruptZip(file: fileName, offset: at, reason: "\(what) is \(value), beyond any file size")
        }
        return result
    }

    private func u16(_ at: Int) throws -> UInt16 { UInt16(try unsigned(at, 2)) }
    private func u32(_ at: Int) throws -> UInt32 { UInt32(try unsigned(at, 4)) }
    private func u64(_ at: Int) throws -> UInt64 { try unsigned(at, 8) }
}
