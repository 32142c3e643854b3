#![allow(clippy::unwrap_used, missing_docs)]
#[path = "../benches/common/ten_years.rs"]
mod ten_years;
use ten_years::*;

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ten-years.db");
    let r = build_waymark(&path);
    let plain = copy_plain(&r, &dir.path().join("plain.db"), None);
    let body = check_in_body(&r);
    let conn = open_plain(&plain, None);
    conn.execute_batch(
        "CREATE TABLE ws (id INTEGER PRIMARY KEY, n INTEGER); INSERT INTO ws VALUES (1, 0);",
    )
    .unwrap();
    let (mut i, mut j, mut k) = (0u64, 0u64, 100_000u64);
    let (w, p) = paired(
        20,
        301,
        || {
            i += 1;
            waymark_check_in(&r, i);
        },
        || {
            j += 1;
            plain_check_in(&conn, j, &body);
        },
    );
    let (p2, p3) = paired(
        20,
        301,
        || {
            k += 1;
            conn.execute_batch("BEGIN IMMEDIATE").unwrap();
            let id = [(k % 251) as u8; 16];
            let mut key = id;
            key[..8].copy_from_slice(&k.to_be_bytes());
            conn.prepare_cached("INSERT OR REPLACE INTO records VALUES (?1, 'check_in', 2, ?2)")
                .unwrap()
                .execute(rusqlite::params![&key[..], &body])
                .unwrap();
            conn.execute("UPDATE ws SET n = n + 1 WHERE id = 1", [])
                .unwrap();
            conn.execute_batch("COMMIT").unwrap();
        },
        || {
            j += 1;
            plain_check_in(&conn, j, &body);
        },
    );
    println!(
        "waymark {:.0} plain {:.0} | plain+ws {:.0} plain {:.0}",
        us(w),
        us(p),
        us(p2),
        us(p3)
    );
}
