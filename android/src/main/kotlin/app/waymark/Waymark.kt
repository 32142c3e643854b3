package app.waymark

import app.waymark.core.BackupWritten
import app.waymark.core.CheckInDelivery
import app.waymark.core.CheckInInput
import app.waymark.core.HelpNow
import app.waymark.core.Home
import app.waymark.core.KdfParams
import app.waymark.core.LimitProgress
import app.waymark.core.Outreach
import app.waymark.core.PlanSection
import app.waymark.core.Reminder
import app.waymark.core.ReminderPrefs
import app.waymark.core.SafetyItem
import app.waymark.core.SafetyPlanView
import app.waymark.core.UrgeSessionEnded
import app.waymark.core.UseLog
import app.waymark.core.MergeReport
import app.waymark.core.ProgressReview
import app.waymark.core.ProgressScreen
import app.waymark.core.ReviewRange
import app.waymark.ffi.PlatformKeySlot
import app.waymark.ffi.ShellClock
import app.waymark.ffi.WaymarkJournal
import app.waymark.ffi.KeyRotationReport
import app.waymark.ffi.createJournal
import app.waymark.ffi.joinJournal
import app.waymark.ffi.SyncStorage
import app.waymark.core.SyncReport
import app.waymark.ffi.restoreJournal
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.withContext
import kotlin.coroutines.CoroutineContext

/**
 * The Kotlin face of a Waymark journal: every call is a `suspend` function that runs on
 * [io] (by default [Dispatchers.IO]), so nothing (least of all Argon2id, which takes hundreds
 * of milliseconds on purpose) ever runs on the main thread.
 *
 * The generated [WaymarkJournal] underneath is thread-safe; this class adds the dispatching,
 * names the common calls, and closes properly: [close] locks the journal (dropping and
 * zeroizing its keys) and frees the native object. Use it with `use { }`.
 *
 * Any verb of the domain is reachable through [call]: `waymark.call { it.logTrigger(input) }`.
 * Errors arrive as [app.waymark.core.WaymarkException] subclasses (`InvalidInput` names the
 * field and the rule; `WrongSecret`, `Locked`, `NotFound`, `PlatformKeyUnavailable`...).
 */
class Waymark private constructor(
    /** The generated journal object, for calls this class does not name. */
    val journal: WaymarkJournal,
    private val io: CoroutineContext,
) : AutoCloseable {

    /** A new journal and the recovery code to show once (never store it). */
    class Created(val waymark: Waymark, val recoveryCode: String)

    /** A journal joined from a sync storage, and what its first sync brought in. */
    class Joined(val waymark: Waymark, val report: SyncReport)

    companion object {
        /** Creates a journal at [path]. Slow (Argon2id): runs on [io]. */
        suspend fun create(
            path: String,
            passphrase: String,
            io: CoroutineContext = Dispatchers.IO,
            kdf: KdfParams? = null,
            clock: ShellClock? = null,
        ): Created = withContext(io) {
            val created = createJournal(path, passphrase, kdf, clock)
            Created(Waymark(created.journal, io), created.recoveryCode)
        }

        /**
         * Makes this device's journal at [path] from the journal in [storage] (your other
         * device synced it there), opened with its [passphrase] or its [recoveryCode] (give
         * one): the same journal, every record synced in. Slow (Argon2id, then the storage):
         * runs on [io]. A wrong secret is `WaymarkException.WrongSecret`, leaving nothing.
         */
        suspend fun join(
            path: String,
            storage: SyncStorage,
            passphrase: String? = null,
            recoveryCode: String? = null,
            io: CoroutineContext = Dispatchers.IO,
            kdf: KdfParams? = null,
            clock: ShellClock? = null,
        ): Joined = withContext(io) {
            val joined = joinJournal(path, storage, passphrase, recoveryCode, kdf, clock)
            Joined(Waymark(joined.journal, io), joined.report)
        }

        /** Opens the journal at [path], locked. */
        suspend fun open(
            path: String,
            io: CoroutineContext = Dispatchers.IO,
            kdf: KdfParams? = null,
            clock: ShellClock? = null,
        ): Waymark = withContext(io) { Waymark(WaymarkJournal.open(path, kdf, clock), io) }

        /**
         * Makes a new journal at [path] from the backup at [backupPath], protected by
         * [newPassphrase] (slow: two Argon2id derivations). The backup is checked before
         * anything is created; a failure leaves nothing at [path].
         */
        suspend fun restore(
            backupPath: String,
            backupPassphrase: String,
            path: String,
            newPassphrase: String,
            io: CoroutineContext = Dispatchers.IO,
            kdf: KdfParams? = null,
            clock: ShellClock? = null,
        ): Created = withContext(io) {
            val restored = restoreJournal(backupPath, backupPassphrase, path, newPassphrase, kdf, clock)
            Created(Waymark(restored.journal, io), restored.recoveryCode)
        }
    }

    private val closed = java.util.concurrent.atomic.AtomicBoolean(false)

    private val unlockedState = MutableStateFlow(false)

    /**
     * The lock state, observable from the UI: true while unlocked. It changes when this class
     * unlocks, locks or closes the journal, and is checked again after every [call], so a
     * lock from elsewhere shows up too. Reading it never waits on the journal.
     */
    val unlocked: StateFlow<Boolean> = unlockedState.asStateFlow()

    private fun refreshLockState() {
        unlockedState.value = !closed.get() && journal.isUnlocked()
    }

    init {
        refreshLockState()
    }

    /** Runs [block] with the journal on [io]. */
    suspend fun <T> call(block: (WaymarkJournal) -> T): T = withContext(io) {
        try {
            block(journal)
        } finally {
            refreshLockState()
        }
    }

    /** Unlocks with the passphrase (slow: Argon2id). */
    suspend fun unlock(passphrase: String) = call { it.unlockWithPassphrase(passphrase) }

    /** Unlocks with the recovery code. */
    suspend fun unlockWithRecoveryCode(code: String) = call { it.unlockWithRecoveryCode(code) }

    /**
     * Unlocks with the device key; may wait for a biometric prompt. On
     * `WaymarkException.PlatformKeyUnavailable` fall back to the passphrase: the journal is
     * untouched and nothing is regenerated.
     */
    suspend fun unlockWithDevice(slot: PlatformKeySlot) = call { it.unlockWithPlatform(slot) }

    /** Enrols the device key as another way to unlock; returns the slot id. */
    suspend fun addDeviceSlot(slot: PlatformKeySlot, label: String): Long =
        call { it.addPlatformSlot(slot, label) }

    /** Adds a passphrase to a journal that has none (slow: Argon2id); returns the slot id. */
    suspend fun addPassphrase(passphrase: String): Long = call { it.addPassphrase(passphrase) }

    /**
     * Replaces the data key and re-seals every record (slow: Argon2id and every record).
     * Returns the new recovery code to show once; device slots must be enrolled again.
     */
    suspend fun rotateDataKey(passphrase: String, slot: PlatformKeySlot? = null): KeyRotationReport =
        call { it.rotateDataKey(passphrase, slot) }

    /** Destroys the journal: every key and the file. This object answers `Wiped` afterwards. */
    suspend fun wipe() = call { it.wipe() }

    /** Changes the passphrase (slow: Argon2id). */
    suspend fun changePassphrase(current: String, new: String) =
        call { it.changePassphrase(current, new) }

    /** Writes an encrypted backup to [path] under its own [passphrase] (slow: Argon2id). */
    suspend fun writeBackup(path: String, passphrase: String): BackupWritten =
        call { it.writeBackup(path, passphrase) }

    /**
     * Syncs with your other devices through [storage] (your platform's storage, or
     * `folderSyncStorage(path)`): applies what they sent, sends what was written here. An
     * entry edited on two devices at once keeps both texts (a conflict copy); a storage
     * failure is `WaymarkException.SyncFailed` with nothing half-applied. Runs on [io].
     */
    suspend fun sync(storage: SyncStorage): SyncReport = call { it.sync(storage) }

    /**
     * Like [sync], sending the whole journal again as one snapshot and going on where
     * [storage] shows less than before: after `WaymarkException.SyncRolledBack` for a storage
     * the person restored from an older copy on purpose. Runs on [io].
     */
    suspend fun syncResending(storage: SyncStorage): SyncReport = call { it.syncResending(storage) }

    /**
     * Joins this journal to [storage] again after its key was rotated on another device
     * (`WaymarkException.SyncKeyChanged`), keeping everything it holds; give the journal's
     * current [passphrase] or [recoveryCode]. The device-key slot is dropped: enrol it again.
     * Slow (Argon2id, every record re-sealed): runs on [io].
     */
    suspend fun joinAgain(
        storage: SyncStorage,
        passphrase: String? = null,
        recoveryCode: String? = null,
    ): SyncReport = call { it.joinAgain(storage, passphrase, recoveryCode) }

    /** Merges the backup at [path] from another device, without duplicates (slow: Argon2id). */
    suspend fun mergeBackup(path: String, passphrase: String): MergeReport =
        call { it.mergeBackup(path, passphrase) }

    /**
     * Checks in from a notification action: written now when the journal is unlocked; when it
     * is locked, held in memory (never on disk) with the moment it was given, and written for
     * that moment's day by the next unlock. `CheckInDelivery.Held` means "ask the person to
     * unlock": open the app's unlock screen from the action. Held check-ins live as long as
     * this object: keep one [Waymark] per process and do not [close] it while any wait.
     */
    suspend fun checkInOrHold(input: CheckInInput): CheckInDelivery = call { it.checkInOrHold(input) }

    /** How many check-ins given while locked wait for the next unlock. */
    suspend fun heldCheckIns(): Int = call { it.heldCheckIns() }

    /** The home screen in one call: today's counters, check-in, streak, milestones to celebrate, suggested cards. */
    suspend fun home(): Home = call { it.home() }

    /** The progress screen for [range]: every journey's counter, milestones and lapses, one point per day. */
    suspend fun progress(range: ReviewRange): ProgressScreen = call { it.progress(range) }

    /**
     * The progress report for [range] as one self-contained HTML page (the same as `waymark
     * report`), with the safety plan on its own page when [withSafetyPlan]. It is readable:
     * share it (ACTION_SEND, text/html) only when the person asks, and do not keep a copy.
     */
    suspend fun reportHtml(range: ReviewRange, withSafetyPlan: Boolean = false): String =
        call { it.reportHtml(range, withSafetyPlan) }

    /** The progress review for [range]. */
    suspend fun reviewProgress(range: ReviewRange): ProgressReview = call { it.reviewProgress(range) }

    /** The safety plan as the person reads it (six steps, reasons, crisis lines to check). */
    suspend fun safetyPlan(): SafetyPlanView = call { it.safetyPlan() }

    /** Adds an item at the end of a section of the safety plan. */
    suspend fun addSafetyItem(section: PlanSection, item: SafetyItem): SafetyPlanView =
        call { it.addSafetyItem(section, item) }

    /** Marks a starter crisis line as checked by the person. */
    suspend fun confirmCrisisLine(lineId: String): SafetyPlanView = call { it.confirmCrisisLine(lineId) }

    /**
     * Help now: the plan's first steps, the cards for this hour, people and lines to call, and
     * an urge-surfing session started. [intensity] is the urge now, 0-10, if given.
     */
    suspend fun helpNow(intensity: Int? = null): HelpNow =
        call { it.helpNow(intensity) }

    /** Logs a call made from help now as outreach. */
    suspend fun callFromHelpNow(contactId: String): Outreach = call { it.callFromHelpNow(contactId) }

    /** Ends the open urge-surfing session with the urge now (0-10) and the card used. */
    suspend fun endUrgeSession(intensity: Int, cardId: String? = null): UrgeSessionEnded =
        call { it.endUrgeSession(null, intensity, cardId) }

    /**
     * The notifications to schedule over the next [days] days, soonest first. Cancel what was
     * scheduled before and schedule these (ids are stable); call again after each change and
     * when the device's zone changes.
     */
    suspend fun reminders(days: Int = 7): List<Reminder> =
        call { it.reminders(days) }

    /** The reminder settings. */
    suspend fun reminderPrefs(): ReminderPrefs = call { it.reminderPrefs() }

    /** Saves the reminder settings. */
    suspend fun setReminderPrefs(prefs: ReminderPrefs): ReminderPrefs = call { it.setReminderPrefs(prefs) }

    /** Logs an amount typed as text ("1.5") for today on a limit journey. */
    suspend fun logUse(journeyId: String, amount: String): UseLog =
        call { it.logUse(journeyId, app.waymark.ffi.parseLimitAmount(amount), null) }

    /** How a limit journey is going today; null for an abstinence journey. */
    suspend fun limitProgress(journeyId: String): LimitProgress? = call { it.limitProgress(journeyId) }

    /** True while unlocked. */
    val isUnlocked: Boolean get() = !closed.get() && journal.isUnlocked()

    /** Locks now: keys are dropped and zeroized. Cheap; safe on any thread; nothing after [close]. */
    fun lock() {
        if (closed.get()) return
        journal.lock()
        refreshLockState()
    }

    /** Locks and frees the native object. Closing twice does nothing the second time. */
    override fun close() {
        if (closed.compareAndSet(false, true)) {
            journal.lock()
            journal.close()
            unlockedState.value = false
        }
    }
}
