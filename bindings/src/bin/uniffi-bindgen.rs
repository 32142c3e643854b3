//! The `uniffi-bindgen` command, built from the workspace so its version always matches the
//! library: `cargo run -p waymark-ffi --features bindgen --bin uniffi-bindgen -- generate ...`.
//!
//! After uniffi has generated the bindings, one thing its templates cannot be configured
//! for is put right, here and nowhere else (Gradle, `scripts/kotlin-tests.sh` and the Swift
//! scripts all generate through this command): a Kotlin `WaymarkException`'s `message` is
//! its `summary`, the sentence a person can act on, instead of uniffi's dump of every field
//! (`field=mood, rule=..., summary=...`). The fields stay as they are (`e.field`, `e.rule`);
//! the Kotlin test `exceptionMessagesAreTheSummary` checks the result.

use std::path::{Path, PathBuf};

/// The generated getter for a variant with a `summary` field, as uniffi 0.32 writes it: the
/// line that follows `override val message`.
const DUMP_START: &str = "get() = \"";
/// What it becomes.
const SUMMARY_GETTER: &str = "get() = `summary`";

fn main() {
    uniffi::uniffi_bindgen_main();
    let args: Vec<String> = std::env::args().collect();
    let kotlin = args
        .windows(2)
        .any(|w| w[0] == "--language" && w[1] == "kotlin");
    let out_dir = args
        .windows(2)
        .find(|w| w[0] == "--out-dir" || w[0] == "-o")
        .map(|w| PathBuf::from(&w[1]));
    if let (true, Some(dir)) = (kotlin, out_dir) {
        if let Err(error) = fix_kotlin_messages(&dir) {
            eprintln!("uniffi-bindgen: could not adjust the Kotlin exception messages: {error}");
            std::process::exit(1);
        }
    }
}

/// Rewrites every generated `.kt` file under `dir`.
fn fix_kotlin_messages(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            fix_kotlin_messages(&path)?;
        } else if path.extension().is_some_and(|e| e == "kt") {
            let text = std::fs::read_to_string(&path)?;
            let fixed = summary_messages(&text);
            if fixed != text {
                std::fs::write(&path, fixed)?;
            }
        }
    }
    Ok(())
}

/// `text` with each exception `message` getter whose dump includes `summary=` replaced by
/// the summary itself. Other getters (an exception without a summary) are left alone.
fn summary_messages(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        out.push_str(line);
        if line.trim() != "override val message" {
            continue;
        }
        let Some(getter) = lines.peek() else { break };
        let trimmed = getter.trim_start();
        if trimmed.starts_with(DUMP_START) && trimmed.contains("summary=${ `summary` }") {
            let indent = &getter[..getter.len() - trimmed.len()];
            out.push_str(indent);
            out.push_str(SUMMARY_GETTER);
            out.push('\n');
            lines.next();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::summary_messages;

    #[test]
    fn a_summary_becomes_the_message_and_other_getters_stay() {
        let generated = "class InvalidInput(\n        val `field`: kotlin.String,\n    ) : WaymarkException() {\n        override val message\n            get() = \"field=${ `field` }, rule=${ `rule` }, summary=${ `summary` }\"\n    }\n    class Failed(\n    ) : PlatformKeyFailure() {\n        override val message\n            get() = \"reason=${ `reason` }\"\n    }\n";
        let fixed = summary_messages(generated);
        assert!(
            fixed.contains("        override val message\n            get() = `summary`\n    }")
        );
        assert!(fixed.contains("get() = \"reason=${ `reason` }\""));
        assert!(!fixed.contains("field=${"));
    }
}
