import Testing
import LNATensor

@Test func tensorIsRowMajor() {
    var t = Tensor(shape: [2, 3], repeating: 0)
    t[1, 2] = 5
    #expect(t.storage == [0, 0, 0, 0, 0, 5])
}
