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
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

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
