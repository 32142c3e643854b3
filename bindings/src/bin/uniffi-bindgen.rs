//! The `uniffi-bindgen` command, built from the workspace so its version always matches the
//! library: `cargo run -p waymark-ffi --features bindgen --bin uniffi-bindgen -- generate ...`.
//!
//! After uniffi has generated the bindings, what its templates cannot be configured for is
//! put right, here and nowhere else (Gradle, `scripts/kotlin-tests.sh` and the Swift
//! scripts all generate through this command):
//!
//! - **Error messages are the summary**, the sentence a person can act on, instead of
//!   uniffi's dump of every field (`field=mood, rule=..., summary=...`): a Kotlin
//!   exception's `message` and a Swift error's `errorDescription` (so `localizedDescription`).
//!   The fields stay as they are (`e.field`, `e.rule`).
//! - **One enum case style per language.** uniffi writes Kotlin enum entries in
//!   UPPER_SNAKE_CASE but the variants of enums with data and of exceptions in PascalCase;
//!   here every one is PascalCase (`CardCategory.SelfCare`, `ReviewRange.Days`,
//!   `WaymarkException.InvalidInput`: the Kotlin conventions allow either for enum
//!   entries). In Swift, error cases came out PascalCase beside lowerCamelCase enum cases;
//!   here every case is lowerCamelCase (`WaymarkError.invalidInput`, `.selfCare`), as the
//!   Swift API Design Guidelines ask. Only names change: entries keep their order, so the
//!   ordinals that cross the FFI are the same.
//!
//! The Kotlin tests `exceptionMessagesAreTheSummary` and the Swift test
//! `testErrorsAreLowerCamelCaseAndDescribedByTheirSummary` check the result.

use std::path::{Path, PathBuf};

/// The start of an exception's generated `message` getter, as uniffi 0.32 writes it: the
/// line that follows `override val message`.
const DUMP_START: &str = "get() = \"";

fn main() {
    uniffi::uniffi_bindgen_main();
    let args: Vec<String> = std::env::args().collect();
    let language = args
        .windows(2)
        .find(|w| w[0] == "--language" || w[0] == "-l")
        .map(|w| w[1].as_str());
    let out_dir = args
        .windows(2)
        .find(|w| w[0] == "--out-dir" || w[0] == "-o")
        .map(|w| PathBuf::from(&w[1]));
    let fix: Option<(&str, Fix)> = match language {
        Some("kotlin") => Some(("kt", |t| pascal_enum_entries(&summary_messages(t)))),
        Some("swift") => Some(("swift", |t| summary_descriptions(&camel_error_cases(t)))),
        _ => None,
    };
    if let (Some((extension, fix)), Some(dir)) = (fix, out_dir) {
        if let Err(error) = rewrite(&dir, extension, fix) {
            eprintln!("uniffi-bindgen: could not adjust the generated bindings: {error}");
            std::process::exit(1);
        }
    }
}

/// A rewrite of one generated file's text.
type Fix = fn(&str) -> String;

/// Rewrites every generated file ending in `.extension` under `dir` with `fix`.
fn rewrite(dir: &Path, extension: &str, fix: Fix) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            rewrite(&path, extension, fix)?;
        } else if path.extension().is_some_and(|e| e == extension) {
            let text = std::fs::read_to_string(&path)?;
            let fixed = fix(&text);
            if fixed != text {
                std::fs::write(&path, fixed)?;
            }
        }
    }
    Ok(())
}

/// `SELF_CARE` as `SelfCare` (uniffi made the first from a Rust variant named the second).
fn pascal_of_snake(name: &str) -> String {
    name.split('_')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first
                    .to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

/// True for a Kotlin enum entry line as uniffi writes it: `    SELF_CARE,` or `    MY_PLAN;`.
fn snake_entry(line: &str) -> Option<(&str, &str)> {
    let trimmed = line.trim();
    let name = trimmed
        .strip_suffix(',')
        .or_else(|| trimmed.strip_suffix(';'))?;
    let upper = name.starts_with(|c: char| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    upper.then(|| (name, &trimmed[name.len()..]))
}

/// Kotlin `text` with the entries of every `enum class` in PascalCase, declarations and
/// qualified uses (`CardCategory.SELF_CARE`) alike.
fn pascal_enum_entries(text: &str) -> String {
    let mut renamed: Vec<(String, String)> = Vec::new();
    let mut out = String::with_capacity(text.len());
    let mut in_enum: Option<String> = None;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.trim_start().strip_prefix("enum class ") {
            in_enum = rest.split([' ', '{', '(']).next().map(str::to_owned);
            out.push_str(line);
            continue;
        }
        let Some(enum_name) = &in_enum else {
            out.push_str(line);
            continue;
        };
        match snake_entry(line) {
            Some((name, end)) => {
                let indent = &line[..line.len() - line.trim_start().len()];
                let pascal = pascal_of_snake(name);
                out.push_str(indent);
                out.push_str(&pascal);
                out.push_str(end);
                out.push('\n');
                renamed.push((
                    format!("{enum_name}.{name}"),
                    format!("{enum_name}.{pascal}"),
                ));
                if end == ";" {
                    in_enum = None;
                }
            }
            None => {
                if line.starts_with('}') {
                    in_enum = None;
                }
                out.push_str(line);
            }
        }
    }
    for (from, to) in renamed {
        out = replace_whole(&out, &from, &to);
    }
    out
}

/// `text` with `from` replaced by `to` wherever it is not followed by an identifier's
/// character (so `Kind.CHECK_IN` does not touch `Kind.CHECK_IN_EVENING`).
fn replace_whole(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let after = &rest[at + from.len()..];
        let whole = !after.starts_with(|c: char| c.is_alphanumeric() || c == '_');
        out.push_str(&rest[..at]);
        out.push_str(if whole { to } else { from });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Swift `text` with the cases of every error enum (`enum WaymarkError: Swift.Error`) in
/// lowerCamelCase: the declarations and every `.Case` use.
fn camel_error_cases(text: &str) -> String {
    let mut cases: Vec<String> = Vec::new();
    let mut out = String::with_capacity(text.len());
    let mut in_error = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.contains("enum ") && trimmed.contains(": Swift.Error") {
            in_error = true;
        } else if in_error && line.starts_with('}') {
            in_error = false;
        } else if in_error {
            if let Some(rest) = trimmed.strip_prefix("case ") {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if name.starts_with(|c: char| c.is_ascii_uppercase()) {
                    let indent = &line[..line.len() - trimmed.len()];
                    out.push_str(indent);
                    out.push_str("case ");
                    out.push_str(&lower_first(&name));
                    out.push_str(&rest[name.len()..]);
                    cases.push(name);
                    continue;
                }
            }
        }
        out.push_str(line);
    }
    for name in cases {
        out = replace_whole(
            &out,
            &format!(".{name}"),
            &format!(".{}", lower_first(&name)),
        );
    }
    out
}

/// `InvalidInput` as `invalidInput`.
fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What a Swift error's `errorDescription` becomes: its `summary` (or its only text, such as
/// a platform failure's reason), found through the case's associated values.
const SWIFT_SUMMARY: &str =
    "guard let payload = Mirror(reflecting: self).children.first?.value else {
            return String(describing: self)
        }
        let fields = Mirror(reflecting: payload).children
        if let summary = fields.first(where: { $0.label == \"summary\" })?.value as? String {
            return summary
        }
        if fields.count == 1, let only = fields.first?.value as? String {
            return only
        }
        return payload as? String ?? String(describing: self)";

/// Swift `text` with each error's dump (`String(reflecting: self)`) as its description
/// replaced by its summary.
fn summary_descriptions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_error = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.contains("enum ") && trimmed.contains(": Swift.Error") {
            in_error = true;
        } else if line.starts_with('}') {
            in_error = false;
        } else if in_error && trimmed == "String(reflecting: self)" {
            let indent = &line[..line.len() - line.trim_start().len()];
            out.push_str(indent);
            out.push_str(SWIFT_SUMMARY);
            out.push('\n');
            continue;
        }
        out.push_str(line);
    }
    out
}

/// `text` with each exception's `message` getter made a sentence: the `summary` when the
/// exception has one, its only text field otherwise (a platform failure's `reason`), and for
/// an exception without fields its name in words ("key invalidated").
fn summary_messages(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.split_inclusive('\n').peekable();
    let mut class = String::new();
    while let Some(line) = lines.next() {
        out.push_str(line);
        if let Some(rest) = line.trim_start().strip_prefix("class ") {
            class = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
        }
        if line.trim() != "override val message" {
            continue;
        }
        let Some(getter) = lines.peek() else { break };
        let trimmed = getter.trim();
        let Some(dump) = trimmed
            .strip_prefix(DUMP_START)
            .and_then(|d| d.strip_suffix('"'))
        else {
            continue;
        };
        let fields: Vec<&str> = if dump.is_empty() {
            Vec::new()
        } else {
            dump.split(", ")
                .filter_map(|f| f.split_once('=').map(|(name, _)| name))
                .collect()
        };
        let message = if fields.contains(&"summary") {
            "`summary`".to_owned()
        } else if let [only] = fields.as_slice() {
            format!("`{only}`")
        } else if fields.is_empty() {
            format!("\"{}\"", words_of(&class))
        } else {
            continue;
        };
        let indent = &getter[..getter.len() - getter.trim_start().len()];
        out.push_str(indent);
        out.push_str("get() = ");
        out.push_str(&message);
        out.push('\n');
        lines.next();
    }
    out
}

/// `KeyInvalidated` as "key invalidated".
fn words_of(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_uppercase() && !out.is_empty() {
            out.push(' ');
        }
        out.extend(c.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_becomes_the_message_and_other_getters_stay() {
        let generated = "class InvalidInput(\n        val `field`: kotlin.String,\n    ) : WaymarkException() {\n        override val message\n            get() = \"field=${ `field` }, rule=${ `rule` }, summary=${ `summary` }\"\n    }\n    class Failed(\n    ) : PlatformKeyFailure() {\n        override val message\n            get() = \"reason=${ `reason` }\"\n    }\n";
        let fixed = summary_messages(generated);
        assert!(
            fixed.contains("        override val message\n            get() = `summary`\n    }")
        );
        assert!(fixed.contains("            get() = `reason`\n"));
        let empty = summary_messages("    class KeyInvalidated(\n        ) : PlatformKeyFailure() {\n        override val message\n            get() = \"\"\n    }\n");
        assert!(
            empty.contains("            get() = \"key invalidated\"\n"),
            "{empty}"
        );
        assert!(!fixed.contains("field=${"));
    }

    #[test]
    fn kotlin_enum_entries_become_pascal_case_in_place_and_where_named() {
        let generated = "enum class CardCategory {\n    \n    /**\n     * Doc.\n     */\n    MINDFULNESS,\n    SELF_CARE,\n    MY_PLAN;\n\n    companion object\n}\nval x = CardCategory.SELF_CARE\nval y = Other.SELF_CARE\nval z = CardCategory.MY_PLAN_B\n";
        let fixed = pascal_enum_entries(generated);
        assert!(fixed.contains("    Mindfulness,\n    SelfCare,\n    MyPlan;\n"));
        assert!(fixed.contains("val x = CardCategory.SelfCare\n"));
        assert!(fixed.contains("val y = Other.SELF_CARE\n"));
        assert!(fixed.contains("val z = CardCategory.MY_PLAN_B\n"));
        assert!(fixed.contains("    companion object\n"));
    }

    #[test]
    fn swift_error_cases_become_lower_camel_case_and_describe_themselves_by_summary() {
        let generated = "public enum WaymarkError: Swift.Error, Equatable {\n    case WrongSecret(\n        summary: String\n    )\n    case Wiped\n    public var errorDescription: String? {\n        String(reflecting: self)\n    }\n}\nenum Kind {\n    case selfCare\n}\n        case 1: return .WrongSecret(\n        case let .Wiped: x\n        let n = WrongSecretCount\n";
        let fixed = summary_descriptions(&camel_error_cases(generated));
        assert!(fixed.contains("    case wrongSecret(\n"));
        assert!(fixed.contains("    case wiped\n"));
        assert!(fixed.contains("return .wrongSecret(\n"));
        assert!(fixed.contains("case let .wiped: x"));
        assert!(fixed.contains("WrongSecretCount"));
        assert!(fixed.contains("$0.label == \"summary\""));
        assert!(!fixed.contains("String(reflecting: self)"));
    }
}
