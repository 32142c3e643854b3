//! Fuzz target: the command line's parsers (dates, times, ids, `--at` moments) and amounts in
//! several currencies.
use waymark_cli::parse;

fn main() {
    let zone = waymark_core::recovery::clock::Zone::named_or_utc("Europe/Berlin");
    let now = chrono::DateTime::from_timestamp(1_795_000_000, 0).unwrap_or_default();
    afl::fuzz!(|data: &[u8]| {
        waymark_core::recovery::fuzz::amount(data);
        if let Ok(text) = std::str::from_utf8(data) {
            let _ = parse::date("date", text);
            let _ = parse::time("time", text);
            let _ = parse::id("id", text);
            let _ = parse::moment("at", text, &zone, now);
        }
    });
}
