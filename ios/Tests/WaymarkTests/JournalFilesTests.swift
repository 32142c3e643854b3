import Foundation
import XCTest
import Waymark

/// `JournalFiles.protect` on plain files: it runs everywhere (on Linux it only checks the
/// journal exists; the protection class is set on the iOS family, the backup flag where the
/// platform keeps it).
final class JournalFilesTests: XCTestCase {
    private var folder: URL!
    private var journalPath: String { folder.appendingPathComponent("journal.db").path }

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func write(_ path: String) throws {
        try Data("not a real journal".utf8).write(to: URL(fileURLWithPath: path))
    }

    func testProtectsTheJournalItsCompanionsAndFolderAndCanRunAgain() throws {
        for suffix in ["", "-wal", "-shm"] {
            try write(journalPath + suffix)
        }
        try JournalFiles.protect(journalPath: journalPath)
        try JournalFiles.protect(journalPath: journalPath)

        for path in [folder.path, journalPath, journalPath + "-wal", journalPath + "-shm"] {
            let values = try URL(fileURLWithPath: path).resourceValues(forKeys: [.isExcludedFromBackupKey])
            #if canImport(Darwin)
            XCTAssertEqual(values.isExcludedFromBackup, true, path)
            #else
            // Foundation on Linux keeps no backup flag: when it can be read, it must be set.
            if let excluded = values.isExcludedFromBackup {
                XCTAssertTrue(excluded, path)
            }
            #endif
            #if os(iOS) && !targetEnvironment(simulator)
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            XCTAssertEqual(attributes[.protectionKey] as? FileProtectionType,
                           .completeUntilFirstUserAuthentication, path)
            #endif
        }
    }

    func testProtectsAJournalWithoutCompanionFiles() throws {
        try write(journalPath)
        try JournalFiles.protect(journalPath: journalPath)
        XCTAssertFalse(FileManager.default.fileExists(atPath: journalPath + "-wal"), "protect creates no files")
    }

    func testAMissingJournalIsAnError() throws {
        XCTAssertThrowsError(try JournalFiles.protect(journalPath: journalPath)) { error in
            XCTAssertEqual((error as? CocoaError)?.code, .fileNoSuchFile)
        }
    }
}
