import Foundation

/// A calendar day with no time and no zone: the day a check-in belongs to, the day a journey
/// began. Every date the library takes or gives is a `Day` (it crosses the FFI as days since
/// 1970-01-01, configured in core/uniffi.toml), so Swift code never passes a date as a
/// string and a malformed one cannot reach the library: the initializers that take parts or
/// text check them and throw `WaymarkError.invalidInput(field: "date", ...)`.
///
/// ```swift
/// let start = try Day(year: 2026, month: 3, day: 1)
/// let same = try Day("2026-03-01")          // ISO 8601, as `description` writes it
/// let today = Day(Date(), in: .current)     // the device's calendar day now
/// ```
public struct Day: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before it), in the proleptic Gregorian calendar.
    public let epochDay: Int32

    /// The years the library accepts.
    public static let years: ClosedRange<Int> = 1...9999

    /// A day from a day number the library gave (the generated bindings lift with this).
    init(epochDay: Int32) {
        self.epochDay = epochDay
    }

    /// The day `year`-`month`-`day`; throws `InvalidInput` naming `date` for a day the
    /// calendar does not have (2026-02-31) or a year outside 1...9999.
    public init(year: Int, month: Int, day: Int) throws {
        guard Day.years.contains(year), (1...12).contains(month), (1...31).contains(day) else {
            throw Day.invalid
        }
        // Days-from-civil (Howard Hinnant's algorithm), exact for every year here.
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let value = Day(epochDay: Int32(era * 146_097 + doe - 719_468))
        guard value.year == year, value.month == month, value.day == day else { throw Day.invalid }
        self = value
    }

    /// The day written `YYYY-MM-DD`; throws `InvalidInput` naming `date` for anything else.
    public init(_ iso: String) throws {
        let parts = iso.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else {
            throw Day.invalid
        }
        try self.init(year: y, month: m, day: d)
    }

    /// The calendar day of `date` in `timeZone` (Gregorian).
    public init(_ date: Date, in timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        let fallback = Day(epochDay: Int32(clamping: Int64((date.timeIntervalSince1970 / 86_400).rounded(.down))))
        self = (try? Day(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)) ?? fallback
    }

    /// The year, month (1-12) and day (1-31).
    public var year: Int { civil.year }
    /// The month, 1-12.
    public var month: Int { civil.month }
    /// The day of the month, 1-31.
    public var day: Int { civil.day }

    /// `self` moved by `days` (negative: earlier).
    public func adding(days: Int) -> Day {
        Day(epochDay: Int32(clamping: Int64(epochDay) + Int64(days)))
    }

    /// The year, month and day as `DateComponents` (for `Calendar` and formatters).
    public var dateComponents: DateComponents {
        DateComponents(year: year, month: month, day: day)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        func padded(_ n: Int, _ width: Int) -> String {
            let text = String(n)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.epochDay < rhs.epochDay }

    /// Encoded as its `YYYY-MM-DD` text.
    public init(from decoder: Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }

    /// Encoded as its `YYYY-MM-DD` text.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static var invalid: WaymarkError {
        .invalidInput(field: "date", rule: "must be a calendar day written YYYY-MM-DD in the years 1 to 9999",
                      summary: "invalid date: must be a calendar day written YYYY-MM-DD in the years 1 to 9999")
    }

    /// Civil-from-days (Howard Hinnant's algorithm): exact for every `Int32` day.
    private var civil: (year: Int, month: Int, day: Int) {
        let z = Int64(epochDay) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }
}

/// A wall-clock time with no date and no zone: when a journey began on its first day, when a
/// meeting starts, when a reminder rings. It crosses the FFI as seconds since midnight
/// (configured in core/uniffi.toml), so no malformed time reaches the library: the
/// initializers check their parts and throw `WaymarkError.invalidInput(field: "time", ...)`.
///
/// ```swift
/// let meeting = try TimeOfDay(hour: 19, minute: 30)
/// let same = try TimeOfDay("19:30")          // HH:MM or HH:MM:SS, as `description` writes it
/// ```
public struct TimeOfDay: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Seconds since midnight, 0 to 86,399.
    public let secondOfDay: Int32

    /// A time from a second count the library gave (the generated bindings lift with this).
    init(secondOfDay: Int32) {
        self.secondOfDay = secondOfDay
    }

    /// `hour`:`minute`:`second` (0-23, 0-59, 0-59); throws `InvalidInput` naming `time`
    /// for anything outside.
    public init(hour: Int, minute: Int, second: Int = 0) throws {
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else {
            throw TimeOfDay.invalid
        }
        self.init(secondOfDay: Int32(hour * 3_600 + minute * 60 + second))
    }

    /// The time written `HH:MM` or `HH:MM:SS`; throws `InvalidInput` naming `time` for
    /// anything else.
    public init(_ text: String) throws {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
              let h = Int(parts[0]), let m = Int(parts[1]) else {
            throw TimeOfDay.invalid
        }
        let s = parts.count == 3 ? Int(parts[2]) : 0
        guard let second = s else { throw TimeOfDay.invalid }
        try self.init(hour: h, minute: m, second: second)
    }

    /// The hour, 0-23.
    public var hour: Int { Int(secondOfDay) / 3_600 }
    /// The minute, 0-59.
    public var minute: Int { Int(secondOfDay) / 60 % 60 }
    /// The second, 0-59.
    public var second: Int { Int(secondOfDay) % 60 }

    /// The hour, minute and second as `DateComponents`.
    public var dateComponents: DateComponents {
        DateComponents(hour: hour, minute: minute, second: second)
    }

    /// `HH:MM`, or `HH:MM:SS` when the seconds are not zero.
    public var description: String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        let base = "\(two(hour)):\(two(minute))"
        return second == 0 ? base : "\(base):\(two(second))"
    }

    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool { lhs.secondOfDay < rhs.secondOfDay }

    /// Encoded as its `HH:MM[:SS]` text.
    public init(from decoder: Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }

    /// Encoded as its `HH:MM[:SS]` text.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static var invalid: WaymarkError {
        .invalidInput(field: "time", rule: "must be a time of day written HH:MM or HH:MM:SS",
                      summary: "invalid time: must be a time of day written HH:MM or HH:MM:SS")
    }
}

/// A day and a wall-clock time with no zone: when a reminder rings, in the person's zone
/// (schedule it with `dateComponents` in the device calendar, so 09:00 stays 09:00 across a
/// daylight-saving change). It crosses the FFI as seconds since 1970-01-01T00:00 as if that
/// were UTC.
public struct LocalDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The day.
    public let day: Day
    /// The time on that day.
    public let time: TimeOfDay

    /// `time` on `day`.
    public init(day: Day, time: TimeOfDay) {
        self.day = day
        self.time = time
    }

    /// From the library's count (the generated bindings lift with this).
    init(epochSecond: Int64) {
        let days = (epochSecond >= 0 ? epochSecond : epochSecond - 86_399) / 86_400
        self.init(day: Day(epochDay: Int32(clamping: days)),
                  time: TimeOfDay(secondOfDay: Int32(epochSecond - days * 86_400)))
    }

    /// Seconds since 1970-01-01T00:00, counting this wall-clock time as if it were UTC.
    public var epochSecond: Int64 {
        Int64(day.epochDay) * 86_400 + Int64(time.secondOfDay)
    }

    /// The year, month, day, hour, minute and second as `DateComponents`: give them to
    /// `UNCalendarNotificationTrigger` as they are.
    public var dateComponents: DateComponents {
        DateComponents(year: day.year, month: day.month, day: day.day,
                       hour: time.hour, minute: time.minute, second: time.second)
    }

    /// `YYYY-MM-DDTHH:MM[:SS]`.
    public var description: String { "\(day)T\(time)" }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool { lhs.epochSecond < rhs.epochSecond }
}
