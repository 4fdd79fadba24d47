//! The command line's allocator, set up as the command line sets it up (crates/cli/src/main.rs, allocator_options.rs), for the
//! benches and the `review_cpu` example: their figures are what `vpn-designer` users get. Included with
//! `#[path]`, since benches and examples are separate crates (in a folder of its own, so Cargo does not take it
//! for a bench).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../../../cli/src/allocator_options.rs"]
mod options;

pub use options::keep_freed_memory;
