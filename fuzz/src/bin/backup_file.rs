//! Fuzz target: waymark_core::recovery::fuzz::backup_file (see that function's docs).
fn main() {
    afl::fuzz!(|data: &[u8]| {
        waymark_core::recovery::fuzz::backup_file(data);
    });
}
