//! Fuzz target: waymark_core::recovery::fuzz::slot_params (see that function's docs).
fn main() {
    afl::fuzz!(|data: &[u8]| {
        waymark_core::recovery::fuzz::slot_params(data);
    });
}
