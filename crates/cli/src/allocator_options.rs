//! mimalloc's settings for a batch tool.
//!
//! By default mimalloc hands freed memory it has not reused back to the system after a delay (`purge_delay`: 1 s
//! in mimalloc v3, which libmimalloc-sys builds), and faults it in again, zeroed, when it is needed next. A review of 10,000 networks frees and reallocates tens of megabytes as it goes,
//! so it paid for that over and over: 13,000 page faults per review, a seventh of its time (docs/benchmarks.md,
//! session 7). The command line exits when its one job is done, so holding freed memory until then costs nothing;
//! the peak is the same. (The browser never gives wasm memory back either.)

/// `mi_option_purge_delay` in mimalloc v3's `mimalloc.h` (the `mi_option_e` enum, after `..._eager_commit_delay`,
/// 14, and before `mi_option_use_numa_nodes`, 16, which libmimalloc-sys names).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
// Fails to build if libmimalloc-sys's numbering moves (it names the option after this one).
const _: () = assert!(PURGE_DELAY + 1 == libmimalloc_sys::mi_option_use_numa_nodes);

/// Tells mimalloc never to hand freed memory back before the process exits.
pub fn keep_freed_memory() {
    // SAFETY: mimalloc's options may be set at any time, from any thread; -1 is the documented "no purging".
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) };
    debug_assert_eq!(
        // SAFETY: as above; reading an option has no preconditions.
        unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) },
        -1
    );
}
