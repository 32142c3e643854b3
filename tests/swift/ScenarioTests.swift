// The Swift driver of the shared scenarios (tests/scenarios/*.scenario): the same steps the
// Rust (tests/src/lib.rs) and Kotlin (tests/kotlin/ScenarioTest.kt) drivers run, here
// through the generated Swift bindings and the real library. Built as the ScenarioTests
// target of ios/Package.swift (ios/Tests/ScenarioTests links here).
import Foundation
import XCTest
@testable import Waymark

struct Step {
    let line: Int
    let verb: String
    let words: [String]
    let args: [(String, String)]

    func arg(_ key: String) throws -> String {
        guard let value = args.first(where: { $0.0 == key })?.1 else {
            throw ScenarioError.malformed("line \(line): missing argument \(key)")
        }
        return value
    }

    func optional(_ key: String) -> String? { args.first(where: { $0.0 == key })?.1 }
}

enum ScenarioError: Error, CustomStringConvertible {
    case malformed(String)
    case mismatch(String)
    var description: String {
        switch self {
        case .malformed(let m), .mismatch(let m): return m
        }
    }
}

func parse(_ text: String) -> [Step] {
    var steps: [Step] = []
    for (i, raw) in text.components(separatedBy: "\n").enumerated() {
        let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let tokens = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let verb = tokens.first else { continue }
        var words: [String] = []
        var args: [(String, String)] = []
        for token in tokens.dropFirst() {
            if let eq = token.firstIndex(of: "=") {
                let value = String(token[token.index(after: eq)...]).replacingOccurrences(of: "_", with: " ")
                args.append((String(token[..<eq]), value))
            } else {
                words.append(token)
            }
        }
        steps.append(Step(line: i + 1, verb: verb, words: words, args: args))
    }
    return steps
}

final class ScenarioClock: ShellClock, @unchecked Sendable {
    private let lock = NSLock()
    private var instant = Date(timeIntervalSince1970: 0)
    func now() -> Date { lock.lock(); defer { lock.unlock() }; return instant }
    func set(_ date: Date) { lock.lock(); instant = date; lock.unlock() }
}

func category(_ name: String) throws -> TriggerCategory {
    switch name {
    case "people": return .people
    case "places": return .places
    case "things": return .things
    case "emotions": return .emotions
    case "halt": return .halt
    case "situations": return .situations
    default: throw ScenarioError.malformed("bad category \(name)")
    }
}

func errorKind(_ error: Error) -> String {
    switch error {
    case WaymarkError.wrongSecret: return "wrong_secret"
    case WaymarkError.locked: return "locked"
    case WaymarkError.invalidInput(let field, _, _): return "invalid_input:\(field)"
    case WaymarkError.notFound(let what, _, _): return "not_found:\(what)"
    case WaymarkError.backupDamaged: return "backup_damaged"
    default: return "\(error)"
    }
}

final class Driver {
    private let dir: URL
    private var journalFile = "scenario.db"
    private var path: String { file(journalFile) }
    private let clock = ScenarioClock()
    private let fast = KdfParams(memoryKib: 256, iterations: 1, parallelism: 1)
    private var journal: WaymarkJournal?
    private var zone = TimeZone(identifier: "UTC")!
    private var journey: String?
    private var lastLapse: String?
    private var lastReflection: String?
    private var offerLapse = false
    private var review: ProgressReview?
    private var merge: MergeReport?

    private func file(_ name: String) -> String { dir.appendingPathComponent(name).path }

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    private func j() throws -> WaymarkJournal {
        guard let journal else { throw ScenarioError.malformed("no journal yet") }
        return journal
    }

    private func journeyId() throws -> String {
        guard let journey else { throw ScenarioError.malformed("no journey yet") }
        return journey
    }

    func run(_ steps: [Step]) throws {
        for step in steps {
            do {
                try self.step(step)
            } catch {
                throw ScenarioError.mismatch("line \(step.line): \(step.verb): \(error)")
            }
        }
    }

    private func step(_ s: Step) throws {
        switch s.verb {
        case "expect":
            for (metric, wanted) in s.args {
                let got = try self.metric(metric)
                if got != wanted { throw ScenarioError.mismatch("\(metric): expected \(wanted), got \(got)") }
            }
        case "expect_error":
            let kind = s.words[0]
            let inner = Step(line: s.line, verb: s.words[1], words: Array(s.words.dropFirst(2)), args: s.args)
            do {
                try call(inner)
            } catch let error as WaymarkError {
                let got = errorKind(error)
                if got != kind { throw ScenarioError.mismatch("expected \(kind), got \(got)") }
                return
            }
            throw ScenarioError.mismatch("expected error \(kind), the step succeeded")
        default:
            try call(s)
        }
    }

    private func localDate(_ text: String) throws -> DateComponents {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { throw ScenarioError.malformed("bad date \(text)") }
        return DateComponents(year: parts[0], month: parts[1], day: parts[2])
    }

    private func call(_ s: Step) throws {
        switch s.verb {
        case "clock":
            guard let at = ISO8601DateFormatter().date(from: try s.arg("at")) else { throw ScenarioError.malformed("bad instant") }
            clock.set(at)
        case "advance":
            clock.set(clock.now().addingTimeInterval(Double(try s.arg("days"))! * 86_400))
        case "create":
            journal = try createJournal(path: path, passphrase: try s.arg("passphrase"), kdf: fast, clock: clock).journal
        case "zone":
            let name = try s.arg("name")
            guard let tz = TimeZone(identifier: name) else { throw ScenarioError.malformed("unknown zone \(name)") }
            zone = tz
            _ = try j().setTimeZone(zone: name)
        case "journey":
            journey = try j().addJourney(input: JourneyInput(
                name: try s.arg("name"), soberSince: try Day(try s.arg("since")), soberSinceTime: nil,
                timeZone: zone.identifier, dailyCostCents: Int64(try s.arg("cost_cents"))!,
                dailyMinutes: Int32(try s.arg("minutes"))!, customMilestoneDays: [])).id
        case "check_in_days":
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            var start = try localDate(try s.arg("from"))
            start.hour = 20
            guard let first = calendar.date(from: start) else { throw ScenarioError.malformed("bad start") }
            for day in 0..<Int(try s.arg("days"))! {
                guard let at = calendar.date(byAdding: .day, value: day, to: first) else { continue }
                clock.set(at)
                _ = try j().checkIn(input: CheckInInput(
                    date: nil, mood: Int32(try s.arg("mood"))!, craving: Int32(try s.arg("craving"))!,
                    halt: Halt(hungry: false, angry: false, lonely: false, tired: false), triggerTags: [],
                    intention: nil, eveningReview: nil, gratitude: [], note: nil))
            }
        case "trigger":
            let outcome: UrgeOutcome? = switch s.optional("outcome") {
            case "passed": .passed
            case "lapsed": .lapsed
            case "still struggling": .stillStruggling
            default: nil
            }
            offerLapse = try j().logTrigger(input: TriggerInput(
                at: nil, journeyId: journey, category: try category(try s.arg("category")), tags: [],
                intensity: Int32(try s.arg("intensity"))!, situation: nil, cardId: s.optional("card"),
                outcome: outcome, urgeMinutes: nil)).offerToRecordLapse
        case "lapse":
            lastLapse = try j().recordLapse(input: LapseInput(
                journeyId: try journeyId(), kind: try s.arg("kind") == "relapse" ? .relapse : .lapse,
                date: try Day(try s.arg("date")), time: nil, soberAgainFrom: nil, note: nil, triggerId: nil)).id
        case "reflect":
            lastReflection = try j().saveReflection(id: nil, input: ReflectionInput(
                lapseId: lastLapse, draft: false,
                body: .lapse(LapseReflection(
                    whatHappened: "A slip on the last evening", whereWhenWho: nil,
                    halt: Halt(hungry: false, angry: false, lonely: false, tired: false), trigger: nil,
                    thoughtsAndFeelings: nil, whatITried: nil, whatILearned: try s.arg("learned"),
                    nextTime: [PlanItem(text: try s.arg("plan"), cardId: nil)], kindWord: nil)))).id
        case "plan_to_card":
            guard let id = lastReflection else { throw ScenarioError.malformed("no reflection") }
            _ = try j().planItemToCard(reflectionId: id, index: Int32(try s.arg("index"))!)
        case "review":
            let range: ReviewRange = switch try s.arg("range") {
            case "week": .week
            case "month": .month
            case "year": .year
            default: .allTime
            }
            review = try j().reviewProgress(range: range)
        case "change_passphrase":
            try j().changePassphrase(current: try s.arg("old"), newPassphrase: try s.arg("new"))
        case "lock":
            try j().lock()
        case "unlock":
            try j().unlockWithPassphrase(passphrase: try s.arg("passphrase"))
        case "journeys":
            _ = try j().journeys()
        case "reopen":
            journal = nil
            let reopened = try WaymarkJournal.open(path: path, kdf: fast, clock: clock)
            try reopened.unlockWithPassphrase(passphrase: try s.arg("passphrase"))
            journal = reopened
        case "wipe":
            try j().wipe()
            if FileManager.default.fileExists(atPath: path) { throw ScenarioError.mismatch("the file survived the wipe") }
        case "backup":
            _ = try j().writeBackup(path: file(try s.arg("file")), passphrase: try s.arg("passphrase"))
        case "merge":
            merge = try j().mergeBackup(path: file(try s.arg("file")), passphrase: try s.arg("passphrase"))
        case "restore":
            let restored = "restored-\(s.line).db"
            journal = try restoreJournal(
                backupPath: file(try s.arg("file")), backupPassphrase: try s.arg("passphrase"),
                journalPath: file(restored), newPassphrase: try s.arg("new_passphrase"), kdf: fast, clock: clock
            ).journal
            journalFile = restored
        case "tamper":
            let url = URL(fileURLWithPath: file(try s.arg("file")))
            var bytes = [UInt8](try Data(contentsOf: url))
            bytes[bytes.count / 2] ^= 1
            try Data(bytes).write(to: url)
        default:
            throw ScenarioError.malformed("unknown step \(s.verb)")
        }
    }

    private func metric(_ name: String) throws -> String {
        let j = try self.j()
        func r() throws -> ProgressReview {
            guard let review else { throw ScenarioError.malformed("no review yet") }
            return review
        }
        switch name {
        case "streak": return "\(try j.counter(journeyId: try journeyId()).currentStreakDays)"
        case "longest": return "\(try j.counter(journeyId: try journeyId()).longestStreakDays)"
        case "total_sober_days": return "\(try j.counter(journeyId: try journeyId()).totalSoberDays)"
        case "attempts": return "\(try j.counter(journeyId: try journeyId()).attempts.count)"
        case "money_saved_cents": return "\(try j.counter(journeyId: try journeyId()).moneySavedCentsTotal)"
        case "milestones_reached": return "\(try j.milestones(journeyId: try journeyId()).reached.count)"
        case "next_milestone": return try j.milestones(journeyId: try journeyId()).next?.key ?? ""
        case "clock_date": return try j.today().description
        case "check_ins": return "\(try j.checkIns(from: try Day("1970-01-01"), to: try Day("2200-01-01")).count)"
        case "check_in_streak": return "\(try j.checkInStreak().current)"
        case "triggers": return "\(try j.triggers(from: try Day("1970-01-01"), to: try Day("2200-01-01")).count)"
        case "offer_lapse": return "\(offerLapse)"
        case "lapses": return "\(try j.lapses(journeyId: try journeyId()).count)"
        case "reflections": return "\(try j.reflections(lapseId: nil).count)"
        case "custom_cards": return "\(try j.cards(includeArchived: true).filter { !$0.builtIn }.count)"
        case "merge_added", "merge_updated", "merge_unchanged", "merge_conflicts_kept":
            guard let m = merge else { throw ScenarioError.malformed("no merge yet") }
            switch name {
            case "merge_added": return "\(m.added)"
            case "merge_updated": return "\(m.updated)"
            case "merge_unchanged": return "\(m.unchanged)"
            default: return "\(m.conflictsKept)"
            }
        case "review_check_ins": return "\(try r().checkIns.count)"
        case "review_triggers": return "\(try r().triggers.total)"
        case "review_lapses": return "\(try r().lapses.count)"
        case "review_mood_points": return "\(try r().moodSeries.count)"
        case "review_lapse_reflections": return "\(try r().lapses.map { $0.reflections.count }.reduce(0, +))"
        default:
            if name.hasPrefix("top_card_") {
                return try j.suggestCards(category: try category(String(name.dropFirst("top_card_".count)))).first?.card.id ?? ""
            }
            if name.hasPrefix("search_") {
                return "\(try j.search(query: String(name.dropFirst("search_".count)), limit: 100).count)"
            }
            throw ScenarioError.malformed("unknown metric \(name)")
        }
    }
}

final class ScenarioTests: XCTestCase {
    func testEveryScenarioPassesFromSwift() throws {
        let dir = ProcessInfo.processInfo.environment["WAYMARK_SCENARIOS"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../../tests/scenarios").standardized.path
        let files = try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { $0.hasSuffix(".scenario") }.sorted()
        XCTAssertFalse(files.isEmpty, "no scenarios in \(dir)")
        for file in files {
            let steps = parse(try String(contentsOfFile: "\(dir)/\(file)", encoding: .utf8))
            XCTAssertGreaterThan(steps.count, 10, "\(file) is suspiciously short")
            do {
                try Driver().run(steps)
            } catch {
                XCTFail("\(file): \(error)")
            }
        }
    }
}
