//! Fuzz target: waymark_core::recovery::fuzz::recovery_code (see that function's docs).
fn main() {
    afl::fuzz!(|data: &[u8]| {
        waymark_core::recovery::fuzz::recovery_code(data);
    });
}
