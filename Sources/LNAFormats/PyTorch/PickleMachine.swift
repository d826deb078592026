import Foundation

/// A small pickle virtual machine for `torch.save` archives (protocols 2 to 5, no arbitrary objects).
///
/// Only what tensors, storages, lists, dicts and scalars need is implemented; any other opcode or global
/// is a `PyTorchError`, never a guess.
///
/// ```swift
/// let value = try PickleMachine(bytes: Array(pickleData), fileName: "x.pt").run()
/// ```
public struct PickleMachine {
    /// Mutable containers: pickle builds lists and dicts after memoising them, so they need identity.
    private final class ListBox { var items: [Node] = [] }
    private final class DictBox { var items: [(Node, Node)] = [] }

    private enum Node {
        case value(PickleValue, Extent)
        case list(ListBox, isTuple: Bool)
        case dict(DictBox)
        case mark
    }

    /// How deep a value nests and how many values its expanded tree holds. Memo references share values, so a
    /// small stream can describe a tree far larger than itself, and readers walk the expanded tree.
    private struct Extent {
        var depth = 0
        var size = 1
        static let scalar = Extent()
    }

    /// A value taken off the stack, with its extent.
    private struct Frozen {
        var value: PickleValue
        var extent: Extent
    }

    /// Containers nest at most this deep (a torch.save file nests 3 or 4 levels): a list memoised and appended
    /// into itself, or 100,000 nested lists, must end in an error rather than a stack overflow.
    static let maxDepth = 64

    private let bytes: [UInt8]
    private let fileName: String
    private var position = 0
    private var stack: [Node] = []
    private var memo: [Int: Node] = [:]
    /// Every list and dict made, so they can be emptied one by one at the end: a chain of 100,000 nested boxes
    /// would otherwise be released recursively (a stack overflow), and a box holding itself would leak.
    private var boxes: [AnyObject] = []
    /// Values visited by freezing so far, and the most allowed: the expanded tree of a stream of n bytes may
    /// have at most `1,000,000 + 64·n` values, which bounds both the time and what readers later walk.
    private var frozenValues = 0
    private var valueBudget: Int { 1_000_000 + bytes.count * 64 }

    public init(bytes: [UInt8], fileName: String) {
        self.bytes = bytes
        self.fileName = fileName
    }

    /// Runs the stream to STOP and returns the top of the stack.
    public mutating func run() throws -> PickleValue {
        defer { dismantle() }
        while true {
            let opcodeOffset = position
            let opcode = try readByte()
            if opcode == 0x2E {  // STOP
                guard let top = stack.popLast() else { throw corrupt(opcodeOffset, "STOP with an empty stack") }
                return try freeze(top, at: opcodeOffset).value
            }
            try execute(opcode, at: opcodeOffset)
        }
    }

    /// Empties every box iteratively (see `boxes`).
    private mutating func dismantle() {
        stack.removeAll()
        memo.removeAll()
        for box in boxes {
            if let list = box as? ListBox { list.items.removeAll() }
            if let dict = box as? DictBox { dict.items.removeAll() }
        }
        boxes.removeAll()
    }

    private mutating func newList() -> ListBox {
        let box = ListBox()
        boxes.append(box)
        return box
    }

    private mutating func newDict() -> DictBox {
        let box = DictBox()
        boxes.append(box)
        return box
    }

    private mutating func push(_ scalar: PickleValue) { stack.append(.value(scalar, .scalar)) }

    private mutating func pushTuple(_ items: [Frozen], at offset: Int) throws {
        stack.append(.value(.tuple(items.map(\.value)), try container(items.map(\.extent), at: offset)))
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    private mutating func execute(_ opcode: UInt8, at offset: Int) throws {
        switch opcode {
        case 0x80: _ = try readByte()                                           // PROTO
        case 0x95: _ = try readBytes(8)                                         // FRAME (length ignored)
        case 0x7D: stack.append(.dict(newDict()))                               // EMPTY_DICT }
        case 0x5D: stack.append(.list(newList(), isTuple: false))               // EMPTY_LIST ]
        case 0x29: push(.tuple([]))                             // EMPTY_TUPLE )
        case 0x28: stack.append(.mark)                                          // MARK (
        case 0x4E: push(.none)                                  // NONE
        case 0x88: push(.bool(true))                            // NEWTRUE
        case 0x89: push(.bool(false))                           // NEWFALSE
        case 0x4B: push(.int(Int(try readByte())))              // BININT1
        case 0x4D: push(.int(Int(try readUnsigned(2))))         // BININT2
        case 0x4A: push(.int(Int(Int32(truncatingIfNeeded: try readUnsigned(4)))))  // BININT
        case 0x8A: push(.int(try readLong(Int(try readByte()), at: offset)))        // LONG1
        case 0x47: push(.float(Double(bitPattern: try readBigEndian64())))           // BINFLOAT
        case 0x58: push(.string(try readString(try readLength(4))))                  // BINUNICODE
        case 0x8C: push(.string(try readString(Int(try readByte()))))                // SHORT_BINUNICODE
        case 0x8D: push(.string(try readString(try readLength(8))))                  // BINUNICODE8
        case 0x55: push(.string(try readString(Int(try readByte()))))                // SHORT_BINSTRING
        case 0x54: push(.string(try readString(try readLength(4))))                  // BINSTRING
        case 0x43: push(.bytes(try readBytes(Int(try readByte()))))                  // SHORT_BINBYTES
        case 0x42: push(.bytes(try readBytes(try readLength(4))))                    // BINBYTES
        case 0x63:                                                                                  // GLOBAL
            let module = try readLine(), name = try readLine()
            push(.global(module: module, name: name))
        case 0x93:                                                                                  // STACK_GLOBAL
            let name = try popValue(at: offset).value, module = try popValue(at: offset).value
            guard case .string(let n) = name, case .string(let m) = module else {
                throw corrupt(offset, "STACK_GLOBAL expects two strings")
            }
            push(.global(module: m, name: n))
        case 0x74: try pushTuple(try popToMark(at: offset), at: offset)       // TUPLE
        case 0x85: try pushTuple(try popValues(1, at: offset), at: offset)    // TUPLE1
        case 0x86: try pushTuple(try popValues(2, at: offset), at: offset)    // TUPLE2
        case 0x87: try pushTuple(try popValues(3, at: offset), at: offset)    // TUPLE3
        case 0x71: memo[Int(try readByte())] = try top(at: offset)             // BINPUT
        case 0x72: memo[Int(try readUnsigned(4))] = try top(at: offset)       // LONG_BINPUT
        case 0x94: memo[memo.count] = try top(at: offset)                      // MEMOIZE
        case 0x68: stack.append(try memoized(Int(try readByte()), at: offset))       // BINGET
        case 0x6A: stack.append(try memoized(Int(try readUnsigned(4)), at: offset))  // LONG_BINGET
        case 0x61:                                                             // APPEND
            let item = try popNode(at: offset)
            guard case .list(let box, false) = try top(at: offset) else { throw corrupt(offset, "APPEND to a non-list") }
            box.items.append(item)
        case 0x65:                                                             // APPENDS
            let items = try popNodesToMark(at: offset)
            guard case .list(let box, false) = try top(at: offset) else { throw corrupt(offset, "APPENDS to a non-list") }
            box.items.append(contentsOf: items)
        case 0x73:                                                             // SETITEM
            let value = try popNode(at: offset), key = try popNode(at: offset)
            guard case .dict(let box) = try top(at: offset) else { throw corrupt(offset, "SETITEM on a non-dict") }
            box.items.append((key, value))
        case 0x75:                                                             // SETITEMS
            let items = try popNodesToMark(at: offset)
            guard items.count % 2 == 0 else { throw corrupt(offset, "SETITEMS with an odd number of items") }
            guard case .dict(let box) = try top(at: offset) else { throw corrupt(offset, "SETITEMS on a non-dict") }
            for i in stride(from: 0, to: items.count, by: 2) { box.items.append((items[i], items[i + 1])) }
        case 0x51:                                                             // BINPERSID
            push(.storage(try storageReference(try popValue(at: offset).value, at: offset)))
        case 0x52:                                                             // REDUCE
            let arguments = try popValue(at: offset), callable = try popValue(at: offset).value
            stack.append(try reduce(callable, arguments, at: offset))
        case 0x62:                                                             // BUILD: only empty state on dicts
            let state = try popValue(at: offset).value
            if case .none = state { break }
            if case .dict(let items) = state, items.isEmpty { break }
            throw PyTorchError.unsupportedGlobal(file: fileName, offset: offset, name: "BUILD with \(state.typeName) state")
        default:
            throw PyTorchError.unsupportedOpcode(file: fileName, offset: offset, opcode: opcode)
        }
    }

    // MARK: - torch-specific rebuilding

    private func storageReference(_ id: PickleValue, at offset: Int) throws -> TorchStorageReference {
        guard case .tuple(let parts) = id, parts.count >= 5, case .string("storage") = parts[0],
              case .global(_, let className) = parts[1], case .string(let key) = parts[2],
              let count = parts[4].intValue else {
            throw corrupt(offset, "persistent id is not ('storage', torch.XStorage, key, device, numel)")
        }
        guard let dtype = TorchDType(rawValue: className) else {
            throw PyTorchError.unsupportedGlobal(file: fileName, offset: offset, name: "torch.\(className)")
        }
        // A storage's bytes are an archive member: its size must be a file size.
        guard count >= 0, !count.multipliedReportingOverflow(by: dtype.size).overflow else {
            throw corrupt(offset, "storage \(key) has \(count) elements of \(dtype.size) bytes, not a possible size")
        }
        return TorchStorageReference(key: key, dtype: dtype, elementCount: count)
    }

    private mutating func reduce(_ callable: PickleValue, _ arguments: Frozen, at offset: Int) throws -> Node {
        guard case .global(let module, let name) = callable, case .tuple(let args) = arguments.value else {
            throw corrupt(offset, "REDUCE expects a global and an argument tuple")
        }
        switch (module, name) {
        case ("collections", "OrderedDict"):
            return .dict(newDict())
        case ("torch._utils", "_rebuild_tensor_v2"), ("torch._utils", "_rebuild_tensor"):
            guard args.count >= 4, case .storage(let storage) = args[0], let storageOffset = args[1].intValue,
                  let shape = args[2].elements?.compactMap(\.intValue), let stride = args[3].elements?.compactMap(\.intValue),
                  shape.count == args[2].elements?.count, stride.count == shape.count else {
                throw corrupt(offset, "\(module).\(name) arguments are not (storage, offset, size, stride, ...)")
            }
            let tensor = TorchTensorReference(storage: storage, storageOffset: storageOffset, shape: shape, stride: stride)
            if let problem = tensor.layoutProblem { throw corrupt(offset, "tensor in storage \(storage.key): \(problem)") }
            return .value(.tensor(tensor), .scalar)
        case ("torch._utils", "_rebuild_parameter"):
            guard let first = args.first, case .tensor = first else { throw corrupt(offset, "_rebuild_parameter without a tensor") }
            return .value(first, arguments.extent)
        default:
            throw PyTorchError.unsupportedGlobal(file: fileName, offset: offset, name: "\(module).\(name)")
        }
    }

    // MARK: - Stack helpers

    private mutating func freeze(_ node: Node, at offset: Int, depth: Int = 0) throws -> Frozen {
        frozenValues += 1
        guard frozenValues <= valueBudget else {
            throw corrupt(offset, "memo references expand to more than \(valueBudget) values")
        }
        switch node {
        case .value(let value, let extent): return Frozen(value: value, extent: extent)
        case .list(let box, let isTuple):
            guard depth < Self.maxDepth else { throw corrupt(offset, "lists nest deeper than \(Self.maxDepth) (or contain themselves)") }
            var items: [Frozen] = []
            for item in box.items { items.append(try freeze(item, at: offset, depth: depth + 1)) }
            let values = items.map(\.value)
            return Frozen(value: isTuple ? .tuple(values) : .list(values), extent: try container(items.map(\.extent), at: offset))
        case .dict(let box):
            guard depth < Self.maxDepth else { throw corrupt(offset, "dicts nest deeper than \(Self.maxDepth) (or contain themselves)") }
            var pairs: [PickleDictItem] = [], extents: [Extent] = []
            for (key, value) in box.items {
                let k = try freeze(key, at: offset, depth: depth + 1), v = try freeze(value, at: offset, depth: depth + 1)
                pairs.append(PickleDictItem(key: k.value, value: v.value))
                extents += [k.extent, v.extent]
            }
            return Frozen(value: .dict(pairs), extent: try container(extents, at: offset))
        case .mark: throw corrupt(offset, "a MARK was never closed")
        }
    }

    /// The extent of a container of `children`; throws past `maxDepth` or `valueBudget`.
    private func container(_ children: [Extent], at offset: Int) throws -> Extent {
        var extent = Extent(depth: 1, size: 1)
        for child in children {
            extent.depth = max(extent.depth, child.depth + 1)
            extent.size = min(extent.size + child.size, valueBudget + 1)
        }
        guard extent.depth <= Self.maxDepth else {
            throw corrupt(offset, "containers nest deeper than \(Self.maxDepth)")
        }
        guard extent.size <= valueBudget else {
            throw corrupt(offset, "memo references expand to more than \(valueBudget) values")
        }
        return extent
    }

    private func top(at offset: Int) throws -> Node {
        guard let node = stack.last else { throw corrupt(offset, "stack underflow") }
        return node
    }

    private func memoized(_ index: Int, at offset: Int) throws -> Node {
        guard let node = memo[index] else { throw corrupt(offset, "memo slot \(index) was never stored") }
        return node
    }

    private mutating func popNode(at offset: Int) throws -> Node {
        guard let node = stack.popLast() else { throw corrupt(offset, "stack underflow") }
        if case .mark = node { throw corrupt(offset, "unexpected MARK") }
        return node
    }

    private mutating func popValue(at offset: Int) throws -> Frozen {
        try freeze(try popNode(at: offset), at: offset)
    }

    private mutating func popValues(_ count: Int, at offset: Int) throws -> [Frozen] {
        var values: [Frozen] = []
        for _ in 0..<count { values.append(try popValue(at: offset)) }
        return values.reversed()
    }

    private mutating func popNodesToMark(at offset: Int) throws -> [Node] {
        guard let markIndex = stack.lastIndex(where: { if case .mark = $0 { return true } else { return false } }) else {
            throw corrupt(offset, "no MARK on the stack")
        }
        let items = Array(stack[(markIndex + 1)...])
        stack.removeSubrange(markIndex...)
        return items
    }

    private mutating func popToMark(at offset: Int) throws -> [Frozen] {
        var values: [Frozen] = []
        for node in try popNodesToMark(at: offset) { values.append(try freeze(node, at: offset)) }
        return values
    }

    // MARK: - Reading the stream

    private func corrupt(_ offset: Int, _ reason: String) -> PyTorchError {
        .corruptPickle(file: fileName, offset: offset, reason: reason)
    }

    private mutating func readByte() throws -> UInt8 {
        guard position < bytes.count else { throw corrupt(position, "stream ends before STOP (truncated?)") }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func readBytes(_ count: Int) throws -> [UInt8] {
        guard count >= 0, count <= bytes.count - position else { throw corrupt(position, "argument of \(count) bytes runs past the end") }
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    private mutating func readUnsigned(_ width: Int) throws -> UInt64 {
        let raw = try readBytes(width)
        var value: UInt64 = 0
        for (i, b) in raw.enumerated() { value |= UInt64(b) << (8 * UInt64(i)) }
        return value
    }

    /// A u32/u64 length prefix; one of 2^63 or more is an error (the check against the stream end follows).
    private mutating func readLength(_ width: Int) throws -> Int {
        let at = position
        let value = try readUnsigned(width)
        guard let length = Int(exactly: value) else { throw corrupt(at, "length \(value) is beyond any stream") }
        return length
    }

    private mutating func readBigEndian64() throws -> UInt64 {
        try readBytes(8).reduce(0) { ($0 << 8) | UInt64($1) }
    }

    private mutating func readLong(_ count: Int, at offset: Int) throws -> Int {
        guard count <= 8 else { throw corrupt(offset, "LONG1 of \(count) bytes does not fit in 64 bits") }
        if count == 0 { return 0 }
        let raw = try readBytes(count)
        var value: UInt64 = 0
        for (i, b) in raw.enumerated() { value |= UInt64(b) << (8 * UInt64(i)) }
        if count < 8, raw[count - 1] & 0x80 != 0 { value |= ~0 << (8 * UInt64(count)) }  // sign-extend
        return Int(Int64(bitPattern: value))
    }

    private mutating func readString(_ count: Int) throws -> String {
        String(decoding: try readBytes(count), as: UTF8.self)
    }

    private mutating func readLine() throws -> String {
        guard let end = bytes[position...].firstIndex(of: 0x0A) else { throw corrupt(position, "GLOBAL name without newline") }
        defer { position = end + 1 }
        return String(decoding: bytes[position..<end], as: UTF8.self)
    }
}
