//! Fuzz target: what sync reads from a store or from its own sealed state, as if it had
//! authenticated: a `keys` file, an opened change set or snapshot (both layouts), the
//! ledger, a store's state (the first byte picks which).
fn main() {
    afl::fuzz!(|data: &[u8]| {
        waymark_core::recovery::fuzz::sync_files(data);
    });
}
