import Foundation

/// The Swift face of a Waymark journal: `async` methods that do their work on a background
/// queue, so nothing (least of all Argon2id, which takes hundreds of milliseconds on
/// purpose) ever blocks the main actor.
///
/// The generated ``WaymarkJournal`` underneath is thread-safe (`Sendable`); this class adds
/// the hop off the caller's thread and names the common calls. Any verb of the domain is
/// reachable through ``call(_:)``: `try await waymark.call { try $0.logTrigger(input: input) }`.
/// Errors are ``WaymarkError`` cases (`.InvalidInput(field:rule:summary:)`, `.WrongSecret`,
/// `.Locked`, `.PlatformKeyUnavailable`...).
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

    private init(journal: WaymarkJournal, queue: DispatchQueue) {
        self.journal = journal
        self.queue = queue
    }

    private static func work<T>(on queue: DispatchQueue, _ body: @escaping () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Creates a journal at `path` (slow: Argon2id runs on `queue`). On iOS the file gets
    /// `.complete` data protection.
    public static func create(
        path: String,
        passphrase: String,
        kdf: KdfParams? = nil,
        clock: ShellClock? = nil,
        queue: DispatchQueue = .global(qos: .userInitiated)
    ) async throws -> Created {
        try await work(on: queue) {
            let created = try createJournal(path: path, passphrase: passphrase, kdf: kdf, clock: clock)
            protectFile(atPath: path)
            return Created(waymark: Waymark(journal: created.journal, queue: queue), recoveryCode: created.recoveryCode)
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
            Waymark(journal: try WaymarkJournal.open(path: path, kdf: kdf, clock: clock), queue: queue)
        }
    }

    /// Runs `body` with the journal on the background queue.
    public func call<T>(_ body: @escaping (WaymarkJournal) throws -> T) async throws -> T {
        let journal = self.journal
        return try await Waymark.work(on: queue) { try body(journal) }
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
    /// `WaymarkError.PlatformKeyUnavailable` ask for the passphrase: nothing was changed.
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

    /// Merges the backup at `path` from another device, without duplicates (slow: Argon2id).
    public func mergeBackup(from path: String, passphrase: String) async throws -> MergeReport {
        try await call { try $0.mergeBackup(path: path, passphrase: passphrase) }
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

    /// The progress review for `range`.
    public func reviewProgress(_ range: ReviewRange) async throws -> ProgressReview {
        try await call { try $0.reviewProgress(range: range) }
    }

    /// True while unlocked.
    public var isUnlocked: Bool { journal.isUnlocked() }

    /// Locks now: keys are dropped and zeroized. Cheap; safe from any thread.
    public func lock() { journal.lock() }

    deinit { journal.lock() }
}

/// Gives the journal file `.complete` data protection on iOS (unreadable while the phone is
/// locked). Elsewhere it does nothing.
func protectFile(atPath path: String) {
    #if os(iOS)
    for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
        try? FileManager.default.setAttributes([.protectionKey: FileProtectionType.complete], ofItemAtPath: path + suffix)
    }
    #endif
}
