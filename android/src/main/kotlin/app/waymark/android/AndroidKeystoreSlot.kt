package app.waymark.android

import android.app.Activity
import android.content.Context
import android.content.pm.PackageManager
import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyPermanentlyInvalidatedException
import android.security.keystore.KeyProperties
import android.security.keystore.UserNotAuthenticatedException
import android.view.WindowManager
import app.waymark.CipherKeySlot
import app.waymark.ffi.PlatformKeyFailure
import java.io.File
import java.security.KeyStore
import java.security.ProviderException
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey

/**
 * The Android Keystore key slot: a non-exportable AES-256-GCM key in `AndroidKeyStore` that
 * needs strong biometric authentication for every use, is invalidated when a new biometric
 * is enrolled, cannot be used while the device is locked (API 28+), and lives in StrongBox
 * where the device has one and [strongBox] asks for it (SECURITY.md, shell duties). All the
 * wrapping logic is the portable [CipherKeySlot]; only key creation, the prompt hook and
 * error mapping live here.
 *
 * **Create only on wrap.** Unlocking only loads the key: a removed alias is
 * `KeyInvalidated` at once, with no prompt that could never succeed. Enrolling
 * (`Waymark.addDeviceSlot(slot, label)`) creates a fresh key; use the same label on a device
 * every time, and the journal replaces that device's stale slot in the same transaction.
 *
 * [authenticate] receives a cipher that is initialised but not yet authorised and returns it
 * authorised. Use [biometricAuthenticator] (androidx.biometric), which shows the prompt on
 * the main thread and waits on the journal's background thread; the journal holds no lock
 * meanwhile, so the UI keeps answering (`isUnlocked`, `lock`).
 */
class AndroidKeystoreSlot(
    private val alias: String = DEFAULT_ALIAS,
    private val strongBox: Boolean = false,
    private val authenticate: (Cipher) -> Cipher,
) : CipherKeySlot(key = { load(alias) }, keyForWrap = { create(alias, strongBox) }) {

    override fun authorize(cipher: Cipher, decrypting: Boolean): Cipher = authenticate(cipher)

    override fun classify(error: Exception): PlatformKeyFailure = when (error) {
        is KeyPermanentlyInvalidatedException -> PlatformKeyFailure.KeyInvalidated()
        is UserNotAuthenticatedException -> PlatformKeyFailure.Cancelled()
        else -> super.classify(error)
    }

    companion object {
        /** The alias used when none is given. */
        const val DEFAULT_ALIAS = "waymark-journal-key"
        private const val KEYSTORE = "AndroidKeyStore"

        /** True when this device has a StrongBox secure element to hold the key. */
        fun strongBoxAvailable(context: Context): Boolean =
            Build.VERSION.SDK_INT >= Build.VERSION_CODES.P &&
                context.packageManager.hasSystemFeature(PackageManager.FEATURE_STRONGBOX_KEYSTORE)

        private fun keyStore(): KeyStore = KeyStore.getInstance(KEYSTORE).apply { load(null) }

        /** The key, for unwrapping: never created here. */
        private fun load(alias: String): SecretKey =
            keyStore().getKey(alias, null) as? SecretKey ?: throw PlatformKeyFailure.KeyInvalidated()

        /** A fresh key for an enrolment (the alias's old key belonged to the slot it replaces). */
        private fun create(alias: String, strongBox: Boolean): SecretKey {
            keyStore().deleteEntry(alias)
            if (strongBox && Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) {
                try {
                    return generate(alias, strongBox = true)
                } catch (unavailable: ProviderException) {
                    // StrongBoxUnavailableException (API 28) is a ProviderException: fall back.
                }
            }
            return generate(alias, strongBox = false)
        }

        private fun generate(alias: String, strongBox: Boolean): SecretKey {
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
                    if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) {
                        setUnlockedDeviceRequired(true)
                        setIsStrongBoxBacked(strongBox)
                    }
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

/**
 * Where the journal lives: `noBackupFilesDir/waymark/journal.db`. Android never backs that
 * folder up or moves it to a new device; the backup rules shipped with the library
 * (`waymark_backup_rules`, `waymark_data_extraction_rules`) also exclude `files/waymark/`,
 * for apps that kept the journal there before.
 */
fun Context.waymarkJournalPath(): String =
    File(File(noBackupFilesDir, "waymark").apply { mkdirs() }, "journal.db").path

/** Keeps journal screens out of screenshots, screen recording and the recent-apps preview. */
fun Activity.protectJournalScreen() {
    window.setFlags(WindowManager.LayoutParams.FLAG_SECURE, WindowManager.LayoutParams.FLAG_SECURE)
}
