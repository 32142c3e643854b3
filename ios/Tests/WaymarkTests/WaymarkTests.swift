import Foundation
import XCTest
@testable import Waymark

/// A stand-in for the device key store, for platforms without a Keychain (Linux CI): it
/// "wraps" with a random pad it keeps in memory. It exercises the real foreign-trait path
/// (Rust calling Swift) and the error mapping; the Keychain slot itself needs an iPhone.
final class PadKeyStore: PlatformKeySlot, @unchecked Sendable {
    private let pad: [UInt8] = (0..<32).map { _ in UInt8.random(in: 0...255) }
    var invalidated = false

    func wrapKey(key: Data) throws -> Data {
        Data(zip(key, pad).map { $0 ^ $1 })
    }

    func unwrapKey(wrapped: Data) throws -> Data {
        if invalidated { throw PlatformKeyFailure.keyInvalidated }
        return Data(zip(wrapped, pad).map { $0 ^ $1 })
    }
}

/// A device key whose unwrap waits for the test, as a Face ID prompt waits for a face.
final class PromptKeyStore: PlatformKeySlot, @unchecked Sendable {
    let inner = PadKeyStore()
    let entered = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
    var prompting = false

    func wrapKey(key: Data) throws -> Data { try inner.wrapKey(key: key) }

    func unwrapKey(wrapped: Data) throws -> Data {
        if prompting {
            entered.signal()
            if release.wait(timeout: .now() + 5) == .timedOut {
                throw PlatformKeyFailure.failed(reason: "the test never answered")
            }
        }
        return try inner.unwrapKey(wrapped: wrapped)
    }
}

/// A sync storage as an app would write one over its platform's storage (CloudKit, a Files
/// folder): here, memory behind a lock.
final class MemoryStorage: SyncStorage, @unchecked Sendable {
    private let lock = NSLock()
    private var blobs: [String: Data] = [:]
    var offline = false

    /// Everything it holds, to put back later (a storage restored from an older copy).
    var copy: [String: Data] {
        get { lock.withLock { blobs } }
        set { lock.withLock { blobs = newValue } }
    }

    private func check() throws {
        if offline { throw SyncStorageFailure.failed(reason: "no network") }
    }
    func list() throws -> [String] { try check(); return lock.withLock { Array(blobs.keys) } }
    func get(name: String) throws -> Data? { try check(); return lock.withLock { blobs[name] } }
    func put(name: String, bytes: Data) throws { try check(); lock.withLock { blobs[name] = bytes } }
    func delete(name: String) throws { try check(); _ = lock.withLock { blobs.removeValue(forKey: name) } }
    var everything: [Data] { lock.withLock { Array(blobs.values) } }
}

final class WaymarkTests: XCTestCase {
    private var dir: URL!
    private var path: String { dir.appendingPathComponent("journal.db").path }
    private let fast = KdfParams(memoryKib: 256, iterations: 1, parallelism: 1)
    private let passphrase = "correct horse battery staple"

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private func journey(since: String = "2026-01-01", zone: String = "Europe/Berlin") -> JourneyInput {
        JourneyInput(name: "alcohol", soberSince: try! Day(since), soberSinceTime: nil, timeZone: zone,
                     dailyCostCents: 1500, dailyMinutes: nil, customMilestoneDays: [])
    }

    func testAHardMomentFromThePhone() async throws {
        let w = try await Waymark.create(path: path, passphrase: passphrase, kdf: fast).waymark
        let sam = try await w.call { j -> SupportContact in
            _ = try j.setTimeZone(zone: "America/New_York")
            return try j.addContact(input: ContactInput(name: "Sam", role: .sponsor, phone: "212 555 0100", note: nil))
        }
        _ = try await w.addSafetyItem(.warningSigns, SafetyItem(text: "not sleeping"))
        var plan = try await w.addSafetyItem(.askForHelp, SafetyItem(text: "", contactId: sam.id))
        XCTAssertEqual(plan.version, 2)
        XCTAssertEqual(plan.country, "US")
        XCTAssertTrue(plan.crisisLines.contains { $0.number == "988" && !$0.confirmed })
        plan = try await w.confirmCrisisLine("us-988")
        XCTAssertTrue(plan.crisisLines.contains { $0.id == "us-988" && $0.confirmed })
        do {
            _ = try await w.addSafetyItem(.reasons, SafetyItem(text: "  "))
            XCTFail("an empty item was saved")
        } catch WaymarkError.invalidInput(let field, _, _) {
            XCTAssertEqual(field, "text")
        }

        let help = try await w.helpNow(intensity: 8)
        XCTAssertEqual(help.people.first?.name, "Sam")
        XCTAssertEqual(help.cards.count, 3)
        _ = try await w.callFromHelpNow(sam.id)
        let ended = try await w.endUrgeSession(intensity: 2, cardId: help.cards.last?.card.id)
        XCTAssertEqual(ended.outcome, .helped)

        let reminders = try await w.reminders(days: 7)
        XCTAssertTrue(reminders.contains { $0.kind == .checkIn })
        for r in reminders {
            let words = (r.title + " " + r.body).lowercased()
            XCTAssertFalse(words.contains("sober") || words.contains("craving"), words)
        }

        // Records are values (`let` fields): a changed one is a new one.
        let input = JourneyInput(name: "drinking less", soberSince: try Day("2026-11-01"), timeZone: "Europe/Berlin",
                                 limit: Limit(amountHundredths: 200, per: .day, unit: "drinks"))
        let less = try await w.call { [input] in try $0.addJourney(input: input) }
        _ = try await w.logUse(journeyId: less.id, amount: "1.5")
        let progress = try await w.limitProgress(journeyId: less.id)
        XCTAssertEqual(progress?.todayHundredths, 150)
        do {
            _ = try await w.logUse(journeyId: less.id, amount: "1.234")
            XCTFail("three decimals were read")
        } catch WaymarkError.invalidInput(let field, _, _) {
            XCTAssertEqual(field, "amount")
        }
    }

    func testACheckInFromANotificationWhileLockedIsHeldAndWrittenAtTheNextUnlock() async throws {
        let w = try await Waymark.create(path: path, passphrase: passphrase, kdf: fast).waymark
        _ = try await w.call { try $0.setTimeZone(zone: "Asia/Tokyo") }
        guard case .written = try await w.checkInOrHold(CheckInInput(mood: 2, craving: 6)) else {
            return XCTFail("an unlocked journal held the check-in")
        }
        w.lock()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let held = try await w.checkInOrHold(CheckInInput(mood: 4, craving: 1, note: "tapped from the lock screen"))
        XCTAssertEqual(held, .held(waiting: 1))
        let waiting = try await w.heldCheckIns()
        XCTAssertEqual(waiting, 1)
        do {
            _ = try await w.checkInOrHold(CheckInInput(mood: 7, craving: 1))
            XCTFail("an invalid check-in was held")
        } catch WaymarkError.invalidInput(let field, _, _) {
            XCTAssertEqual(field, "mood")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), bytes)
        try await w.unlock(passphrase: passphrase)
        let left = try await w.heldCheckIns()
        XCTAssertEqual(left, 0)
        let today = try await w.call { try $0.checkInOn(date: try $0.today()) }
        XCTAssertEqual(today?.mood, 4)
        XCTAssertEqual(today?.note, "tapped from the lock screen")
    }

    func testTimesAreValueTypesAndAMalformedOneIsInvalidInput() async throws {
        let w = try await Waymark.create(path: path, passphrase: passphrase, kdf: fast).waymark
        _ = try await w.call { try $0.setTimeZone(zone: "Europe/Berlin") }
        let current = try await w.reminderPrefs()
        let wanted = ReminderPrefs(
            enabled: current.enabled, checkInAt: try TimeOfDay("08:15"),
            eveningReviewAt: current.eveningReviewAt,
            meetings: [RegularMeeting(weekday: .tue, at: try TimeOfDay(hour: 19, minute: 30), name: "home group")],
            meetingLeadMinutes: current.meetingLeadMinutes, milestones: current.milestones,
            riskyHours: current.riskyHours, quietFrom: try TimeOfDay("22:00"), quietUntil: try TimeOfDay("07:00"),
            dailyCap: current.dailyCap, discreet: current.discreet)
        let saved = try await w.setReminderPrefs(wanted)
        XCTAssertEqual(saved.meetings.first?.at.description, "19:30")
        let reminders = try await w.reminders(days: 7)
        let checkIn = try XCTUnwrap(reminders.first { $0.kind == .checkIn })
        XCTAssertEqual(checkIn.localTime.time, try TimeOfDay(hour: 8, minute: 15))
        var berlin = Calendar(identifier: .gregorian)
        berlin.timeZone = TimeZone(identifier: "Europe/Berlin")!
        XCTAssertEqual(berlin.date(from: checkIn.localTime.dateComponents), checkIn.at)
        for text in ["24:00", "7:30", "12:60", "noon", "12:00:00:00"] {
            do {
                _ = try TimeOfDay(text)
                XCTFail("\(text) was read as a time")
            } catch WaymarkError.invalidInput(let field, _, _) {
                XCTAssertEqual(field, "time")
            }
        }
        XCTAssertEqual(try TimeOfDay("06:05:09").description, "06:05:09")
    }

    func testErrorsAreLowerCamelCaseAndDescribedByTheirSummary() async throws {
        let w = try await Waymark.create(path: path, passphrase: passphrase, kdf: fast).waymark
        w.lock()
        do {
            _ = try await w.home()
            XCTFail("a locked journal answered")
        } catch let error as WaymarkError {
            guard case .locked(let summary) = error else { return XCTFail("not locked: \(error)") }
            XCTAssertEqual(error.localizedDescription, summary)
            XCTAssertFalse(summary.contains("summary:"))
        }
        do {
            _ = try Day("2026-02-31")
            XCTFail("a day the calendar does not have was made")
        } catch let error as WaymarkError {
            guard case .invalidInput(_, _, let summary) = error else { return XCTFail("not invalid: \(error)") }
            XCTAssertEqual(error.errorDescription, summary)
        }
        XCTAssertEqual(PlatformKeyFailure.failed(reason: "no key").errorDescription, "no key")
        // An id the library never gave is InvalidInput naming `id`, not an internal error.
        try await w.unlock(passphrase: passphrase)
        do {
            _ = try await w.call { try $0.counter(journeyId: "nope") }
            XCTFail("a malformed id was accepted")
        } catch WaymarkError.invalidInput(let field, _, _) {
            XCTAssertEqual(field, "id")
        }
    }

    func testAPhoneAndAnIPadSyncThroughTheAppsOwnStorageAndAFolder() async throws {
        let storage = MemoryStorage()
        let phone = try await Waymark.create(path: path, passphrase: passphrase, kdf: fast).waymark
        _ = try await phone.call { try $0.setTimeZone(zone: "Europe/Berlin") }
        _ = try await phone.call { try $0.checkIn(input: CheckInInput(mood: 3, craving: 4, note: "synced from the phone")) }
        let sent = try await phone.sync(storage)
        XCTAssertGreaterThanOrEqual(sent.sent, 2)
        let marker = Data("synced from".utf8)
        XCTAssertFalse(storage.everything.contains { $0.range(of: marker) != nil })
        let ipadPath = dir.appendingPathComponent("ipad.db").path
        do {
            _ = try await Waymark.join(path: ipadPath, storage: storage, passphrase: "not the passphrase", kdf: fast)
            XCTFail("a wrong passphrase joined")
        } catch WaymarkError.wrongSecret {
            XCTAssertFalse(FileManager.default.fileExists(atPath: ipadPath))
        }
        let ipad = try await Waymark.join(path: ipadPath, storage: storage, passphrase: passphrase, kdf: fast).waymark
        let day = try await ipad.call { try $0.checkInOn(date: try $0.today()) }
        XCTAssertEqual(day?.note, "synced from the phone")
        _ = try await ipad.call { try $0.writeEveningReview(date: nil, review: EveningReview(rating: 4, note: "steady")) }
        _ = try await ipad.sync(storage)
        let got = try await phone.sync(storage)
        XCTAssertEqual(got.received, 1)
        let merged = try await phone.call { try $0.checkInOn(date: try $0.today()) }
        XCTAssertEqual(merged?.eveningReview?.rating, 4)
        storage.offline = true
        do {
            _ = try await ipad.sync(storage)
            XCTFail("an offline storage synced")
        } catch WaymarkError.syncFailed(let summary) {
            XCTAssertTrue(summary.contains("no network"))
        }
        let folder = try folderSyncStorage(path: dir.appendingPathComponent("shared").path)
        let toFolder = try await phone.sync(folder)
        XCTAssertGreaterThanOrEqual(toFolder.sent, 2)
    }

    /// Extreme dates, NaN and infinite ones among them, and numbers at their limits: every
    /// one is an answer or a `WaymarkError` (`.invalidInput` naming the field), never a trap
    /// in generated code or a panic crossing as an error an app cannot match.
    func testExtremeInstantsDatesAndNumbersAreInvalidInputNeverAPanic() async throws {
        let w = try await Waymark.create(path: path, passphrase: passphrase, kdf: fast).waymark
        _ = try await w.call { try $0.setTimeZone(zone: "Pacific/Kiritimati") }
        let journey = try await w.call { [journey = self.journey()] in try $0.addJourney(input: journey) }
        let instants: [Date] = [
            Date(timeIntervalSince1970: 1e13), Date(timeIntervalSince1970: -1e13),
            Date(timeIntervalSince1970: .nan), Date(timeIntervalSince1970: .infinity),
            Date(timeIntervalSince1970: -.infinity), Date(timeIntervalSince1970: Double(Int64.max)),
            .distantPast, .distantFuture, Date(timeIntervalSince1970: 0),
        ]
        var refused = 0
        var fields = Set<String>()
        func attempt(_ what: String, _ body: @escaping @Sendable (WaymarkJournal) throws -> Void) async {
            do {
                try await w.call(body)
            } catch WaymarkError.invalidInput(let field, _, _) {
                refused += 1
                fields.insert(field)
            } catch let error as WaymarkError {
                _ = error
                refused += 1
            } catch {
                XCTFail("\(what): \(type(of: error)) \(error)")
            }
        }
        for at in instants {
            // Describing a NaN Date traps in Foundation: name it by its number.
            await attempt("logTrigger \(at.timeIntervalSince1970)") {
                _ = try $0.logTrigger(input: TriggerInput(at: at, category: .emotions, intensity: 5, urgeMinutes: Int32.max))
            }
        }
        let journeyId = journey.id
        for days in [Int32.min, Int32.max, -719_162, 2_932_896] {
            let day = Day(epochDay: days)
            await attempt("checkInOn \(days)") { _ = try $0.checkInOn(date: day) }
            await attempt("entries \(days)") { _ = try $0.entries(from: day, to: day) }
            await attempt("recordLapse \(days)") {
                _ = try $0.recordLapse(input: LapseInput(journeyId: journeyId, kind: .lapse, date: day))
            }
        }
        await attempt("reminders") { _ = try $0.reminders(days: Int32.min) }
        await attempt("helpNow") { _ = try $0.helpNow(intensity: Int32.max) }
        XCTAssertGreaterThan(refused, 10)
        XCTAssertTrue(fields.contains("instant"), "\(fields)")
        _ = try await w.call { try $0.home() }
    }

    func testAChangeOfSecretOrKeyReachesTheOtherDeviceAndARolledBackStorageIsCaught() async throws {
        let storage = MemoryStorage()
        let newPassphrase = "a brand new passphrase here"
        let phone = try await Waymark.create(path: path, passphrase: passphrase, kdf: fast).waymark
        _ = try await phone.call { try $0.checkIn(input: CheckInInput(mood: 3, craving: 4)) }
        _ = try await phone.sync(storage)
        let ipadPath = dir.appendingPathComponent("ipad.db").path
        let ipad = try await Waymark.join(path: ipadPath, storage: storage, passphrase: passphrase, kdf: fast).waymark
        let before = storage.copy
        // The phone changes the passphrase; the iPad, which never did, adopts it.
        try await phone.changePassphrase(from: passphrase, to: newPassphrase)
        _ = try await phone.sync(storage)
        let adopted = try await ipad.sync(storage)
        XCTAssertEqual(adopted.secretsChanged, [.passphrase])
        // The storage is put back as it was before: caught, nothing changed; resending repairs it.
        storage.copy = before
        do {
            _ = try await ipad.sync(storage)
            XCTFail("a rolled-back storage synced")
        } catch WaymarkError.syncRolledBack(let summary) {
            XCTAssertTrue(summary.contains("shows less"))
        }
        _ = try await ipad.syncResending(storage)
        _ = try await phone.sync(storage)
        // The phone rotates the key: the iPad is told, joins again and keeps its own.
        _ = try await phone.rotateDataKey(passphrase: newPassphrase)
        let moved = try await phone.sync(storage)
        XCTAssertTrue(moved.keyChangedInStore)
        _ = try await ipad.call { try $0.writeEntry(input: EntryInput(body: "written on the iPad")) }
        do {
            _ = try await ipad.sync(storage)
            XCTFail("a device on the old key synced")
        } catch WaymarkError.syncKeyChanged(let summary) {
            XCTAssertTrue(summary.contains("join"))
        }
        let rejoined = try await ipad.joinAgain(storage, passphrase: newPassphrase)
        XCTAssertTrue(rejoined.keyAdopted)
        _ = try await phone.sync(storage)
        let texts = try await phone.call { w in try w.entries(from: try w.today(), to: try w.today()).map(\.body) }
        XCTAssertEqual(texts, ["written on the iPad"])
    }

    func testSlowCallsHaveAsyncWrappers() async throws {
        let w = try await Waymark.create(path: path, passphrase: passphrase, kdf: fast).waymark
        _ = try await w.call { [journey = self.journey()] in try $0.addJourney(input: journey) }
        let backup = dir.appendingPathComponent("b.wmbackup").path
        _ = try await w.writeBackup(to: backup, passphrase: "a backup passphrase")
        let rotated = try await w.rotateDataKey(passphrase: passphrase)
        XCTAssertEqual(rotated.recoveryCode?.count, 35)
        let restoredPath = dir.appendingPathComponent("restored.db").path
        let restored = try await Waymark.restore(backupPath: backup, backupPassphrase: "a backup passphrase",
                                                 path: restoredPath, newPassphrase: passphrase, kdf: fast).waymark
        let count = try await restored.call { try $0.journeys().count }
        XCTAssertEqual(count, 1)
        try await restored.wipe()
        XCTAssertFalse(FileManager.default.fileExists(atPath: restoredPath))
    }

    func testIsUnlockedAnswersAtOnceWhileADeviceKeyPromptWaitsAndTheLockStateStreams() async throws {
        let slot = PromptKeyStore()
        let created = try await Waymark.create(path: path, passphrase: passphrase, kdf: fast)
        _ = try await created.waymark.addDeviceSlot(slot, label: "iphone")
        created.waymark.lock()

        let w = try await Waymark.open(path: path, kdf: fast)
        var states = w.lockStates.makeAsyncIterator()
        let first = await states.next()
        XCTAssertEqual(first, false)
        slot.prompting = true
        let unlocking = Task { try await w.unlock(device: slot) }
        XCTAssertEqual(slot.entered.wait(timeout: .now() + 5), .success)
        let started = Date()
        let answer = w.isUnlocked
        let millis = Date().timeIntervalSince(started) * 1000
        slot.release.signal()
        try await unlocking.value
        XCTAssertFalse(answer)
        print("isUnlocked answered in \(millis) ms while the device key prompt waited")
        XCTAssertLessThan(millis, 250)
        let next = await states.next()
        XCTAssertEqual(next, true)
        w.lock()
        let last = await states.next()
        XCTAssertEqual(last, false)
    }

    func testCallsRunOffTheMainThread() async throws {
        let created = try await Waymark.create(path: path, passphrase: passphrase, kdf: fast)
        let onMain = try await created.waymark.call { _ in Thread.isMainThread }
        XCTAssertFalse(onMain)
        XCTAssertEqual(created.recoveryCode.count, 35)
    }

    func testRecordsTakePlainIntsAndDefaultsAndOutOfRangeNumbersAreInvalidInput() async throws {
        let w = try await Waymark.create(path: path, passphrase: passphrase, kdf: fast).waymark
        // Only what matters is named: every other field has its default.
        let checkIn = try await w.call { try $0.checkIn(input: CheckInInput(mood: 4, craving: 2)) }
        XCTAssertEqual(checkIn.mood, 4)
        XCTAssertEqual(checkIn.halt, Halt())
        do {
            _ = try await w.call { try $0.checkIn(input: CheckInInput(mood: -1, craving: 2)) }
            XCTFail("a negative mood was accepted")
        } catch WaymarkError.invalidInput(let field, _, _) {
            XCTAssertEqual(field, "mood")
        }
        do {
            _ = try await Waymark.create(path: path + "-other", passphrase: passphrase,
                                         kdf: KdfParams(memoryKib: -1, iterations: 1, parallelism: 1))
            XCTFail("a negative memory size was accepted")
        } catch WaymarkError.invalidInput(let field, _, _) {
            XCTAssertTrue(field.hasPrefix("kdf"), field)
        }
    }

    func testCreateWriteReopenUnlock() async throws {
        let created = try await Waymark.create(path: path, passphrase: passphrase, kdf: fast)
        let input = journey()
        let id = try await created.waymark.call { j -> String in
            _ = try j.setTimeZone(zone: "Europe/Berlin")
            let journey = try j.addJourney(input: input)
            _ = try j.checkIn(input: CheckInInput(date: nil, mood: 4, craving: 2,
                                                  halt: Halt(hungry: false, angry: false, lonely: false, tired: true),
                                                  triggerTags: ["work"], intention: nil, eveningReview: nil,
                                                  gratitude: [], note: nil))
            return journey.id
        }
        created.waymark.lock()

        let reopened = try await Waymark.open(path: path, kdf: fast)
        XCTAssertFalse(reopened.isUnlocked)
        do {
            _ = try await reopened.call { try $0.journeys() }
            XCTFail("a locked journal answered")
        } catch WaymarkError.locked(let summary) {
            XCTAssertTrue(summary.contains("locked"))
        }
        try await reopened.unlock(passphrase: passphrase)
        let ids = try await reopened.call { try $0.journeys().map(\.id) }
        XCTAssertEqual(ids, [id])
        let review = try await reopened.reviewProgress(.allTime)
        XCTAssertEqual(review.checkIns.count, 1)
        let home = try await reopened.home()
        XCTAssertEqual(home.journeys.map(\.journey.id), [id])
        XCTAssertEqual(home.checkInToday?.mood, 4)
        let progress = try await reopened.progress(.month)
        XCTAssertEqual(progress.journeys.count, 1)
        let report = try await reopened.reportHtml(.month, withSafetyPlan: true)
        XCTAssertTrue(report.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(report.contains("<h1>Progress report</h1>"))
        XCTAssertTrue(report.contains("default-src 'none'"))
        XCTAssertTrue(report.contains("My safety plan"))
        let plain = try await reopened.reportHtml(.month)
        XCTAssertFalse(plain.contains("My safety plan"))
    }

    func testInvalidInputNamesTheFieldAndNeverEchoesTheValue() async throws {
        let w = try await Waymark.create(path: path, passphrase: passphrase, kdf: fast).waymark
        do {
            let secret = journey(zone: "Secret/Place-1234")
            _ = try await w.call { try $0.addJourney(input: secret) }
            XCTFail("a bad zone was accepted")
        } catch WaymarkError.invalidInput(let field, _, let summary) {
            XCTAssertEqual(field, "time_zone")
            XCTAssertFalse(summary.contains("Secret/Place-1234"))
        }
        do {
            let future = journey(since: "2999-01-01")
            _ = try await w.call { try $0.addJourney(input: future) }
            XCTFail("a future start was accepted")
        } catch WaymarkError.invalidInput(let field, _, _) {
            XCTAssertEqual(field, "sober_since")
        }
        let count = try await w.call { try $0.journeys().count }
        XCTAssertEqual(count, 0)
    }

    func testWrongPassphraseAndRecoveryCode() async throws {
        let created = try await Waymark.create(path: path, passphrase: passphrase, kdf: fast)
        created.waymark.lock()
        let w = try await Waymark.open(path: path, kdf: fast)
        do {
            try await w.unlock(passphrase: "not the passphrase")
            XCTFail("a wrong passphrase opened the journal")
        } catch WaymarkError.wrongSecret {
            XCTAssertFalse(w.isUnlocked)
        }
        try await w.unlock(recoveryCode: created.recoveryCode.lowercased().replacingOccurrences(of: "-", with: " "))
        XCTAssertTrue(w.isUnlocked)
    }

    func testDeviceKeyUnlocksAndAnInvalidatedKeyFallsBackToThePassphrase() async throws {
        let store = PadKeyStore()
        let created = try await Waymark.create(path: path, passphrase: passphrase, kdf: fast)
        let input = journey()
        _ = try await created.waymark.call { try $0.addJourney(input: input) }
        _ = try await created.waymark.addDeviceSlot(store, label: "iphone-15")
        created.waymark.lock()

        let w = try await Waymark.open(path: path, kdf: fast)
        try await w.unlock(device: store)
        XCTAssertTrue(w.isUnlocked)
        w.lock()
        store.invalidated = true
        do {
            try await w.unlock(device: store)
            XCTFail("an invalidated key unlocked")
        } catch WaymarkError.platformKeyUnavailable(_, let summary) {
            XCTAssertTrue(summary.contains("passphrase"))
        }
        try await w.unlock(passphrase: passphrase)
        let count = try await w.call { try $0.journeys().count }
        XCTAssertEqual(count, 1)
    }

    func testDatesAreDayValuesAndAMalformedOneIsInvalidInput() async throws {
        XCTAssertEqual(try Day("1970-01-01").epochDay, 0)
        XCTAssertEqual(try Day("1969-12-31").epochDay, -1)
        XCTAssertEqual(try Day("2026-11-25").epochDay, 20_782)
        for text in ["2028-02-29", "2000-01-01", "1900-03-01", "2026-11-25", "9999-12-31", "0001-01-01"] {
            XCTAssertEqual(try Day(text).description, text)
        }
        XCTAssertEqual(try Day(year: 2026, month: 3, day: 1), try Day("2026-03-01"))
        XCTAssertLessThan(try Day("2026-02-28"), try Day("2026-03-01"))
        XCTAssertEqual(try Day("2026-02-28").adding(days: 1), try Day("2026-03-01"))
        XCTAssertEqual(Day(Date(timeIntervalSince1970: 1_700_000_000), in: TimeZone(identifier: "Pacific/Kiritimati")!),
                       try Day("2023-11-15"))
        // A day the calendar does not have is InvalidInput naming the field, caught by type.
        for bad in ["2026-02-31", "2027-02-29", "26-1-1", "2026-13-01", "", "yesterday", "0000-01-01", "10000-01-01"] {
            do {
                _ = try Day(bad)
                XCTFail("\(bad) was read as a day")
            } catch WaymarkError.invalidInput(let field, _, let summary) {
                XCTAssertEqual(field, "date")
                XCTAssertFalse(bad.count > 3 && summary.contains(bad), summary)
            }
        }
        // Days round-trip through the library exactly.
        let w = try await Waymark.create(path: path, passphrase: passphrase, kdf: fast).waymark
        let leap = try Day("2024-02-29")
        let journey = try await w.call { try $0.addJourney(input: JourneyInput(name: "x", soberSince: leap, timeZone: "UTC")) }
        XCTAssertEqual(journey.soberSince, leap)
        let none = try await w.call { try $0.checkIns(from: try Day("2026-03-01"), to: try Day("2026-03-31")) }
        XCTAssertTrue(none.isEmpty)
    }

    func testABackupMergesIntoAnotherDevicesJournalOnceAndADamagedOneIsRefused() async throws {
        let backup = dir.appendingPathComponent("phone.wmbackup").path
        let phone = try await Waymark.create(path: path, passphrase: passphrase, kdf: fast).waymark
        let input = journey()
        let journeyId = try await phone.call { try $0.addJourney(input: input).id }
        let written = try await phone.writeBackup(to: backup, passphrase: "a separate backup passphrase")
        XCTAssertGreaterThanOrEqual(written.records, 1)

        let laptopPath = dir.appendingPathComponent("laptop.db").path
        let laptop = try await Waymark.create(path: laptopPath, passphrase: "the laptop passphrase", kdf: fast).waymark
        let first = try await laptop.mergeBackup(from: backup, passphrase: "a separate backup passphrase")
        XCTAssertGreaterThanOrEqual(first.added, 1)
        let second = try await laptop.mergeBackup(from: backup, passphrase: "a separate backup passphrase")
        XCTAssertEqual(second.added, 0)
        XCTAssertEqual(second.updated, 0)
        let ids = try await laptop.call { try $0.journeys().map(\.id) }
        XCTAssertEqual(ids, [journeyId])

        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: backup)))
        bytes[bytes.count / 2] ^= 1
        try Data(bytes).write(to: URL(fileURLWithPath: backup))
        do {
            _ = try await laptop.mergeBackup(from: backup, passphrase: "a separate backup passphrase")
            XCTFail("a damaged backup was accepted")
        } catch WaymarkError.backupDamaged(let summary) {
            XCTAssertTrue(summary.contains("changed after it was written"), summary)
        }
    }

    func testAJournalCutShortOpensReadOnlyAndABackupSavesWhatStillReads() async throws {
        let created = try await Waymark.create(path: path, passphrase: passphrase, kdf: fast)
        let input = journey()
        _ = try await created.waymark.call { try $0.addJourney(input: input) }
        let wholeReason = try await created.waymark.call { try $0.readOnlyReason() }
        XCTAssertNil(wholeReason)
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        let cutPath = dir.appendingPathComponent("cut.db").path
        let cut = whole.prefix(whole.count - 4096)
        try cut.write(to: URL(fileURLWithPath: cutPath))

        let w = try await Waymark.open(path: cutPath, kdf: fast)
        let reason = try await w.call { try $0.readOnlyReason() }
        XCTAssertEqual(reason, .cutShort)
        try await w.unlock(passphrase: passphrase)
        do {
            _ = try await w.call { try $0.addJourney(input: input) }
            XCTFail("a write to a cut-short journal was accepted")
        } catch WaymarkError.corruptJournal(let summary) {
            XCTAssertTrue(summary.contains("damaged"), summary)
        }
        let saved = dir.appendingPathComponent("saved.wmbackup").path
        _ = try await w.writeBackup(to: saved, passphrase: "a separate backup passphrase")
        XCTAssertTrue(FileManager.default.fileExists(atPath: saved))
        // The file itself was never written.
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: cutPath)), cut)
    }
}
