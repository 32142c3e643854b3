package app.waymark.android

import android.os.Looper
import androidx.biometric.BiometricPrompt
import androidx.core.content.ContextCompat
import androidx.fragment.app.FragmentActivity
import app.waymark.ffi.PlatformKeyFailure
import javax.crypto.Cipher
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.suspendCancellableCoroutine
import kotlinx.coroutines.withContext

/**
 * Shows a `BiometricPrompt` for [cipher] and returns it authorised. Runs the prompt on the
 * main thread and suspends the caller; cancelling the coroutine cancels the prompt. A
 * cancelled prompt is `PlatformKeyFailure.Cancelled`; a key the prompt reports as no longer
 * usable is `KeyInvalidated`; a failed match leaves the prompt up (the person tries again)
 * and is never reported as an invalidated key.
 */
suspend fun FragmentActivity.authenticateCipher(
    cipher: Cipher,
    info: BiometricPrompt.PromptInfo,
): Cipher = withContext(Dispatchers.Main) {
    suspendCancellableCoroutine { continuation ->
        val prompt = BiometricPrompt(
            this@authenticateCipher,
            ContextCompat.getMainExecutor(this@authenticateCipher),
            object : BiometricPrompt.AuthenticationCallback() {
                override fun onAuthenticationSucceeded(result: BiometricPrompt.AuthenticationResult) {
                    val authorised = result.cryptoObject?.cipher
                    if (authorised != null) {
                        continuation.resume(authorised)
                    } else {
                        continuation.resumeWithException(PlatformKeyFailure.Failed("no cipher"))
                    }
                }

                override fun onAuthenticationError(code: Int, message: CharSequence) {
                    if (!continuation.isActive) return
                    continuation.resumeWithException(failureOf(code))
                }
            },
        )
        continuation.invokeOnCancellation { prompt.cancelAuthentication() }
        prompt.authenticate(info, BiometricPrompt.CryptoObject(cipher))
    }
}

/** What a prompt error means to the journal. */
internal fun failureOf(code: Int): PlatformKeyFailure = when (code) {
    BiometricPrompt.ERROR_USER_CANCELED,
    BiometricPrompt.ERROR_NEGATIVE_BUTTON,
    BiometricPrompt.ERROR_CANCELED,
    BiometricPrompt.ERROR_TIMEOUT,
    -> PlatformKeyFailure.Cancelled()
    BiometricPrompt.ERROR_NO_BIOMETRICS,
    BiometricPrompt.ERROR_HW_NOT_PRESENT,
    -> PlatformKeyFailure.KeyInvalidated()
    else -> PlatformKeyFailure.Failed("biometric error $code")
}

/**
 * The `authenticate` an [AndroidKeystoreSlot] needs: from the journal's background thread,
 * it shows the prompt on the main thread and waits for the person. Never call the slot from
 * the main thread (the `Waymark` class never does).
 */
fun FragmentActivity.biometricAuthenticator(info: BiometricPrompt.PromptInfo): (Cipher) -> Cipher =
    { cipher ->
        check(Looper.myLooper() != Looper.getMainLooper()) {
            "the device key is used off the main thread (Waymark's calls run on Dispatchers.IO)"
        }
        runBlocking { authenticateCipher(cipher, info) }
    }
