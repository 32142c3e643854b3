//! The `uniffi-bindgen` command, built from the workspace so its version always matches the
//! library: `cargo run -p waymark-ffi --features bindgen --bin uniffi-bindgen -- generate ...`.

fn main() {
    uniffi::uniffi_bindgen_main()
}
