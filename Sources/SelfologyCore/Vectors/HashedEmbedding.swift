/// The offline profile embedding: word unigrams and bigrams plus character trigrams of a text, hashed with signs
/// into 512 dimensions (the feature-hashing trick) and scaled to unit length. Deterministic across processes and
/// platforms (FNV-1a, not Swift's per-process seeded `Hasher`), so vectors written by one process can be compared
/// with vectors written by another.
public enum HashedEmbedding {
    public static let dimensions = 512
    public static let model = "local:hashed-ngrams-512"

    public static func embed(_ text: String) -> [Float] {
        var vector = [Float](repeating: 0, count: dimensions)
        let words = text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
        for word in words { add(word, weight: 1, to: &vector) }
        for (first, second) in zip(words, words.dropFirst()) { add(first + " " + second, weight: 1, to: &vector) }
        // Trigrams make "conscientious" and "conscientiousness" neighbours without a stemmer.
        for word in words {
            let letters = Array("^" + word + "$")
            guard letters.count >= 3 else { continue }
            for start in 0...(letters.count - 3) { add(String(letters[start..<start + 3]), weight: 0.5, to: &vector) }
        }
        return VectorMath.normalized(vector)
    }

    static func add(_ feature: String, weight: Float, to vector: inout [Float]) {
        let hash = fnv1a(feature)
        let index = Int(hash % UInt64(dimensions))
        // One more bit of the hash picks the sign, so collisions cancel out on average instead of piling up.
        let sign: Float = (hash >> 63) == 0 ? 1 : -1
        vector[index] += sign * weight
    }

    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

}

public enum VectorMath {
    /// The vector scaled to length 1 (an all-zero vector stays as it is).
    public static func normalized(_ vector: [Float]) -> [Float] {
        let length = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard length > 0 else { return vector }
        return vector.map { $0 / length }
    }

    /// Cosine similarity; 0 when either vector is all zeros or the lengths differ.
    public static func cosine(_ left: [Float], _ right: [Float]) -> Double {
        guard left.count == right.count, !left.isEmpty else { return 0 }
        var dot: Float = 0
        var leftLength: Float = 0
        var rightLength: Float = 0
        for index in left.indices {
            dot += left[index] * right[index]
            leftLength += left[index] * left[index]
            rightLength += right[index] * right[index]
        }
        guard leftLength > 0, rightLength > 0 else { return 0 }
        return Double(dot / (leftLength.squareRoot() * rightLength.squareRoot()))
    }
}
