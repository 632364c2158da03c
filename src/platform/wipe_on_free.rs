//! A global allocator that wipes every block before it is freed, for both faces' binaries.
//!
//! sso-setup keeps its own secrets in zeroizing types, but the libraries it hands them to
//! make copies it cannot reach: hyper encodes the `Authorization` header into a write
//! buffer and reads responses into buffers of its own, and frees them unwiped. A core dump
//! taken after a sign-in test found the access token in such a header buffer
//! (tests/memory_after_use.rs). Wiping in the allocator reaches every Rust allocation, ours
//! and the libraries', at the cost of one `memset` per free.
//!
//! `realloc` is alloc + copy + free here (rather than the system's in-place growth, which
//! may move the block and free the old one without a wipe). The wipe is kept from being
//! optimised away (a store right before `free` is dead to the compiler) by passing the
//! pointer through `black_box`. Memory of other allocators (WebKit's, in the desktop app)
//! is not covered; no secret is kept in the web view after use.

use std::alloc::{GlobalAlloc, Layout, System};

/// Install with `#[global_allocator] static ALLOCATOR: WipeOnFree = WipeOnFree;`.
pub struct WipeOnFree;

unsafe impl GlobalAlloc for WipeOnFree {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `GlobalAlloc::alloc`, passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: `pointer` is a live block of `layout.size()` bytes from this allocator
        // (the caller's contract), so writing that many bytes stays inside it.
        unsafe {
            std::ptr::write_bytes(pointer, 0, layout.size());
            std::hint::black_box(pointer);
            System.dealloc(pointer, layout);
        }
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `new_size` and `layout.align()` form a valid layout (the caller's contract
        // for `realloc`); the copy stays within both blocks; the old block is freed (wiped)
        // only after its bytes were copied.
        unsafe {
            let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
            let new_pointer = System.alloc(new_layout);
            if !new_pointer.is_null() {
                std::ptr::copy_nonoverlapping(pointer, new_pointer, layout.size().min(new_size));
                self.dealloc(pointer, layout);
            }
            new_pointer
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_allocate_grow_and_free_intact() {
        let allocator = WipeOnFree;
        let layout = Layout::from_size_align(16, 8).unwrap();
        unsafe {
            let block = allocator.alloc(layout);
            assert!(!block.is_null());
            for index in 0..16 {
                *block.add(index) = index as u8;
            }
            let grown = allocator.realloc(block, layout, 64);
            assert!(!grown.is_null());
            assert_eq!(std::slice::from_raw_parts(grown, 16), (0..16).collect::<Vec<u8>>().as_slice());
            allocator.dealloc(grown, Layout::from_size_align(64, 8).unwrap());
            let zeroed = allocator.alloc_zeroed(layout);
            assert_eq!(std::slice::from_raw_parts(zeroed, 16), [0u8; 16]);
            allocator.dealloc(zeroed, layout);
        }
    }
}
