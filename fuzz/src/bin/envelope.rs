//! Fuzz target: waymark_core::recovery::fuzz::envelope (see that function's docs).
fn main() {
    afl::fuzz!(|data: &[u8]| {
        waymark_core::recovery::fuzz::envelope(data);
    });
}
