#if canImport(Security) && canImport(CryptoKit) && canImport(LocalAuthentication)
import CryptoKit
import Foundation
import LocalAuthentication
import Security

/// The device key slot: a P-256 private key made inside the Secure Enclave, which wraps the
/// journal's slot key with ECIES (`eciesEncryptionCofactorVariableIVX963SHA256AESGCM`).
/// The private key never leaves the hardware; the Keychain holds only a reference to it.
///
/// The key is usable only on this device while it has a passcode
/// (`kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly`) and only after Face ID or Touch ID
/// with the *current* enrolment (`.biometryCurrentSet`: adding or removing a face or finger
/// invalidates it), as SECURITY.md's shell duties ask. Wrapping encrypts with the public key
/// and never prompts; unwrapping decrypts inside the Secure Enclave and shows the Face ID /
/// Touch ID sheet with `prompt`. Call both off the main thread (``Waymark`` does): unwrapping
/// blocks while the sheet is up.
///
/// **Create only on wrap.** Wrapping (enrolment, `Waymark.addDeviceSlot(_:label:)`) uses the
/// key under `tag` and creates it only when the Keychain answers that there is none
/// (`errSecItemNotFound`); any other answer is an error, never a reason to make a new key.
/// Unwrapping only loads: a missing key is `.keyInvalidated` at once, with no prompt.
///
/// **What unwrapping throws.** `PlatformKeyFailure.cancelled` when the person dismissed the
/// sheet (or the system or app did); `.failed(reason:)` when the face or finger did not match,
/// biometry is locked out or unavailable, or the device is locked: nothing is wrong with the
/// key, so try again or use the passphrase; `.keyInvalidated` when the key is gone (removed,
/// passcode turned off, restored phone) or present but unable to open what it wrapped (new
/// biometric enrolment, or the key was replaced). In every case the journal stays as it is and
/// the person unlocks with the passphrase or recovery code (SECURITY.md S16).
///
/// **Enrolling again.** After `.keyInvalidated`, unlock with the passphrase, call
/// ``recreate()`` (which deletes the stale key: a key invalidated by a new enrolment may still
/// be found and would wrap to a slot it can never open), then enrol again.
///
/// **Simulator.** The Simulator has no Secure Enclave (`SecureEnclave.isAvailable` is false).
/// There, and only there, the same P-256 key is made in the software Keychain, without the
/// Secure Enclave token and without `.privateKeyUsage` (same accessibility, same
/// `.biometryCurrentSet`; use Features > Face ID to enrol and match). On hardware without a
/// Secure Enclave (older Intel Macs, which have no Touch ID either) wrapping throws
/// `.failed(reason:)` and the app offers only the passphrase.
///
/// On macOS every query uses the data-protection Keychain (`kSecUseDataProtectionKeychain`),
/// which needs a signed app with a Keychain access group; unsigned test runners get
/// `errSecMissingEntitlement` (-34018).
public final class SecureEnclaveKeySlot: PlatformKeySlot, Sendable {
    private let tag: Data
    private let prompt: String

    /// Enrolments may run on several queues; creating the key is one step at a time, so two
    /// enrolments never make two keys under one tag.
    private static let creation = CreationLock()

    /// A slot whose key lives under the application tag `tag`; `prompt` is shown in the
    /// Face ID / Touch ID sheet (the app also needs `NSFaceIDUsageDescription`).
    public init(tag: String = "app.waymark.journal.device-key", prompt: String = "Unlock your journal") {
        self.tag = Data(tag.utf8)
        self.prompt = prompt
    }

    /// ECIES on P-256: an ephemeral key agreement, X9.63 KDF with SHA-256, AES-GCM.
    private static var algorithm: SecKeyAlgorithm { .eciesEncryptionCofactorVariableIVX963SHA256AESGCM }

    /// Encrypts the slot key with the public half of the device key (no prompt), creating
    /// the device key first if the Keychain has none under this tag.
    public func wrapKey(key: Data) throws -> Data {
        let privateKey = try Self.creation.run { try existingKey(context: nil) ?? createKey() }
        guard let publicKey = SecKeyCopyPublicKey(privateKey) else {
            throw PlatformKeyFailure.failed(reason: "the device key has no public key")
        }
        guard SecKeyIsAlgorithmSupported(publicKey, .encrypt, Self.algorithm) else {
            throw PlatformKeyFailure.failed(reason: "the device key cannot encrypt with ECIES")
        }
        var error: Unmanaged<CFError>?
        guard let wrapped = SecKeyCreateEncryptedData(publicKey, Self.algorithm, key as CFData, &error) as Data? else {
            throw PlatformKeyFailure.failed(reason: "wrapping failed (\(Self.describe(Self.take(error))))")
        }
        return wrapped
    }

    /// Decrypts a wrapped slot key inside the Secure Enclave; shows the Face ID / Touch ID
    /// sheet and blocks until it is answered. Never creates a key.
    public func unwrapKey(wrapped: Data) throws -> Data {
        let context = LAContext()
        context.localizedReason = prompt
        defer { context.invalidate() }
        guard let privateKey = try existingKey(context: context) else {
            throw PlatformKeyFailure.keyInvalidated
        }
        var error: Unmanaged<CFError>?
        guard let key = SecKeyCreateDecryptedData(privateKey, Self.algorithm, wrapped as CFData, &error) as Data? else {
            throw Self.failure(unwrapping: Self.take(error))
        }
        return key
    }

    /// Deletes the device key (after a passphrase unlock, before enrolling again). Every slot
    /// it wrapped, in any journal, then answers `.keyInvalidated`.
    public func recreate() {
        Self.creation.run {
            _ = SecItemDelete(baseQuery() as CFDictionary)
        }
    }

    private func baseQuery() -> [String: Any] {
        [kSecClass as String: kSecClassKey,
         kSecAttrKeyClass as String: kSecAttrKeyClassPrivate,
         kSecAttrKeyType as String: kSecAttrKeyTypeECSECPrimeRandom,
         kSecAttrApplicationTag as String: tag,
         kSecUseDataProtectionKeychain as String: true]
    }

    /// The private key's reference (no prompt: the access control applies when it is used),
    /// or nil when the Keychain has none. `context` carries the prompt to the later decryption.
    private func existingKey(context: LAContext?) throws -> SecKey? {
        var query = baseQuery()
        query[kSecReturnRef as String] = true
        query[kSecMatchLimit as String] = kSecMatchLimitOne
        if let context {
            query[kSecUseAuthenticationContext as String] = context
        }
        var item: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &item)
        switch status {
        case errSecSuccess:
            guard let item, CFGetTypeID(item) == SecKeyGetTypeID() else {
                throw PlatformKeyFailure.failed(reason: "the Keychain returned something other than a key")
            }
            return (item as! SecKey)
        case errSecItemNotFound:
            return nil
        case errSecUserCanceled:
            throw PlatformKeyFailure.cancelled
        case errSecInteractionNotAllowed:
            throw PlatformKeyFailure.failed(reason: "the device is locked; try again after unlocking it")
        default:
            throw PlatformKeyFailure.failed(reason: "Keychain lookup failed (OSStatus \(status))")
        }
    }

    /// A new permanent P-256 key under `tag`: in the Secure Enclave, or in the software
    /// Keychain on the Simulator only.
    private func createKey() throws -> SecKey {
        let inEnclave = SecureEnclave.isAvailable
        guard inEnclave || Self.softwareKeyAllowed else {
            throw PlatformKeyFailure.failed(reason: "this device has no Secure Enclave; use the passphrase")
        }
        var flags: SecAccessControlCreateFlags = [.biometryCurrentSet]
        if inEnclave {
            flags.insert(.privateKeyUsage)
        }
        var accessError: Unmanaged<CFError>?
        guard let access = SecAccessControlCreateWithFlags(
            nil, kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly, flags, &accessError
        ) else {
            throw PlatformKeyFailure.failed(reason: "access control unavailable (\(Self.describe(Self.take(accessError))))")
        }
        let privateAttributes: [String: Any] = [
            kSecAttrIsPermanent as String: true,
            kSecAttrApplicationTag as String: tag,
            kSecAttrAccessControl as String: access,
        ]
        var attributes: [String: Any] = [
            kSecAttrKeyType as String: kSecAttrKeyTypeECSECPrimeRandom,
            kSecAttrKeySizeInBits as String: 256,
            kSecUseDataProtectionKeychain as String: true,
            kSecPrivateKeyAttrs as String: privateAttributes,
        ]
        if inEnclave {
            attributes[kSecAttrTokenID as String] = kSecAttrTokenIDSecureEnclave
        }
        var error: Unmanaged<CFError>?
        guard let key = SecKeyCreateRandomKey(attributes as CFDictionary, &error) else {
            throw PlatformKeyFailure.failed(reason: "creating the device key failed (\(Self.describe(Self.take(error))))")
        }
        return key
    }

    /// True on the Simulator, which has no Secure Enclave.
    private static var softwareKeyAllowed: Bool {
        #if targetEnvironment(simulator)
        return true
        #else
        return false
        #endif
    }

    // MARK: Errors

    private static let retry = "Face ID or Touch ID did not succeed; try again or use the passphrase"

    /// Takes ownership of a Security framework error (each is taken once).
    private static func take(_ error: Unmanaged<CFError>?) -> NSError? {
        guard let error = error?.takeRetainedValue() else { return nil }
        return error as Error as NSError
    }

    /// Domain and code only: never the data the operation was given.
    private static func describe(_ error: NSError?) -> String {
        guard let error else { return "no error given" }
        return "\(error.domain) \(error.code)"
    }

    /// What a failed decryption means for the journal. The Security framework reports the
    /// prompt's outcome as an OSStatus, a LocalAuthentication or a CryptoTokenKit error, often
    /// one inside another (`NSUnderlyingErrorKey`): the most specific answer wins.
    static func failure(unwrapping error: NSError?) -> PlatformKeyFailure {
        guard let error else { return .failed(reason: "decryption failed without an error") }
        var chain = [error]
        while chain.count < 8, let underlying = chain[chain.count - 1].userInfo[NSUnderlyingErrorKey] as? NSError {
            chain.append(underlying)
        }
        for candidate in chain where candidate.domain == LAErrorDomain {
            if let failure = authenticationFailure(candidate.code) { return failure }
        }
        for candidate in chain where candidate.domain == tokenErrorDomain {
            if let failure = tokenFailure(candidate.code) { return failure }
        }
        for candidate in chain where candidate.domain == NSOSStatusErrorDomain {
            if let failure = statusFailure(OSStatus(truncatingIfNeeded: candidate.code)) { return failure }
        }
        // The key is there and the person was not asked in vain, yet it cannot open what it
        // wrapped: it was invalidated by a new enrolment or replaced by another key.
        return .keyInvalidated
    }

    private static func authenticationFailure(_ rawCode: Int) -> PlatformKeyFailure? {
        guard let code = LAError.Code(rawValue: rawCode) else { return nil }
        switch code {
        case .userCancel, .appCancel, .systemCancel, .userFallback:
            return .cancelled
        case .authenticationFailed, .biometryLockout:
            return .failed(reason: retry)
        case .biometryNotEnrolled, .passcodeNotSet:
            // No face, finger or passcode left: the key's enrolment is gone for good.
            return .keyInvalidated
        case .biometryNotAvailable, .notInteractive, .invalidContext:
            return .failed(reason: "Face ID or Touch ID is not available now (LAError \(rawCode)); use the passphrase")
        default:
            return nil
        }
    }

    /// CryptoTokenKit's domain (`TKErrorDomain`), which reports Secure Enclave operations.
    private static let tokenErrorDomain = "CryptoTokenKit"

    private static func tokenFailure(_ code: Int) -> PlatformKeyFailure? {
        switch code {
        case -4: // TKError.Code.canceledByUser
            return .cancelled
        case -5, -9: // TKError.Code.authenticationFailed, .authenticationNeeded
            return .failed(reason: retry)
        default:
            return nil
        }
    }

    private static func statusFailure(_ status: OSStatus) -> PlatformKeyFailure? {
        switch status {
        case errSecUserCanceled:
            return .cancelled
        case errSecAuthFailed:
            return .failed(reason: retry)
        case errSecInteractionNotAllowed:
            return .failed(reason: "the device is locked; try again after unlocking it")
        case errSecItemNotFound:
            return .keyInvalidated
        default:
            return nil
        }
    }
}

/// A lock for the key's creation (NSLock is not `Sendable` on every SDK this builds with).
private final class CreationLock: @unchecked Sendable {
    private let lock = NSLock()

    func run<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
#endif
