package app.waymark

import app.waymark.ffi.PlatformKeyFailure
import app.waymark.ffi.PlatformKeySlot
import java.nio.ByteBuffer
import java.security.GeneralSecurityException
import java.security.InvalidKeyException
import java.security.KeyStoreException
import java.security.UnrecoverableKeyException
import javax.crypto.AEADBadTagException
import javax.crypto.Cipher
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/**
 * A device key slot written against `javax.crypto` only: AES-256-GCM with a key from
 * [key], which on Android is a non-exportable Android Keystore key ([app.waymark.android.AndroidKeystoreSlot])
 * and in tests a software key. The same code runs on both.
 *
 * Wrapping (enrolment) takes its key from [keyForWrap], which may create one; unwrapping
 * (unlock) only ever loads with [key]: a key that is gone is [PlatformKeyFailure.KeyInvalidated]
 * at once, never a fresh key that could not open the slot behind a prompt that cannot succeed.
 *
 * Wrapped form: one byte of IV length, the IV (chosen by the provider, as the Keystore
 * requires), then ciphertext and tag.
 *
 * Failures are mapped so the journal can fall back correctly (SECURITY.md S16):
 * a key that is gone, invalidated or no longer the one that wrapped is [PlatformKeyFailure.KeyInvalidated];
 * everything else is [PlatformKeyFailure.Failed] naming only the exception's class.
 */
open class CipherKeySlot(
    private val key: () -> SecretKey,
    private val keyForWrap: () -> SecretKey,
) : PlatformKeySlot {

    /** A slot whose one key both wraps and unwraps (a software key in tests). */
    constructor(key: () -> SecretKey) : this(key, key)

    /** Runs just before `Cipher.doFinal`; Android overrides it to pass a biometric prompt. */
    protected open fun authorize(cipher: Cipher, decrypting: Boolean): Cipher = cipher

    /** Maps a platform exception to what the journal understands. */
    protected open fun classify(error: Exception): PlatformKeyFailure = when (error) {
        is InvalidKeyException, is KeyStoreException, is UnrecoverableKeyException,
        is AEADBadTagException -> PlatformKeyFailure.KeyInvalidated()
        else -> PlatformKeyFailure.Failed(error.javaClass.simpleName)
    }

    override fun wrapKey(key: ByteArray): ByteArray = guarded {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, keyForWrap())
        val iv = cipher.iv
        val sealed = authorize(cipher, decrypting = false).doFinal(key)
        ByteBuffer.allocate(1 + iv.size + sealed.size)
            .put(iv.size.toByte()).put(iv).put(sealed).array()
    }

    override fun unwrapKey(wrapped: ByteArray): ByteArray = guarded {
        if (wrapped.isEmpty()) throw PlatformKeyFailure.Failed("empty wrapped key")
        val ivLength = wrapped[0].toInt() and 0xff
        if (ivLength !in 12..16 || wrapped.size < 1 + ivLength + 16) {
            throw PlatformKeyFailure.Failed("malformed wrapped key")
        }
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, key(), GCMParameterSpec(128, wrapped, 1, ivLength))
        authorize(cipher, decrypting = true).doFinal(wrapped, 1 + ivLength, wrapped.size - 1 - ivLength)
    }

    private inline fun guarded(block: () -> ByteArray): ByteArray = try {
        block()
    } catch (failure: PlatformKeyFailure) {
        throw failure
    } catch (error: GeneralSecurityException) {
        throw classify(error)
    } catch (error: RuntimeException) {
        throw classify(error)
    }

    private companion object {
        const val TRANSFORMATION = "AES/GCM/NoPadding"
    }
}
