//! The wasm build's allocator (wasm/src/alloc.rs, linked in with the library): random
//! allocations, growth, shrinking and frees of small and page-sized blocks keep their contents,
//! never overlap, and reuse freed memory instead of growing without end.
#![cfg(target_arch = "wasm32")]

// Links the library, whose allocator is the global one.
extern crate nova_states_wasm;

use std::alloc::{alloc, dealloc, realloc, Layout};
use wasm_bindgen_test::wasm_bindgen_test;

/// xorshift: a fixed pseudo-random sequence.
struct Rng(u32);

impl Rng {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }

    fn size(&mut self) -> usize {
        match self.next() % 10 {
            0 => 1 + self.next() as usize % 600_000,
            1 => 30_000 + self.next() as usize % 40_000,
            _ => 1 + self.next() as usize % 300,
        }
    }
}

struct Block {
    ptr: *mut u8,
    layout: Layout,
    seed: u8,
}

fn fill(b: &Block) {
    for i in (0..b.layout.size())
        .step_by(97)
        .chain([b.layout.size() - 1])
    {
        unsafe { *b.ptr.add(i) = b.seed.wrapping_add(i as u8) };
    }
}

/// Checks the bytes `fill` wrote below `len`.
fn check(b: &Block, len: usize) {
    let last = b.layout.size() - 1;
    for i in (0..len).step_by(97).chain(Some(last).filter(|&l| l < len)) {
        assert_eq!(
            unsafe { *b.ptr.add(i) },
            b.seed.wrapping_add(i as u8),
            "byte {i}"
        );
    }
}

#[wasm_bindgen_test]
fn random_blocks_keep_their_bytes_and_memory_is_reused() {
    let mut rng = Rng(0x1234_5678);
    let mut live: Vec<Block> = Vec::new();
    let start = core::arch::wasm32::memory_size(0);
    let mut peak = 0;
    for round in 0..20_000 {
        peak = peak.max(live.iter().map(|b| b.layout.size()).sum::<usize>());
        match rng.next() % 3 {
            0 if live.len() < 200 => {
                let align = [1, 4, 8, 16, 32, 4096][rng.next() as usize % 6];
                let layout = Layout::from_size_align(rng.size(), align).unwrap();
                let ptr = unsafe { alloc(layout) };
                assert!(!ptr.is_null());
                assert_eq!(ptr as usize % align, 0);
                let b = Block {
                    ptr,
                    layout,
                    seed: rng.next() as u8,
                };
                fill(&b);
                live.push(b);
            }
            1 if !live.is_empty() => {
                let i = rng.next() as usize % live.len();
                let b = &mut live[i];
                let size = rng.size();
                let kept = size.min(b.layout.size());
                let ptr = unsafe { realloc(b.ptr, b.layout, size) };
                assert!(!ptr.is_null());
                b.ptr = ptr;
                check(b, kept);
                b.layout = Layout::from_size_align(size, b.layout.align()).unwrap();
                fill(b);
            }
            _ if !live.is_empty() => {
                let b = live.swap_remove(rng.next() as usize % live.len());
                check(&b, b.layout.size());
                unsafe { dealloc(b.ptr, b.layout) };
            }
            _ => {}
        }
        if round % 1000 == 0 {
            let mut spans: Vec<(usize, usize)> = live
                .iter()
                .map(|b| (b.ptr as usize, b.ptr as usize + b.layout.size()))
                .collect();
            spans.sort();
            assert!(spans.windows(2).all(|w| w[0].1 <= w[1].0), "blocks overlap");
            live.iter().for_each(|b| check(b, b.layout.size()));
        }
    }
    // Freed memory is reused: the memory grew by at most twice the most ever live at once.
    let grown = (core::arch::wasm32::memory_size(0) - start) * 65536;
    assert!(
        grown <= 2 * peak,
        "grew {grown} bytes for at most {peak} live"
    );
    for b in live {
        unsafe { dealloc(b.ptr, b.layout) };
    }
}

#[wasm_bindgen_test]
fn a_doubling_buffer_of_tens_of_megabytes_grows_in_place_and_is_reused() {
    for _ in 0..3 {
        let before = core::arch::wasm32::memory_size(0);
        let mut v: Vec<u8> = Vec::new();
        for i in 0..20_000_000u32 {
            v.push(i as u8);
        }
        assert!(v
            .iter()
            .enumerate()
            .step_by(4099)
            .all(|(i, &b)| b == i as u8));
        let big = String::from_utf8(vec![b'x'; 17_000_000]).unwrap();
        assert_eq!(big.len(), 17_000_000);
        drop(v);
        drop(big);
        let after = core::arch::wasm32::memory_size(0);
        // 32 MiB of vector capacity plus 17 MB of text: about 770 pages at most, once.
        assert!(after - before <= 800, "grew {} pages", after - before);
    }
}
