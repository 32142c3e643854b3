import Foundation

// Local calendar dates cross the FFI as days since 1970-01-01; Swift code sees ISO 8601
// strings ("2026-03-01"), which need no time zone to mean the right day. The generated
// bindings call these two functions (configured in core/uniffi.toml).

/// "YYYY-MM-DD" for a day number (days since 1970-01-01), in the proleptic Gregorian calendar.
func waymarkDateString(epochDay: Int32) -> String {
    // Civil-from-days (Howard Hinnant's algorithm): exact for every Int32 day.
    let z = Int64(epochDay) + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    return String(format: "%04lld-%02lld-%02lld", year, month, day)
}

/// The day number of "YYYY-MM-DD". A malformed string gives a day the library refuses with
/// an error naming the argument (it never guesses a date).
func waymarkEpochDay(dateString: String) -> Int32 {
    let parts = dateString.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
          let y = Int64(parts[0]), let m = Int64(parts[1]), let d = Int64(parts[2]),
          (1...12).contains(m), (1...31).contains(d) else {
        return Int32.min
    }
    // Days-from-civil (the inverse of the above).
    let year = m <= 2 ? y - 1 : y
    let era = (year >= 0 ? year : year - 399) / 400
    let yoe = year - era * 400
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    let days = era * 146_097 + doe - 719_468
    // Reject dates like 2026-02-31 by round-tripping.
    guard let value = Int32(exactly: days), waymarkDateString(epochDay: value) == dateString else {
        return Int32.min
    }
    return value
}
