//! The `crisislint` command: parse arguments, run, exit with the status `cli::run` returns.

fn main() {
    std::process::exit(crisislint::cli::run(std::env::args_os()));
}

/// On Linux the allocator is jemalloc, as in ruff. With glibc's, a thread that frees memory
/// another thread allocated takes that thread's heap lock, and sleeps when it is held: the
/// reports of a group are finished, written and freed on whichever thread is free, holding text
/// parsed on one thread and findings made on another. The 2,000-file benchmark on 2 threads made
/// 2,300 context switches (10 on one thread), and that pass took as long on two threads as on
/// one (68 ms). jemalloc's thread caches hand such frees back in batches: on 2 threads 11% less
/// time, 3.5% on one (`README.md`, Performance).
#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOCATOR: Allocator = Allocator;

/// jemalloc, but a small block (see [`SMALL`]) is grown or shrunk by allocating, copying and
/// freeing. jemalloc's `realloc` does the same for such a block, at a cost: on a one-file run
/// about 700 instructions a call for a block of up to 1 KiB and 2,600 above, against 170 and
/// 1,600 for the three steps. Compiling the rules' patterns grows vectors tens of thousands of
/// times: the 100-file benchmark made 29,000 such calls (6.5% of its instructions before).
#[cfg(target_os = "linux")]
struct Allocator;

/// jemalloc's largest small size class: a block up to this size lies in a slab of blocks of
/// one size, so it cannot grow in place into a larger class. A larger block is left to
/// jemalloc's `realloc`, which can extend it in place.
#[cfg(target_os = "linux")]
const SMALL: usize = 14 << 10;

#[cfg(target_os = "linux")]
// SAFETY: each call is passed on to jemalloc's, as its contract requires, or (`realloc` of a
// small block) made of an `alloc` and a `dealloc` that keep the contract of `realloc`.
unsafe impl std::alloc::GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: the caller keeps `alloc`'s contract.
        unsafe { tikv_jemallocator::Jemalloc.alloc(layout) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: the caller keeps `alloc_zeroed`'s contract.
        unsafe { tikv_jemallocator::Jemalloc.alloc_zeroed(layout) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        // SAFETY: the caller keeps `dealloc`'s contract.
        unsafe { tikv_jemallocator::Jemalloc.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        if new_size > SMALL {
            // SAFETY: the caller keeps `realloc`'s contract.
            return unsafe { tikv_jemallocator::Jemalloc.realloc(ptr, layout, new_size) };
        }
        // SAFETY: `realloc`'s contract makes `new_size`, rounded up to `layout.align()`, fit in
        // an `isize`, and nonzero. `ptr` holds `layout.size()` bytes, the new block `new_size`,
        // and they are distinct blocks; on failure `ptr` stays allocated, as `realloc` requires.
        unsafe {
            let new_layout = std::alloc::Layout::from_size_align_unchecked(new_size, layout.align());
            let new = tikv_jemallocator::Jemalloc.alloc(new_layout);
            if !new.is_null() {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                tikv_jemallocator::Jemalloc.dealloc(ptr, layout);
            }
            new
        }
    }
}

/// jemalloc's options, read at its start. Each brings the peak memory back near glibc's (the
/// 2,000-file benchmark on 2 threads, the largest of 5 to 7 runs: 33.3 MiB with jemalloc's
/// defaults, 28.4 MiB with all four):
/// - `narenas:1`: one arena for all threads, rather than four per core, each with its own
///   partly used pages of every size; the thread caches keep the lock seldom taken;
/// - `tcache_max:1024`: thread caches hold blocks of up to 1 KiB, not 32 KiB;
/// - `cache_oblivious:false`: no random offset within a page for blocks of 16 KiB and more,
///   which costs a page each;
/// - `oversize_threshold:1048576`: blocks from 1 MiB, not 8, go back to the system as soon as
///   they are freed (the 50 MB file: 178.6 -> 175.4 MiB, glibc's figure).
#[cfg(target_os = "linux")]
#[export_name = "_rjem_malloc_conf"]
pub static MALLOC_CONF: Option<&std::ffi::c_char> =
    // SAFETY: the first character of a C string literal, which lives as long as the program;
    // jemalloc reads the string up to its NUL.
    Some(unsafe { &*c"narenas:1,tcache_max:1024,cache_oblivious:false,oversize_threshold:1048576".as_ptr() });

#[cfg(all(test, target_os = "linux"))]
mod tests {
    /// A block grown or shrunk past [`super::SMALL`] and smaller sizes keeps its bytes.
    #[test]
    fn blocks_keep_their_bytes_when_resized() {
        let mut bytes: Vec<u8> = Vec::with_capacity(1);
        for i in 0..40_000u32 {
            bytes.push(i as u8);
            assert_eq!(bytes[i as usize], i as u8);
        }
        assert!(bytes.iter().enumerate().all(|(i, &b)| b == i as u8));
        for size in [20_000, 9_000, 700] {
            bytes.truncate(size);
            bytes.shrink_to_fit();
            assert_eq!(bytes.capacity(), size);
            assert!(bytes.iter().enumerate().all(|(i, &b)| b == i as u8));
        }
        bytes.truncate(3);
        bytes.shrink_to_fit();
        assert_eq!(bytes, [0, 1, 2]);
    }

    /// A block with an alignment above the default keeps it when it moves.
    #[test]
    fn blocks_keep_their_alignment_when_resized() {
        #[derive(Clone, Copy, PartialEq, Debug)]
        #[repr(align(64))]
        struct Aligned(u32);
        let mut blocks = Vec::with_capacity(1);
        for i in 0..100 {
            blocks.push(Aligned(i));
            assert_eq!(blocks.as_ptr() as usize % 64, 0);
        }
        assert!(blocks.iter().zip(0..).all(|(b, i)| *b == Aligned(i)));
    }
}
