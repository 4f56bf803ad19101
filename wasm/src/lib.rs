//! The JavaScript binding of nova-states: the one place that knows about wasm-bindgen.
//!
//! Two modules are built from this crate. The main one (`lean.rs`, the default build) holds
//! what a dashboard needs: the package's JS entry (`wasm/js/api.js`) reads a server record,
//! turns its names into the numeric codes of [`abi`] with tables `build.rs` generated from the
//! core, and calls exports whose arguments and results are numbers, or one string when words
//! are needed (a denial's parts, a validation's findings, an error's code and message). It
//! carries no serializer and no `std`: with the `lean` feature it builds `no_std` with a panic
//! handler that traps, so nothing links `core::fmt`'s machinery. The descriptive one
//! (`describe.rs`, the `describe` feature) holds rule notes, the model, graph exports and the
//! JSON batch reader, behind the package's `nova-states/describe` entry.

#![cfg_attr(any(feature = "lean", feature = "describe"), no_std)]

extern crate alloc;

mod abi;
#[cfg(feature = "describe")]
mod describe;
mod lean;
pub use lean::*;

include!(concat!(env!("OUT_DIR"), "/digest.rs"));

/// The allocator: `talc`, a maintained allocator for WebAssembly, chosen by measurement over
/// Rust's default dlmalloc (2.3 KB smaller gzipped, and faster on small allocations).
#[cfg(target_family = "wasm")]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The lean build's panic handler: a trap. Nothing in the binding or the core panics on any
/// input (bad input is an error value, tested at every boundary); a bug would end the call
/// with a `RuntimeError` instead of linking the formatting that `std`'s handler prints with.
#[cfg(all(
    any(feature = "lean", feature = "describe"),
    target_family = "wasm",
    not(test)
))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

/// The digest of the code tables `build.rs` wrote for JS; the JS entry compares it with its
/// own copy at start-up, so a `codes.js` from another build fails loudly.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = codesDigest)]
pub fn codes_digest() -> u32 {
    CODES_DIGEST
}
