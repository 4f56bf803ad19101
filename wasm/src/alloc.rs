//! A small global allocator for the wasm build, in place of the standard library's dlmalloc
//! (about 7 KB of code). Single-threaded wasm only: the state lives in one static, unsynchronised.
//!
//! Design. `GlobalAlloc` hands the layout back on `dealloc` and `realloc`, so blocks carry no
//! header: the block's size follows from the layout alone.
//!
//! * Small requests (size up to 32 KiB, align up to 16) are rounded up to a power of two from
//!   16 bytes and served from one LIFO free list per size class. An empty list is refilled by
//!   bumping a pointer through a chunk of 256 KiB taken from the large allocator; what is left
//!   of a chunk when it runs out is cut into power-of-two blocks for the free lists. Small
//!   blocks are never returned to the large allocator. `realloc` stays in place while the size
//!   keeps its class.
//! * Large requests (and any alignment over 16, up to 64 KiB) take whole 64 KiB wasm pages.
//!   Free runs of pages sit in one address-ordered list and are merged with their neighbours
//!   when freed; allocation is best fit from the start of a run (so it can later grow into the rest). When nothing fits,
//!   `memory.grow` adds pages (fewer when the last free run already ends at the top of memory).
//!   `realloc` grows a run in place when it ends at the top of memory (it grows the memory) or
//!   is followed by a free run large enough, and shrinks in place by freeing the tail; so a
//!   buffer that keeps doubling is seldom copied, and a big buffer costs its size rounded to
//!   64 KiB, not the next power of two.
//!
//! Memory is never given back to the host (wasm memory cannot shrink); freed pages are reused.

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::cell::UnsafeCell;
use core::ptr::{self, null_mut};

#[cfg(target_feature = "atomics")]
compile_error!("wasm/src/alloc.rs is for single-threaded wasm only");

const PAGE: usize = 65536;
/// Smallest block: 16 bytes (2^4), so every block is 16-aligned.
const MIN_SHIFT: usize = 4;
/// 16 B, 32 B, …, 32 KiB.
const CLASSES: usize = 12;
const SMALL_MAX: usize = 1 << (MIN_SHIFT + CLASSES - 1);
const CHUNK_PAGES: usize = 4;

/// The head of a free run of pages, written in its first bytes.
struct Run {
    next: *mut Run,
    pages: usize,
}

struct State {
    /// Free small blocks per class; each holds the address of the next.
    small: [*mut u8; CLASSES],
    /// The chunk small blocks are cut from: next free byte and end.
    bump: usize,
    end: usize,
    /// Free runs of pages, by address.
    runs: *mut Run,
}

pub struct Allocator(UnsafeCell<State>);

// SAFETY: wasm32 without the atomics feature has a single thread.
unsafe impl Sync for Allocator {}

#[global_allocator]
static ALLOCATOR: Allocator = Allocator(UnsafeCell::new(State {
    small: [null_mut(); CLASSES],
    bump: 0,
    end: 0,
    runs: null_mut(),
}));

/// The size class of a small request (0 for up to 16 bytes).
fn class(size: usize) -> usize {
    let size = size.max(1 << MIN_SHIFT);
    (usize::BITS - (size - 1).leading_zeros()) as usize - MIN_SHIFT
}

fn is_small(layout: &Layout) -> bool {
    layout.size() <= SMALL_MAX && layout.align() <= 1 << MIN_SHIFT
}

fn pages(size: usize) -> usize {
    size.div_ceil(PAGE).max(1)
}

fn top() -> usize {
    wasm32::memory_size(0) * PAGE
}

/// Grows the memory by `n` pages; the address of the first new one, or `None`.
fn grow(n: usize) -> Option<usize> {
    match wasm32::memory_grow(0, n) {
        usize::MAX => None,
        old => Some(old * PAGE),
    }
}

impl State {
    unsafe fn alloc_small(&mut self, c: usize) -> *mut u8 {
        let head = self.small[c];
        if !head.is_null() {
            self.small[c] = *(head as *mut *mut u8);
            return head;
        }
        let size = 1 << (c + MIN_SHIFT);
        if self.end - self.bump < size {
            let chunk = self.alloc_pages(CHUNK_PAGES);
            if chunk.is_null() {
                return chunk;
            }
            // The rest of the old chunk (a multiple of 16) goes to the free lists.
            while self.end - self.bump >= 1 << MIN_SHIFT {
                let rest = self.end - self.bump;
                let c = (CLASSES - 1)
                    .min((usize::BITS - 1 - rest.leading_zeros()) as usize - MIN_SHIFT);
                self.free_small(self.bump as *mut u8, c);
                self.bump += 1 << (c + MIN_SHIFT);
            }
            self.bump = chunk as usize;
            self.end = self.bump + CHUNK_PAGES * PAGE;
        }
        let p = self.bump;
        self.bump += size;
        p as *mut u8
    }

    unsafe fn free_small(&mut self, p: *mut u8, c: usize) {
        *(p as *mut *mut u8) = self.small[c];
        self.small[c] = p;
    }

    /// `n` pages: the start of the smallest free run that holds them, else new memory.
    unsafe fn alloc_pages(&mut self, n: usize) -> *mut u8 {
        let mut best: *mut *mut Run = null_mut();
        let mut link: *mut *mut Run = &mut self.runs;
        let mut last = null_mut();
        while !(*link).is_null() {
            let run = *link;
            if (*run).pages >= n && (best.is_null() || (*run).pages < (**best).pages) {
                best = link;
            }
            last = link;
            link = &mut (*run).next;
        }
        if !best.is_null() {
            let run = *best;
            self.take(best, n);
            return run as *mut u8;
        }
        if !last.is_null() {
            let run = *last;
            if run as usize + (*run).pages * PAGE == top() {
                // The last run ends at the top: grow by the shortfall only.
                if grow(n - (*run).pages).is_none() {
                    return null_mut();
                }
                *last = null_mut();
                return run as *mut u8;
            }
        }
        grow(n).map_or(null_mut(), |p| p as *mut u8)
    }

    /// Takes the first `n` pages of the run `*link` (which has at least `n`).
    unsafe fn take(&mut self, link: *mut *mut Run, n: usize) {
        let run = *link;
        *link = if (*run).pages == n {
            (*run).next
        } else {
            let rest = (run as *mut u8).add(n * PAGE) as *mut Run;
            (*rest).pages = (*run).pages - n;
            (*rest).next = (*run).next;
            rest
        };
    }

    /// Returns `n` pages at `p` to the free runs, merging with the runs either side.
    unsafe fn free_pages(&mut self, p: *mut u8, n: usize) {
        let new = p as *mut Run;
        let mut prev: *mut Run = null_mut();
        let mut next = self.runs;
        while !next.is_null() && (next as usize) < p as usize {
            prev = next;
            next = (*next).next;
        }
        (*new).pages = n;
        (*new).next = next;
        if !next.is_null() && p as usize + n * PAGE == next as usize {
            (*new).pages += (*next).pages;
            (*new).next = (*next).next;
        }
        if prev.is_null() {
            self.runs = new;
        } else if prev as usize + (*prev).pages * PAGE == p as usize {
            (*prev).pages += (*new).pages;
            (*prev).next = (*new).next;
        } else {
            (*prev).next = new;
        }
    }

    /// Grows the run at `p` from `old` to `new` pages without moving it, if it can.
    unsafe fn grow_pages(&mut self, p: *mut u8, old: usize, new: usize) -> bool {
        let end = p as usize + old * PAGE;
        let need = new - old;
        let mut link: *mut *mut Run = &mut self.runs;
        while !(*link).is_null() && (*link as usize) < end {
            link = &mut (**link).next;
        }
        let run = *link;
        if run as usize == end {
            if (*run).pages >= need {
                self.take(link, need);
                return true;
            }
            if (*run).next.is_null() && end + (*run).pages * PAGE == top() {
                if grow(need - (*run).pages).is_none() {
                    return false;
                }
                *link = null_mut();
                return true;
            }
            return false;
        }
        end == top() && grow(need).is_some()
    }

    unsafe fn alloc(&mut self, layout: Layout) -> *mut u8 {
        if is_small(&layout) {
            self.alloc_small(class(layout.size()))
        } else if layout.align() > PAGE {
            null_mut()
        } else {
            self.alloc_pages(pages(layout.size()))
        }
    }

    unsafe fn dealloc(&mut self, p: *mut u8, layout: Layout) {
        if is_small(&layout) {
            self.free_small(p, class(layout.size()))
        } else {
            self.free_pages(p, pages(layout.size()))
        }
    }

    unsafe fn realloc(&mut self, p: *mut u8, layout: Layout, size: usize) -> *mut u8 {
        let new = Layout::from_size_align_unchecked(size, layout.align());
        match (is_small(&layout), is_small(&new)) {
            (true, true) if class(size) == class(layout.size()) => return p,
            (false, false) => {
                let (old_pages, new_pages) = (pages(layout.size()), pages(size));
                if new_pages <= old_pages {
                    if new_pages < old_pages {
                        self.free_pages(p.add(new_pages * PAGE), old_pages - new_pages);
                    }
                    return p;
                }
                if self.grow_pages(p, old_pages, new_pages) {
                    return p;
                }
            }
            _ => {}
        }
        let q = self.alloc(new);
        if !q.is_null() {
            ptr::copy_nonoverlapping(p, q, layout.size().min(size));
            self.dealloc(p, layout);
        }
        q
    }
}

unsafe impl GlobalAlloc for Allocator {
    #[inline(never)]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        (*self.0.get()).alloc(layout)
    }

    #[inline(never)]
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        (*self.0.get()).dealloc(p, layout)
    }

    #[inline(never)]
    unsafe fn realloc(&self, p: *mut u8, layout: Layout, size: usize) -> *mut u8 {
        (*self.0.get()).realloc(p, layout, size)
    }
}
