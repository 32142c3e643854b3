package app.waymark.android

import android.app.Activity
import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyPermanentlyInvalidatedException
import android.security.keystore.KeyProperties
import android.security.keystore.UserNotAuthenticatedException
import android.view.WindowManager
import app.waymark.CipherKeySlot
import app.waymark.ffi.PlatformKeyFailure
import java.security.KeyStore
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey

/**
 * The Android Keystore key slot: a non-exportable AES-256-GCM key in `AndroidKeyStore` that
 * needs strong biometric authentication for every use and is invalidated when a new
 * biometric is enrolled (SECURITY.md, shell duties). All the wrapping logic is the portable
 * [CipherKeySlot]; only key creation, the prompt hook and error mapping live here.
 *
 * [authenticate] receives a cipher that is initialised but not yet authorised. It must show
 * a `BiometricPrompt` with `BiometricPrompt.CryptoObject(cipher)` and **block** until the
 * person authenticates, returning the authorised cipher (or throw
 * `PlatformKeyFailure.Cancelled`). The journal calls the slot from the thread of the
 * `Waymark` call, which is never the main thread, so blocking is safe there.
 *
 * When the key has been invalidated (new fingerprint, restored phone) unlock reports
 * `PlatformKeyUnavailable` and the app asks for the passphrase; after that, [recreate] and
 * `Waymark.addDeviceSlot` enrol a fresh key. Nothing is ever regenerated silently.
 */
class AndroidKeystoreSlot(
    private val alias: String = "waymark-journal-key",
    private val authenticate: (Cipher) -> Cipher,
) : CipherKeySlot({ loadOrCreate(alias) }) {

    override fun authorize(cipher: Cipher, decrypting: Boolean): Cipher = authenticate(cipher)

    override fun classify(error: Exception): PlatformKeyFailure = when (error) {
        is KeyPermanentlyInvalidatedException -> PlatformKeyFailure.KeyInvalidated()
        is UserNotAuthenticatedException -> PlatformKeyFailure.Cancelled()
        else -> super.classify(error)
    }

    /** Deletes the key so the next use creates a new one (only after a passphrase unlock). */
    fun recreate() {
        KeyStore.getInstance(KEYSTORE).apply { load(null) }.deleteEntry(alias)
    }

    companion object {
        private const val KEYSTORE = "AndroidKeyStore"

        private fun loadOrCreate(alias: String): SecretKey {
            val store = KeyStore.getInstance(KEYSTORE).apply { load(null) }
            (store.getKey(alias, null) as? SecretKey)?.let { return it }
            val spec = KeyGenParameterSpec.Builder(
                alias,
                KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT,
            )
                .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
                .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
                .setKeySize(256)
                .setRandomizedEncryptionRequired(true)
                .setUserAuthenticationRequired(true)
                .setInvalidatedByBiometricEnrollment(true)
                .apply {
                    if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.R) {
                        setUserAuthenticationParameters(0, KeyProperties.AUTH_BIOMETRIC_STRONG)
                    } else {
                        @Suppress("DEPRECATION")
                        setUserAuthenticationValidityDurationSeconds(-1)
                    }
                }
                .build()
            return KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, KEYSTORE)
                .apply { init(spec) }
                .generateKey()
        }
    }
}

/** Keeps journal screens out of screenshots, screen recording and the recent-apps preview. */
fun Activity.protectJournalScreen() {
    window.setFlags(WindowManager.LayoutParams.FLAG_SECURE, WindowManager.LayoutParams.FLAG_SECURE)
}
