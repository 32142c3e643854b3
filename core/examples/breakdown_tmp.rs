#![allow(clippy::unwrap_used, missing_docs)]
#[path = "../benches/common/ten_years.rs"]
mod ten_years;
use std::hint::black_box;
use ten_years::*;
use waymark_core::recovery::review::{review, ReviewRange};
use waymark_core::recovery::snapshot::Snapshot;
use waymark_core::Journal;

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ten-years.db");
    let r = build_waymark(&path);
    drop(r);
    let open = median(3, 21, || {
        let j = Journal::open(&path, cheap_options()).unwrap();
        j.unlock_with_passphrase(PASSPHRASE).unwrap();
        black_box(j);
    });
    let j = Journal::open(&path, cheap_options()).unwrap();
    j.unlock_with_passphrase(PASSPHRASE).unwrap();
    let visit = median(3, 21, || {
        let mut n = 0usize;
        j.visit_records(|v| n += v.body.len()).unwrap();
        black_box(n);
    });
    let load = median(3, 21, || {
        black_box(Snapshot::load(&j).unwrap());
    });
    let s = Snapshot::load(&j).unwrap();
    let settings = s.settings.clone().unwrap_or_default();
    let rev = median(3, 21, || {
        black_box(review(&s, ReviewRange::AllTime, now(), &settings).unwrap());
    });
    let conn = open_plain(&path, None);
    let fetch = median(3, 21, || {
        let mut st = conn
            .prepare_cached("SELECT id, revision, envelope FROM records")
            .unwrap();
        let mut rows = st.query([]).unwrap();
        let mut n = 0usize;
        while let Some(row) = rows.next().unwrap() {
            n += row.get_ref(2).unwrap().as_blob().unwrap().len();
        }
        black_box(n);
    });
    println!("fetch {:.2}", ms(fetch));
    let total = median(3, 21, || {
        black_box(waymark_open_review(&path));
    });
    println!(
        "open+unlock {:.2} visit {:.2} load {:.2} review {:.2} total {:.2}",
        ms(open),
        ms(visit),
        ms(load),
        ms(rev),
        ms(total)
    );
}
