import Foundation

/// The bookkeeping both streaming writers share (`SafeTensorsStreamWriter`, `GGUFStreamWriter`): tensors arrive in
/// plan order with exactly their planned byte counts, each padded to `alignment`, and the file is committed only
/// when every planned tensor has been written.
final class PlannedTensorStream {
    let out: AtomicFileWriter
    private let plan: [(name: String, byteCount: Int, expected: String)]
    private let alignment: Int
    private var next = 0

    /// `expected` describes each tensor's size for error messages (e.g. "shape [2, 3] × BF16").
    init(_ url: URL, header: [UInt8], plan: [(name: String, byteCount: Int, expected: String)], alignment: Int = 1) throws {
        out = try AtomicFileWriter(url)
        self.plan = plan
        self.alignment = max(1, alignment)
        try out.write(header)
    }

    func append(_ name: String, _ bytes: UnsafeRawBufferPointer) throws {
        guard next < plan.count, plan[next].name == name else {
            throw FormatError.invalidInput(file: out.destination.path, what: "tensor '\(name)'",
                                           reason: "expected \(next < plan.count ? "'\(plan[next].name)'" : "no more tensors") next, in plan order")
        }
        guard bytes.count == plan[next].byteCount else {
            throw FormatError.invalidInput(file: out.destination.path, what: "tensor '\(name)'",
                                           reason: "\(bytes.count) bytes given, \(plan[next].expected) needs \(plan[next].byteCount)")
        }
        try out.write(bytes)
        let padding = (alignment - bytes.count % alignment) % alignment
        if padding > 0 { try out.writeZeros(padding) }
        next += 1
    }

    func commit() throws {
        guard next == plan.count else {
            throw FormatError.invalidInput(file: out.destination.path, what: "the file",
                                           reason: "\(plan.count - next) planned tensors were not written (next: '\(plan[next].name)')")
        }
        try out.commit()
    }
}
