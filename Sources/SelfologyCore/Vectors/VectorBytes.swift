import Foundation

/// A vector as little-endian 32-bit floats: how the store keeps vectors and how `profile.vector.updated` carries
/// one (in base64). Exact, and a 512-dimension vector as JSON numbers cost more to write and read than the rest
/// of a profile update together.
public enum VectorBytes {
    public static func encode(_ vector: [Float]) -> Data {
        var data = Data(capacity: vector.count * 4)
        for value in vector { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    /// Trailing bytes that do not make a whole float are ignored.
    public static func decode(_ data: Data) -> [Float] {
        let bytes = [UInt8](data)
        return stride(from: 0, to: bytes.count - bytes.count % 4, by: 4).map { start in
            let bits =
                UInt32(bytes[start]) | UInt32(bytes[start + 1]) << 8 | UInt32(bytes[start + 2]) << 16
                | UInt32(bytes[start + 3]) << 24
            return Float(bitPattern: bits)
        }
    }
}
