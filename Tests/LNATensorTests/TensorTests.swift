import Testing
import LNATensor

@Test func tensorIsRowMajor() {
    var t = Tensor(shape: [2, 3], repeating: 0)
    t[1, 2] = 5
    #expect(t.storage == [0, 0, 0, 0, 0, 5])
}

@Test func tensorFromStorageChecksTheCount() throws {
    let t = try Tensor(shape: [2, 2], storage: [1, 2, 3, 4])
    #expect(t[1, 0] == 3)
    let error = try #require(throws: TensorError.self) { try Tensor(shape: [2, 3], storage: [1, 2, 3, 4]) }
    #expect(error.description.contains("4 values") && error.description.contains("2 × 3 = 6"))
    #expect(throws: TensorError.self) { try Tensor(shape: [-1, -4], storage: [1, 2, 3, 4]) }
}
