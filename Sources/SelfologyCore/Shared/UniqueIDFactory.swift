import Foundation

/// Makes time-ordered unique ids from a clock reading and random bits supplied by the caller, so the core stays
/// deterministic under test. Ids made by one factory are strictly increasing even within one millisecond.
public struct UniqueIDFactory: Sendable {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    private var lastMillis: UInt64 = 0
    private var lastRandom: (high: UInt16, low: UInt64) = (0, 0)

    public init() {}

    /// - Parameters:
    ///   - now: the current time.
    ///   - random: 80 random bits as (16 high bits, 64 low bits).
    public mutating func next(now: Date, random: (high: UInt16, low: UInt64)) -> String {
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        if millis <= lastMillis {
            // Same (or earlier, clock stepped back) millisecond: keep ordering by incrementing the last entropy.
            let (low, lowOverflow) = lastRandom.low.addingReportingOverflow(1)
            let (high, highOverflow) =
                lowOverflow ? lastRandom.high.addingReportingOverflow(1) : (lastRandom.high, false)
            // All 80 bits used up within one millisecond: borrow the next millisecond rather than wrap around.
            if highOverflow { lastMillis += 1 }
            lastRandom = (high, low)
            return Self.encode(millis: lastMillis, entropy: lastRandom)
        }
        lastMillis = millis
        lastRandom = random
        return Self.encode(millis: millis, entropy: random)
    }

    static func encode(millis: UInt64, entropy: (high: UInt16, low: UInt64)) -> String {
        // 128 bits: 48 of time, 80 of entropy; 26 base32 digits, most significant first.
        var high = (millis << 16) | UInt64(entropy.high)  // upper 64 bits
        var low = entropy.low
        var digits = [UInt8](repeating: 0, count: 26)
        for index in stride(from: 25, through: 0, by: -1) {
            let digit = Int(low & 0x1F)
            digits[index] = alphabet[digit]
            low = (low >> 5) | ((high & 0x1F) << 59)
            high >>= 5
        }
        return String(decoding: digits, as: UTF8.self)
    }
}
