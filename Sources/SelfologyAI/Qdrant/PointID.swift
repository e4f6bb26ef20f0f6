import Foundation
import SelfologyCore

/// Qdrant point ids must be unsigned integers or UUIDs, and user ids are strings: each user's point id is the
/// name-based UUID (version 5) of the user id in this project's namespace, so upserting the same person again
/// replaces their point, and removing needs nothing but the user id.
enum PointID {
    /// A fixed, randomly generated namespace for Selfology user ids.
    static let userNamespace = UUID(
        uuid: (
            0x6B, 0x3E, 0x2C, 0x51, 0x94, 0x0D, 0x4F, 0x8A, 0xA1, 0x7E, 0x52, 0xC9, 0x0B, 0x33, 0xD4, 0x8F
        ))

    static func of(_ user: UserID) -> String {
        nameBased(user.rawValue, in: userNamespace).uuidString.lowercased()
    }

    /// RFC 9562 §5.5: SHA-1 of namespace bytes + name bytes, version 5, variant 10.
    static func nameBased(_ name: String, in namespace: UUID) -> UUID {
        let namespaceBytes = withUnsafeBytes(of: namespace.uuid) { Array($0) }
        var hash = SHA1.digest(namespaceBytes + Array(name.utf8))
        hash[6] = (hash[6] & 0x0F) | 0x50
        hash[8] = (hash[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                hash[0], hash[1], hash[2], hash[3], hash[4], hash[5], hash[6], hash[7], hash[8], hash[9], hash[10],
                hash[11], hash[12], hash[13], hash[14], hash[15]
            ))
    }
}
