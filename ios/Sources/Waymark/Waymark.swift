import Foundation

/// The Swift face of a Waymark journal: `async` methods that do their work on a background
/// queue, so nothing (least of all Argon2id, which takes hundreds of milliseconds on
/// purpose) ever blocks the main actor.
///
/// The generated ``WaymarkJournal`` underneath is thread-safe (`Sendable`); this class adds
/// the hop off the caller's thread and names the common calls. Any verb of the domain is
/// reachable through ``call(_:)``: `try await waymark.call { try $0.logTrigger(input: input) }`.
/// Errors are ``WaymarkError`` cases (`.invalidInput(field:rule:summary:)`, `.wrongSecret`,
/// `.locked`, `.platformKeyUnavailable`...).
public final class Waymark: @unchecked Sendable {
    /// The generated journal object, for calls this class does not name.
    public let journal: WaymarkJournal
    private let queue: DispatchQueue

    /// A new journal and the recovery code to show once (never store it).
    public struct Created: @unchecked Sendable {
        /// The journal, unlocked.
        public let waymark: Waymark
        /// Six groups of five characters.
        public let recoveryCode: String
    }

    /// A journal joined from a sync storage, and what its first sync brought in.
    public struct Joined: @unchecked Sendable {
        /// The journal, unlocked.
        public let waymark: Waymark
        /// What the first sync brought in.
        public let report: SyncReport
    }

    private let lockState: LockState

    private init(journal: WaymarkJournal, queue: DispatchQueue) {
        self.journal = journal
        self.queue = queue
        self.lockState = LockState(journal.isUnlocked())
    }

    /// The lock state as it changes, for the UI: the current value first, then every change
    /// (true while unlocked). It changes when this object unlocks or locks the journal, and
    /// is checked again after every ``call(_:)``. Reading it never waits on the journal.
    public var lockStates: AsyncStream<Bool> { lockState.stream() }

    private static func work<T: Sendable>(
        on queue: DispatchQueue, _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Creates a journal at `path` (slow: Argon2id runs on `queue`). Its directory gets
    /// `.completeUntilFirstUserAuthentication` protection and is excluded from backup
    /// (``JournalFiles/protect(journalPath:)``), again on every open and restore.
    public static func create(
        path: String,
        passphrase: String,
        kdf: KdfParams? = nil,
        clock: ShellClock? = nil,
        queue: DispatchQueue = .global(qos: .userInitiated)
    ) async throws -> Created {
        try await work(on: queue) {
            let created = try createJournal(path: path, passphrase: passphrase, kdf: kdf, clock: clock)
            try JournalFiles.protect(journalPath: path)
            return Created(waymark: Waymark(journal: created.journal, queue: queue), recoveryCode: created.recoveryCode)
        }
    }

    /// Makes this device's journal at `path` from the journal in `storage` (your other device
    /// synced it there), opened with its `passphrase` or its `recoveryCode` (give one): the
    /// same journal, every record synced in. Slow (Argon2id, then the storage): runs on
    /// `queue`. A wrong secret is `WaymarkError.wrongSecret`, leaving nothing at `path`.
    public static func join(
        path: String,
        storage: SyncStorage,
        passphrase: String? = nil,
        recoveryCode: String? = nil,
        kdf: KdfParams? = nil,
        clock: ShellClock? = nil,
        queue: DispatchQueue = .global(qos: .userInitiated)
    ) async throws -> Joined {
        try await work(on: queue) {
            let joined = try joinJournal(path: path, storage: storage, passphrase: passphrase,
                                         recoveryCode: recoveryCode, kdf: kdf, clock: clock)
            try JournalFiles.protect(journalPath: path)
            return Joined(waymark: Waymark(journal: joined.journal, queue: queue), report: joined.report)
        }
    }

    /// Opens the journal at `path`, locked.
    public static func open(
        path: String,
        kdf: KdfParams? = nil,
        clock: ShellClock? = nil,
        queue: DispatchQueue = .global(qos: .userInitiated)
    ) async throws -> Waymark {
        try await work(on: queue) {
            let journal = try WaymarkJournal.open(path: path, kdf: kdf, clock: clock)
            try JournalFiles.protect(journalPath: path)
            return Waymark(journal: journal, queue: queue)
        }
    }

    /// Makes a new journal at `path` from the backup at `backupPath`, protected by
    /// `newPassphrase` (slow: two Argon2id derivations). The backup is checked before anything
    /// is created; a failure leaves nothing at `path`.
    public static func restore(
        backupPath: String,
        backupPassphrase: String,
        path: String,
        newPassphrase: String,
        kdf: KdfParams? = nil,
        clock: ShellClock? = nil,
        queue: DispatchQueue = .global(qos: .userInitiated)
    ) async throws -> Created {
        try await work(on: queue) {
            let restored = try restoreJournal(backupPath: backupPath, backupPassphrase: backupPassphrase,
                                              journalPath: path, newPassphrase: newPassphrase, kdf: kdf, clock: clock)
            try JournalFiles.protect(journalPath: path)
            return Created(waymark: Waymark(journal: restored.journal, queue: queue), recoveryCode: restored.recoveryCode)
        }
    }

    /// Adds a passphrase to a journal that has none (slow: Argon2id); returns the slot id.
    public func addPassphrase(_ passphrase: String) async throws -> Int64 {
        try await call { try $0.addPassphrase(passphrase: passphrase) }
    }

    /// Replaces the data key and re-seals every record (slow). Returns the new recovery code
    /// to show once; device slots must be enrolled again.
    public func rotateDataKey(passphrase: String, slot: PlatformKeySlot? = nil) async throws -> KeyRotationReport {
        try await call { try $0.rotateDataKey(passphrase: passphrase, slot: slot) }
    }

    /// Destroys the journal: every key and the file. This object answers `.wiped` afterwards.
    public func wipe() async throws {
        try await call { try $0.wipe() }
    }

    /// Runs `body` with the journal on the background queue.
    public func call<T: Sendable>(_ body: @escaping @Sendable (WaymarkJournal) throws -> T) async throws -> T {
        let journal = self.journal
        let lockState = self.lockState
        return try await Waymark.work(on: queue) {
            defer { lockState.update(journal.isUnlocked()) }
            return try body(journal)
        }
    }

    /// Unlocks with the passphrase (slow: Argon2id).
    public func unlock(passphrase: String) async throws {
        try await call { try $0.unlockWithPassphrase(passphrase: passphrase) }
    }

    /// Unlocks with the recovery code.
    public func unlock(recoveryCode: String) async throws {
        try await call { try $0.unlockWithRecoveryCode(code: recoveryCode) }
    }

    /// Unlocks with the device key; may wait for Face ID / Touch ID. On
    /// `WaymarkError.platformKeyUnavailable` ask for the passphrase: nothing was changed.
    public func unlock(device slot: PlatformKeySlot) async throws {
        try await call { try $0.unlockWithPlatform(slot: slot) }
    }

    /// Enrols the device key as another way to unlock; returns the slot id.
    public func addDeviceSlot(_ slot: PlatformKeySlot, label: String) async throws -> Int64 {
        try await call { try $0.addPlatformSlot(slot: slot, label: label) }
    }

    /// Changes the passphrase (slow: Argon2id).
    public func changePassphrase(from current: String, to new: String) async throws {
        try await call { try $0.changePassphrase(current: current, newPassphrase: new) }
    }

    /// Writes an encrypted backup to `path` under its own `passphrase` (slow: Argon2id).
    public func writeBackup(to path: String, passphrase: String) async throws -> BackupWritten {
        try await call { try $0.writeBackup(path: path, passphrase: passphrase) }
    }

    /// Syncs with your other devices through `storage` (your platform's storage, or
    /// `folderSyncStorage(path:)`): applies what they sent, sends what was written here. An
    /// entry edited on two devices at once keeps both texts (a conflict copy); a storage
    /// failure is `WaymarkError.syncFailed` with nothing half-applied.
    public func sync(_ storage: SyncStorage) async throws -> SyncReport {
        try await call { try $0.sync(storage: storage) }
    }

    /// Like `sync(_:)`, sending the whole journal again as one snapshot and going on where
    /// `storage` shows less than before: after `WaymarkError.syncRolledBack` for a storage
    /// the person restored from an older copy on purpose.
    public func syncResending(_ storage: SyncStorage) async throws -> SyncReport {
        try await call { try $0.syncResending(storage: storage) }
    }

    /// Joins this journal to `storage` again after its key was rotated on another device
    /// (`WaymarkError.syncKeyChanged`), keeping everything it holds; give the journal's
    /// current `passphrase` or `recoveryCode`. The device-key slot is dropped: enrol it
    /// again. Slow (Argon2id, every record re-sealed).
    public func joinAgain(
        _ storage: SyncStorage, passphrase: String? = nil, recoveryCode: String? = nil
    ) async throws -> SyncReport {
        try await call {
            try $0.joinAgain(storage: storage, passphrase: passphrase, recoveryCode: recoveryCode)
        }
    }

    /// Merges the backup at `path` from another device, without duplicates (slow: Argon2id).
    public func mergeBackup(from path: String, passphrase: String) async throws -> MergeReport {
        try await call { try $0.mergeBackup(path: path, passphrase: passphrase) }
    }

    /// Checks in from a notification action: written now when the journal is unlocked; when
    /// it is locked, held in memory (never on disk) with the moment it was given, and written
    /// for that moment's day by the next unlock. `.held` means "ask the person to unlock":
    /// give the action `.foreground` so the app opens to its unlock screen. Held check-ins
    /// live as long as this object: keep one `Waymark` for the app's lifetime.
    public func checkInOrHold(_ input: CheckInInput) async throws -> CheckInDelivery {
        try await call { try $0.checkInOrHold(input: input) }
    }

    /// How many check-ins given while locked wait for the next unlock.
    public func heldCheckIns() async throws -> Int32 {
        try await call { try $0.heldCheckIns() }
    }

    /// The home screen in one call: today's counters, check-in, streak, milestones to
    /// celebrate, suggested cards.
    public func home() async throws -> Home {
        try await call { try $0.home() }
    }

    /// The progress screen for `range`: every journey's counter, milestones and lapses, one
    /// point per day.
    public func progress(_ range: ReviewRange) async throws -> ProgressScreen {
        try await call { try $0.progress(range: range) }
    }

    /// The progress report for `range` as one self-contained HTML page (the same as
    /// `waymark report`), with the safety plan on its own page when `withSafetyPlan`. It is
    /// readable: hand it to a `UIActivityViewController` only when the person asks.
    public func reportHtml(_ range: ReviewRange, withSafetyPlan: Bool = false) async throws -> String {
        try await call { try $0.reportHtml(range: range, withSafetyPlan: withSafetyPlan) }
    }

    /// The progress review for `range`.
    public func reviewProgress(_ range: ReviewRange) async throws -> ProgressReview {
        try await call { try $0.reviewProgress(range: range) }
    }

    /// The safety plan as the person reads it (six steps, reasons, crisis lines to check).
    public func safetyPlan() async throws -> SafetyPlanView {
        try await call { try $0.safetyPlan() }
    }

    /// Adds an item at the end of a section of the safety plan.
    public func addSafetyItem(_ section: PlanSection, _ item: SafetyItem) async throws -> SafetyPlanView {
        try await call { try $0.addSafetyItem(section: section, item: item) }
    }

    /// Marks a starter crisis line as checked by the person.
    public func confirmCrisisLine(_ lineId: String) async throws -> SafetyPlanView {
        try await call { try $0.confirmCrisisLine(lineId: lineId) }
    }

    /// Help now: the plan's first steps, the cards for this hour, people and lines to call,
    /// and an urge-surfing session started. `intensity` is the urge now, 0-10, if given.
    public func helpNow(intensity: Int? = nil) async throws -> HelpNow {
        try await call { try $0.helpNow(intensity: intensity.map { Int32(clamping: $0) }) }
    }

    /// Logs a call made from help now as outreach.
    public func callFromHelpNow(_ contactId: String) async throws -> Outreach {
        try await call { try $0.callFromHelpNow(contactId: contactId) }
    }

    /// Ends the open urge-surfing session with the urge now (0-10) and the card used.
    public func endUrgeSession(intensity: Int, cardId: String? = nil) async throws -> UrgeSessionEnded {
        try await call { try $0.endUrgeSession(sessionId: nil, intensityEnd: Int32(clamping: intensity), cardId: cardId) }
    }

    /// The notifications to schedule over the next `days` days, soonest first: remove what
    /// was pending and add these (ids are stable); call again after each change and when the
    /// device's time zone changes.
    public func reminders(days: Int = 7) async throws -> [Reminder] {
        try await call { try $0.reminders(days: Int32(clamping: days)) }
    }

    /// The reminder settings.
    public func reminderPrefs() async throws -> ReminderPrefs {
        try await call { try $0.reminderPrefs() }
    }

    /// Saves the reminder settings.
    public func setReminderPrefs(_ prefs: ReminderPrefs) async throws -> ReminderPrefs {
        try await call { try $0.setReminderPrefs(prefs: prefs) }
    }

    /// Logs an amount typed as text ("1.5") for today on a limit journey.
    public func logUse(journeyId: String, amount: String) async throws -> UseLog {
        try await call { try $0.logUse(journeyId: journeyId, amountHundredths: try parseLimitAmount(text: amount), date: nil) }
    }

    /// How a limit journey is going today; nil for an abstinence journey.
    public func limitProgress(journeyId: String) async throws -> LimitProgress? {
        try await call { try $0.limitProgress(journeyId: journeyId) }
    }

    /// True while unlocked.
    public var isUnlocked: Bool { journal.isUnlocked() }

    /// Locks now: keys are dropped and zeroized. Cheap; safe from any thread.
    public func lock() {
        journal.lock()
        lockState.update(false)
    }

    deinit { journal.lock() }
}

/// The lock state and the streams that follow it (thread-safe).
final class LockState: @unchecked Sendable {
    private let mutex = NSLock()
    private var value: Bool
    private var continuations: [UUID: AsyncStream<Bool>.Continuation] = [:]

    init(_ value: Bool) {
        self.value = value
    }

    /// A stream that yields the current value, then every change.
    func stream() -> AsyncStream<Bool> {
        AsyncStream { continuation in
            let id = UUID()
            mutex.lock()
            continuations[id] = continuation
            let now = value
            mutex.unlock()
            continuation.yield(now)
            continuation.onTermination = { [weak self] _ in
                guard let self else { return }
                self.mutex.lock()
                self.continuations[id] = nil
                self.mutex.unlock()
            }
        }
    }

    /// Records the state; the streams hear of it when it changed.
    func update(_ unlocked: Bool) {
        mutex.lock()
        let changed = unlocked != value
        value = unlocked
        let listeners = Array(continuations.values)
        mutex.unlock()
        if changed {
            for continuation in listeners {
                continuation.yield(unlocked)
            }
        }
    }
}
