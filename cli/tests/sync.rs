//! `waymark sync` and `waymark join` through the binary: a phone and a laptop sharing a
//! folder, edits, a concurrent edit kept as a conflict copy, a deletion travelling, a folder
//! that reveals nothing, and a wrong passphrase that joins nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use serde_json::Value;

fn entries(w: &Waymark) -> Vec<Value> {
    let mut list = w
        .run(&["--json", "entry", "list"])
        .json("entry list")
        .as_array()
        .unwrap()
        .clone();
    list.sort_by_key(|e| e["id"].as_str().unwrap().to_owned());
    list
}

fn pause() {
    std::thread::sleep(std::time::Duration::from_millis(5));
}

#[test]
fn a_phone_and_a_laptop_share_a_folder() {
    let phone = Waymark::new();
    phone.init();
    let folder = phone.path("shared");
    std::fs::create_dir(&folder).unwrap();
    let folder_s = folder.to_str().unwrap();
    let written = phone
        .run(&[
            "--json",
            "entry",
            "write",
            "--text",
            "MARKER-CLI-SYNC the night at the bridge",
        ])
        .json("entry write");
    let id = written["id"].as_str().unwrap().to_owned();
    phone
        .run(&["check-in", "--mood", "2", "--craving", "7"])
        .ok();
    let out = phone.run(&["sync", "--folder", folder_s]).ok();
    assert!(out.contains("Sent 3 records"), "{out}");

    // The laptop joins with the passphrase; a wrong one joins nothing.
    let laptop = Waymark::new();
    let wrong = laptop.run_with(
        &["join", "--folder", folder_s],
        &[("WAYMARK_PASSPHRASE", "not the right passphrase")],
        None,
    );
    assert_ne!(wrong.code, 0);
    assert!(wrong.stderr.contains("passphrase"), "{}", wrong.stderr);
    assert!(!exists(&laptop.journal));
    let out = laptop.run(&["join", "--folder", folder_s]).ok();
    assert!(out.contains("Joined"), "{out}");
    assert_eq!(entries(&laptop), entries(&phone));
    // Joining again over the folder's own journal only syncs; over another journal it is
    // refused.
    let again = laptop.run(&["join", "--folder", folder_s]).ok();
    assert!(again.contains("already this folder's journal"), "{again}");
    let stranger = Waymark::new();
    stranger.init();
    let refused = stranger.run(&["join", "--folder", folder_s]);
    assert_ne!(
        refused.code, 0,
        "joining over another journal must be refused"
    );
    assert!(
        refused.stderr.contains("another journal"),
        "{}",
        refused.stderr
    );

    // Both edit the entry before syncing: the later edit wins, the other is a copy.
    laptop
        .run(&["entry", "edit", &id, "--text", "written on the laptop"])
        .ok();
    pause();
    phone
        .run(&["entry", "edit", &id, "--text", "written on the phone"])
        .ok();
    laptop.run(&["sync", "--folder", folder_s]).ok();
    let out = phone.run(&["sync", "--folder", folder_s]).ok();
    assert!(out.contains("kept as a conflict copy"), "{out}");
    let report = laptop
        .run(&["--json", "sync", "--folder", folder_s])
        .json("sync");
    assert_eq!(report["received"], 1, "{report}");
    let on_phone = entries(&phone);
    assert_eq!(on_phone, entries(&laptop));
    assert_eq!(on_phone.len(), 2);
    let winner = on_phone.iter().find(|e| e["id"] == id.as_str()).unwrap();
    assert_eq!(winner["body"], "written on the phone");
    let copy = on_phone
        .iter()
        .find(|e| e["conflict_of"] == id.as_str())
        .unwrap();
    assert_eq!(copy["body"], "written on the laptop");

    // A deletion on the laptop reaches the phone.
    laptop.run(&["delete", "entry", &id, "--yes"]).ok();
    laptop.run(&["sync", "--folder", folder_s]).ok();
    let report = phone
        .run(&["--json", "sync", "--folder", folder_s])
        .json("sync");
    assert_eq!(report["merged"]["deleted"], 1, "{report}");
    assert_eq!(entries(&phone).len(), 1);

    // The folder holds nothing readable.
    for entry in std::fs::read_dir(&folder).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        for needle in [
            "MARKER-CLI-SYNC",
            "bridge",
            "laptop",
            "Europe/Berlin",
            "entry",
            "check_in",
        ] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "{needle} in the folder"
            );
        }
    }
}

// --- A store or a device that works against the others -----------------------------------

/// A phone with an entry, synced to a folder, and a laptop joined from it.
struct Pair {
    phone: Waymark,
    laptop: Waymark,
    folder: std::path::PathBuf,
    id: String,
}

impl Pair {
    fn new() -> Pair {
        let phone = Waymark::new();
        phone.init();
        let folder = phone.path("shared");
        std::fs::create_dir(&folder).unwrap();
        let id = phone
            .run(&[
                "--json",
                "entry",
                "write",
                "--text",
                "the night at the bridge",
            ])
            .json("entry write")["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let pair = Pair {
            phone,
            laptop: Waymark::new(),
            folder,
            id,
        };
        pair.phone.run(&["sync", "--folder", pair.f()]).ok();
        pair.laptop.run(&["join", "--folder", pair.f()]).ok();
        pair
    }

    fn f(&self) -> &str {
        self.folder.to_str().unwrap()
    }

    fn sync(&self, w: &Waymark) -> Value {
        w.run(&["--json", "sync", "--folder", self.f()])
            .json("sync")
    }

    /// The laptop deletes the entry and both sync.
    fn delete_on_the_laptop(&self) {
        self.laptop
            .run(&["delete", "entry", &self.id, "--yes"])
            .ok();
        self.sync(&self.laptop);
        self.sync(&self.phone);
        assert!(!entries(&self.phone)
            .iter()
            .any(|e| e["id"] == self.id.as_str()));
    }

    /// Nothing of the deleted entry is anywhere, not even as a conflict copy.
    fn assert_stays_deleted(&self) {
        for w in [&self.phone, &self.laptop] {
            let list = entries(w);
            assert!(
                !list.iter().any(|e| e["body"] == "the night at the bridge"),
                "the deleted entry came back: {list:?}"
            );
        }
    }
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[test]
fn a_deleted_entry_stays_deleted_when_the_folders_keys_file_is_removed_or_altered() {
    let p = Pair::new();
    p.delete_on_the_laptop();
    std::fs::remove_file(p.folder.join("keys")).unwrap();
    let repaired = p.sync(&p.phone);
    assert_eq!(repaired["keys_repaired"], true, "{repaired}");
    for w in [&p.laptop, &p.phone] {
        let report = p.sync(w);
        assert_eq!(report["merged"]["conflict_copies"], 0, "{report}");
    }
    p.assert_stays_deleted();
    // One byte of the store id flipped: the key file is written again, nothing comes back.
    let mut keys = std::fs::read(p.folder.join("keys")).unwrap();
    keys[28] ^= 0x01;
    std::fs::write(p.folder.join("keys"), &keys).unwrap();
    let out = p.laptop.run(&["sync", "--folder", p.f()]).ok();
    assert!(out.contains("key file was missing or changed"), "{out}");
    p.sync(&p.phone);
    p.assert_stays_deleted();
}

#[test]
fn a_change_set_hidden_for_one_sync_and_put_back_changes_nothing() {
    let p = Pair::new();
    p.phone
        .run(&["entry", "write", "--text", "plan for Friday"])
        .ok();
    p.sync(&p.phone);
    p.sync(&p.laptop);
    p.delete_on_the_laptop();
    let aside = p.phone.path("aside");
    copy_dir(&p.folder, &aside);
    for entry in std::fs::read_dir(&p.folder).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap() != "keys" {
            std::fs::remove_file(path).unwrap();
        }
    }
    // The folder shows less than before: said in one line, nothing changed.
    let hidden = p.laptop.run(&["sync", "--folder", p.f()]);
    assert_ne!(hidden.code, 0);
    assert!(hidden.stderr.contains("shows less"), "{}", hidden.stderr);
    assert_eq!(hidden.stderr.trim().lines().count(), 1, "{}", hidden.stderr);
    copy_dir(&aside, &p.folder);
    for w in [&p.laptop, &p.phone, &p.laptop] {
        let report = p.sync(w);
        assert_eq!(report["merged"]["conflict_copies"], 0, "{report}");
        assert_eq!(report["merged"]["added"], 0, "{report}");
    }
    p.assert_stays_deleted();
    assert_eq!(entries(&p.laptop), entries(&p.phone));
}

#[test]
fn a_changed_passphrase_and_a_new_recovery_code_reach_the_device_left_behind() {
    let p = Pair::new();
    let new = "a brand new passphrase here";
    p.phone
        .run_with(
            &["change-passphrase"],
            &[
                ("WAYMARK_PASSPHRASE", PASSPHRASE),
                ("WAYMARK_NEW_PASSPHRASE", new),
            ],
            None,
        )
        .ok();
    p.phone
        .run_with(
            &["sync", "--folder", p.f()],
            &[("WAYMARK_PASSPHRASE", new)],
            None,
        )
        .ok();
    // The laptop never changed it: its sync adopts the new one and says so.
    let out = p.laptop.run(&["sync", "--folder", p.f()]).ok();
    assert!(
        out.contains("The passphrase was changed on another device"),
        "{out}"
    );
    let old = p.laptop.run(&["home"]);
    assert_eq!(old.code, 3, "the old passphrase still opens the laptop");
    // A new device joins with the new passphrase only.
    let tablet = Waymark::new();
    let refused = tablet.run(&["join", "--folder", p.f()]);
    assert_eq!(refused.code, 3, "{}", refused.stderr);
    assert!(!exists(&tablet.journal));
    tablet
        .run_with(
            &["join", "--folder", p.f()],
            &[("WAYMARK_PASSPHRASE", new)],
            None,
        )
        .ok();

    // A new recovery code on the laptop: the phone learns it, the old code joins nothing.
    let code = |w: &Waymark| {
        w.run_with(
            &["--json", "new-recovery-code"],
            &[("WAYMARK_PASSPHRASE", new)],
            None,
        )
        .json("new-recovery-code")["recovery_code"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let first = code(&p.laptop);
    let second = code(&p.laptop);
    p.laptop
        .run_with(
            &["sync", "--folder", p.f()],
            &[("WAYMARK_PASSPHRASE", new)],
            None,
        )
        .ok();
    let out = p
        .phone
        .run_with(
            &["sync", "--folder", p.f()],
            &[("WAYMARK_PASSPHRASE", new)],
            None,
        )
        .ok();
    assert!(
        out.contains("The recovery code was replaced on another device"),
        "{out}"
    );
    let other = Waymark::new();
    let old_code = other.run_with(
        &["--recovery-code", "join", "--folder", p.f()],
        &[("WAYMARK_RECOVERY_CODE", &first)],
        None,
    );
    assert_eq!(old_code.code, 3, "{}", old_code.stderr);
    other
        .run_with(
            &["--recovery-code", "join", "--folder", p.f()],
            &[("WAYMARK_RECOVERY_CODE", &second)],
            None,
        )
        .ok();
}

#[test]
fn after_rotate_key_the_device_left_behind_is_told_and_joins_again_keeping_everything() {
    let p = Pair::new();
    // The laptop writes and syncs before the rotation; the phone has not pulled it yet.
    p.laptop
        .run(&["entry", "write", "--text", "synced before the rotation"])
        .ok();
    p.sync(&p.laptop);
    let rotated = p.phone.run(&["--json", "rotate-key"]).json("rotate-key");
    let new_code = rotated["recovery_code"].as_str().unwrap().to_owned();
    let out = p.phone.run(&["sync", "--folder", p.f()]).ok();
    assert!(out.contains("new key"), "{out}");
    let again = p.sync(&p.phone);
    assert_eq!(
        (again["refused"].clone(), again["foreign"].clone()),
        (0.into(), 0.into()),
        "{again}"
    );
    // The laptop, on the old key, writes and is told in words; nothing is "damaged".
    p.laptop
        .run(&["entry", "write", "--text", "never sent from the laptop"])
        .ok();
    let told = p.laptop.run(&["sync", "--folder", p.f()]);
    assert_ne!(told.code, 0);
    assert!(
        told.stderr.contains("key was changed on another device"),
        "{}",
        told.stderr
    );
    assert!(told.stderr.contains("waymark join"), "{}", told.stderr);
    assert!(!told.stderr.contains("damaged"), "{}", told.stderr);
    // It joins again in place and keeps what it never sent.
    let out = p.laptop.run(&["join", "--folder", p.f()]).ok();
    assert!(out.contains("Joined again"), "{out}");
    p.sync(&p.phone);
    let texts: Vec<String> = entries(&p.phone)
        .iter()
        .map(|e| e["body"].as_str().unwrap().to_owned())
        .collect();
    for text in [
        "the night at the bridge",
        "synced before the rotation",
        "never sent from the laptop",
    ] {
        assert!(
            texts.contains(&text.to_owned()),
            "{text} missing: {texts:?}"
        );
    }
    assert_eq!(entries(&p.laptop), entries(&p.phone));
    // A device joining now joins with the new recovery code, not the old one, and has all.
    let tablet = Waymark::new();
    tablet
        .run_with(
            &["--recovery-code", "join", "--folder", p.f()],
            &[("WAYMARK_RECOVERY_CODE", &new_code)],
            None,
        )
        .ok();
    assert_eq!(entries(&tablet), entries(&p.phone));
}

#[test]
fn a_safety_plan_changed_on_two_devices_keeps_both_additions() {
    let p = Pair::new();
    p.phone
        .run(&["safety-plan", "add", "reasons", "my daughter"])
        .ok();
    p.sync(&p.phone);
    p.sync(&p.laptop);
    pause();
    p.laptop
        .run(&["safety-plan", "add", "reasons", "the sea in the morning"])
        .ok();
    pause();
    p.phone
        .run(&["safety-plan", "add", "warning-signs", "skipping meals"])
        .ok();
    p.phone.run(&["safety-plan", "remove", "reasons", "1"]).ok();
    for w in [&p.laptop, &p.phone, &p.laptop] {
        p.sync(w);
    }
    for w in [&p.phone, &p.laptop] {
        let plan = w.run(&["safety-plan"]).ok();
        assert!(plan.contains("skipping meals"), "{plan}");
        assert!(plan.contains("the sea in the morning"), "{plan}");
        assert!(!plan.contains("my daughter"), "{plan}");
    }
}

#[test]
fn plain_http_to_a_name_that_only_starts_like_this_computer_is_refused() {
    let w = Waymark::new();
    w.init();
    let out = w.run(&["sync", "--webdav", "http://127.attacker.example/dav/"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("https://"), "{}", out.stderr);
}

/// A WebDAV server in the test: it keeps blobs in memory, and while `redirect` is set it
/// answers every PUT with `301 Moved Permanently` to another place, storing nothing.
struct TinyDav {
    port: u16,
    redirect: std::sync::Arc<std::sync::atomic::AtomicBool>,
    blobs: std::sync::Arc<std::sync::Mutex<std::collections::BTreeMap<String, Vec<u8>>>>,
}

impl TinyDav {
    fn start() -> TinyDav {
        use std::io::{BufRead, BufReader, Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let redirect = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let blobs = std::sync::Arc::new(std::sync::Mutex::new(std::collections::BTreeMap::<
            String,
            Vec<u8>,
        >::new()));
        let (r, b) = (redirect.clone(), blobs.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                let mut parts = line.split_whitespace();
                let (method, path) = (
                    parts.next().unwrap_or("").to_owned(),
                    parts.next().unwrap_or("").to_owned(),
                );
                let mut length = 0usize;
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).is_err() || header.trim().is_empty() {
                        break;
                    }
                    if let Some(v) = header.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0u8; length];
                let _ = reader.read_exact(&mut body);
                let name = path.trim_start_matches("/dav/").to_owned();
                let mut store = b.lock().unwrap();
                let (status, extra, payload): (&str, String, Vec<u8>) = match method.as_str() {
                    "PROPFIND" => {
                        let mut xml = String::from(
                            r#"<?xml version="1.0"?><D:multistatus xmlns:D="DAV:"><D:response><D:href>/dav/</D:href></D:response>"#,
                        );
                        for n in store.keys() {
                            xml.push_str(&format!(
                                "<D:response><D:href>/dav/{n}</D:href></D:response>"
                            ));
                        }
                        xml.push_str("</D:multistatus>");
                        ("207 Multi-Status", String::new(), xml.into_bytes())
                    }
                    "GET" => match store.get(&name) {
                        Some(bytes) => ("200 OK", String::new(), bytes.clone()),
                        None => ("404 Not Found", String::new(), Vec::new()),
                    },
                    "PUT" if r.load(std::sync::atomic::Ordering::SeqCst) => (
                        "301 Moved Permanently",
                        format!("Location: http://127.0.0.1:{port}/elsewhere/{name}\r\n"),
                        Vec::new(),
                    ),
                    "PUT" => {
                        store.insert(name, body);
                        ("201 Created", String::new(), Vec::new())
                    }
                    "DELETE" => {
                        store.remove(&name);
                        ("204 No Content", String::new(), Vec::new())
                    }
                    _ => ("201 Created", String::new(), Vec::new()),
                };
                drop(store);
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n",
                    payload.len()
                );
                let _ = stream.write_all(&payload);
            }
        });
        TinyDav {
            port,
            redirect,
            blobs,
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/dav/", self.port)
    }
}

#[test]
fn a_webdav_server_that_answers_put_with_a_redirect_stores_nothing_and_the_next_sync_sends_it() {
    let dav = TinyDav::start();
    let phone = Waymark::new();
    phone.init();
    phone
        .run(&["entry", "write", "--text", "sent through a redirect"])
        .ok();
    let redirected = phone.run(&["sync", "--webdav", &dav.url()]);
    assert_ne!(redirected.code, 0, "a redirect was taken as success");
    assert!(
        redirected.stderr.contains("redirect"),
        "{}",
        redirected.stderr
    );
    assert_eq!(
        redirected.stderr.trim().lines().count(),
        1,
        "{}",
        redirected.stderr
    );
    assert!(dav.blobs.lock().unwrap().is_empty());
    // The server behaves: the next sync sends everything, and another device gets it.
    dav.redirect
        .store(false, std::sync::atomic::Ordering::SeqCst);
    phone.run(&["sync", "--webdav", &dav.url()]).ok();
    let laptop = Waymark::new();
    laptop.run(&["join", "--webdav", &dav.url()]).ok();
    assert_eq!(entries(&laptop).len(), 1);
    assert_eq!(entries(&laptop)[0]["body"], "sent through a redirect");
}
