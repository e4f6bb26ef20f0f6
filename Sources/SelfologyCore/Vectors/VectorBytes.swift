import Foundation

/// A vector as little-endian 32-bit floats: how the store keeps vectors and how `profile.vector.updated` carries
/// one (in base64). Exact, and a 512-dimension vector as JSON numbers cost more to write and read than the rest
/// of a profile update together.
public enum VectorBytes {
    public static func encode(_ vector: [Float]) -> Data {
        // One copy of the whole buffer: appending four bytes at a time to `Data` cost 3% of the embedded
        // runtime's CPU.
        vector.map { $0.bitPattern.littleEndian }.withUnsafeBytes { Data($0) }
    }

    /// Trailing bytes that do not make a whole float are ignored.
    public static func decode(_ data: Data) -> [Float] {
        data.withUnsafeBytes { bytes in
            (0..<bytes.count / 4).map { index in
                Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
            }
        }
    }
}
