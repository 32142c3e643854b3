//! The one error type that crosses the FFI: `WaymarkException` in Kotlin, `WaymarkError` in
//! Swift. It is defined in the core (`waymark_core::ffi_error`, so that arguments the core's
//! type bridges refuse arrive as its `InvalidInput`) and used by every exported call here.

pub use waymark_core::ffi_error::WaymarkError;

/// The result type of every fallible FFI call.
pub type Result<T, E = WaymarkError> = std::result::Result<T, E>;
