import Foundation

/// A calendar day with no time and no zone: the day a check-in belongs to, the day a journey
/// began. Every date the library takes or gives is a `Day` (it crosses the FFI as days since
/// 1970-01-01, configured in core/uniffi.toml), so Swift code never passes a date as a
/// string and a malformed one cannot reach the library: the initializers that take parts or
/// text check them and throw `WaymarkError.InvalidInput(field: "date", ...)`.
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
        .InvalidInput(field: "date", rule: "must be a calendar day written YYYY-MM-DD in the years 1 to 9999",
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
