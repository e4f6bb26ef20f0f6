import Foundation
import SelfologyCore
import Testing

@Suite("Vector bytes")
struct VectorBytesTests {
    @Test("floats are stored as little-endian 32-bit patterns and read back exactly")
    func exactLittleEndian() {
        let vector: [Float] = [1, -2.5, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -0.0, 0.1]
        let bytes = VectorBytes.encode(vector)
        #expect(bytes.count == 24)
        #expect(Array(bytes.prefix(8)) == [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x20, 0xC0])
        #expect(VectorBytes.decode(bytes).map(\.bitPattern) == vector.map(\.bitPattern))
        #expect(VectorBytes.encode([]).isEmpty && VectorBytes.decode(Data()).isEmpty)
    }

    @Test("a slice of a larger buffer reads from its own start, and trailing bytes are ignored")
    func slicesAndTrailingBytes() {
        let bytes = Data([0xFF, 0xFF]) + VectorBytes.encode([3, 4]) + Data([0x01, 0x02, 0x03])
        let slice = bytes[2...]
        #expect(slice.startIndex == 2)
        #expect(VectorBytes.decode(slice) == [3, 4])
    }
}
