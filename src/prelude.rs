//! What `std`'s prelude would bring, from `alloc`: the crate builds without `std` (the lean
//! WebAssembly module leaves it out) and with it (the default feature).

#[allow(unused_imports)] // each module takes what it needs
pub(crate) use alloc::{
    borrow::ToOwned,
    boxed::Box,
    format,
    string::{String, ToString},
    vec,
    vec::Vec,
};
