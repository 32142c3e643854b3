import Foundation

/// How the journal's files are kept on the device: the data protection class and the backup
/// exclusion (SECURITY.md, shell duties).
///
/// **Why `.completeUntilFirstUserAuthentication`, not `.complete`.** Every record is sealed
/// (AES-256-GCM) under a data key that exists only in memory while the journal is unlocked
/// (SECURITY.md S1, S7, S10): a copy of the file taken from a locked phone holds nothing a
/// person wrote. The file class therefore protects metadata (the file's size, how many
/// sealed rows it has), not content. `.complete` made the files unreadable about 10 seconds
/// after the phone locked, so an already-open journal failed its writes and a check-in made
/// from a notification action on the lock screen was lost. With
/// `.completeUntilFirstUserAuthentication` the files are encrypted from boot until the first
/// unlock and stay usable afterwards, so background check-ins keep working.
///
/// The class is set on the journal's **folder** as well as its files, because SQLite deletes
/// and recreates `-wal`, `-shm` and `-journal` files: new files take their folder's class,
/// whatever default an app's entitlement sets. Give the journal a folder of its own (for
/// example `Application Support/Waymark/journal.db`), never `Documents` itself: the folder's
/// class and backup exclusion reach everything in it.
///
/// The folder and the journal are excluded from iCloud and Finder backups (Time Machine on a
/// Mac): a backup is made with ``Waymark/writeBackup(to:passphrase:)``, encrypted under its
/// own passphrase, when the person asks.
public enum JournalFiles {
    /// Gives the journal at `journalPath`, its folder and any `-wal`, `-shm` or `-journal`
    /// file beside it the protection class `.completeUntilFirstUserAuthentication` (on iOS,
    /// iPadOS, tvOS, watchOS and visionOS), and excludes the folder, the journal and those
    /// files from backup (everywhere the platform has backups). Safe to call again: call it
    /// after creating, opening or restoring a journal.
    ///
    /// Throws when the journal does not exist (`CocoaError.fileNoSuchFile`) or when the file
    /// system refuses an attribute. On Linux, which has neither protection classes nor a
    /// backup flag, it checks the journal exists and does nothing else: Foundation there
    /// ignores the backup flag, and if a version reports it unsupported
    /// (`CocoaError.featureUnsupported`) that one error is ignored.
    public static func protect(journalPath: String) throws {
        let manager = FileManager.default
        guard manager.fileExists(atPath: journalPath) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: journalPath])
        }
        let journal = URL(fileURLWithPath: journalPath)
        let folder = journal.deletingLastPathComponent()
        let companions = ["-wal", "-shm", "-journal"]
            .map { journalPath + $0 }
            .filter { manager.fileExists(atPath: $0) }
            .map { URL(fileURLWithPath: $0) }

        // The folder first, so a file SQLite creates meanwhile already gets its class.
        for url in [folder, journal] {
            try protectItem(url)
        }
        for url in companions {
            do {
                try protectItem(url)
            } catch {
                // SQLite removed it meanwhile (a checkpoint or a close): nothing left to protect.
                guard !manager.fileExists(atPath: url.path) else { throw error }
            }
        }
    }

    /// The protection class (iOS family) and the backup exclusion of one file or folder.
    private static func protectItem(_ url: URL) throws {
        #if os(iOS) || os(tvOS) || os(watchOS) || os(visionOS)
        try FileManager.default.setAttributes(
            [.protectionKey: FileProtectionType.completeUntilFirstUserAuthentication], ofItemAtPath: url.path)
        #endif
        try excludeFromBackup(url)
    }

    private static func excludeFromBackup(_ url: URL) throws {
        var url = url
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        do {
            try url.setResourceValues(values)
        } catch {
            guard isUnsupportedWithoutBackups(error) else { throw error }
        }
    }

    /// True only for "feature unsupported" on a platform without backups (not Apple's).
    private static func isUnsupportedWithoutBackups(_ error: Error) -> Bool {
        #if canImport(Darwin)
        return false
        #else
        let error = error as NSError
        return error.domain == NSCocoaErrorDomain && error.code == CocoaError.featureUnsupported.rawValue
        #endif
    }
}
