#if canImport(Security) && canImport(CryptoKit) && canImport(LocalAuthentication)
import CryptoKit
import Foundation
import LocalAuthentication
import Security

/// The iOS Keychain key slot: a random 256-bit key in the Keychain, readable only on this
/// device while it has a passcode (`kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly`) and
/// only after Face ID / Touch ID with the *current* enrolment (`.biometryCurrentSet`: a new
/// fingerprint or face invalidates it). The journal's slot key is sealed with it using
/// AES-GCM (CryptoKit).
///
/// When the item is gone or invalidated, unwrapping throws `.KeyInvalidated`; the journal
/// stays as it is and the app asks for the passphrase (SECURITY.md S16). ``recreate()``
/// deletes the item so the app can enrol again after a passphrase unlock.
public final class KeychainKeySlot: PlatformKeySlot, @unchecked Sendable {
    private let service: String
    private let account: String
    private let prompt: String

    /// A slot stored under `service`/`account`; `prompt` is shown in the biometric sheet.
    public init(service: String = "app.waymark.journal", account: String = "device-key",
                prompt: String = "Unlock your journal") {
        self.service = service
        self.account = account
        self.prompt = prompt
    }

    public func wrapKey(key: Data) throws -> Data {
        let sealed = try AES.GCM.seal(key, using: try loadOrCreate())
        guard let combined = sealed.combined else { throw PlatformKeyFailure.Failed(reason: "seal failed") }
        return combined
    }

    public func unwrapKey(wrapped: Data) throws -> Data {
        do {
            return try AES.GCM.open(try AES.GCM.SealedBox(combined: wrapped), using: try load())
        } catch let failure as PlatformKeyFailure {
            throw failure
        } catch {
            throw PlatformKeyFailure.KeyInvalidated
        }
    }

    /// Deletes the Keychain item (after a passphrase unlock, before enrolling again).
    public func recreate() {
        SecItemDelete(baseQuery() as CFDictionary)
    }

    private func baseQuery() -> [String: Any] {
        [kSecClass as String: kSecClassGenericPassword,
         kSecAttrService as String: service,
         kSecAttrAccount as String: account]
    }

    private func load() throws -> SymmetricKey {
        let context = LAContext()
        context.localizedReason = prompt
        var query = baseQuery()
        query[kSecReturnData as String] = true
        query[kSecUseAuthenticationContext as String] = context
        var item: CFTypeRef?
        switch SecItemCopyMatching(query as CFDictionary, &item) {
        case errSecSuccess:
            guard let data = item as? Data else { throw PlatformKeyFailure.Failed(reason: "unexpected item") }
            return SymmetricKey(data: data)
        case errSecItemNotFound, errSecAuthFailed, errSecInvalidItemRef:
            throw PlatformKeyFailure.KeyInvalidated
        case errSecUserCanceled:
            throw PlatformKeyFailure.Cancelled
        case let status:
            throw PlatformKeyFailure.Failed(reason: "keychain status \(status)")
        }
    }

    private func loadOrCreate() throws -> SymmetricKey {
        if let key = try? load() { return key }
        let key = SymmetricKey(size: .bits256)
        var error: Unmanaged<CFError>?
        guard let access = SecAccessControlCreateWithFlags(
            nil, kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly, .biometryCurrentSet, &error
        ) else {
            throw PlatformKeyFailure.Failed(reason: "access control unavailable")
        }
        var query = baseQuery()
        query[kSecValueData as String] = key.withUnsafeBytes { Data($0) }
        query[kSecAttrAccessControl as String] = access
        let status = SecItemAdd(query as CFDictionary, nil)
        guard status == errSecSuccess else { throw PlatformKeyFailure.Failed(reason: "keychain status \(status)") }
        return key
    }
}
#endif
