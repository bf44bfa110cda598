//! The process's allocator settings.

/// `mi_option_purge_delay` in mimalloc v3's `mimalloc.h` (libmimalloc-sys has no constant
/// for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
/// mimalloc's default for it, in milliseconds.
const MI_DEFAULT_PURGE_DELAY: std::ffi::c_long = 1000;

/// mimalloc keeps freed pages for a second before it gives them back to the system; under
/// load that kept the server ~13 MiB larger (64 → 51 MiB peak on the order list) at the
/// same speed (BENCHMARKS.md). Giving them back at once is what a small machine wants.
/// An operator's own `MIMALLOC_PURGE_DELAY` wins. mimalloc reads the option each time it
/// purges, so setting it once the process runs is in time.
pub fn return_freed_memory_at_once() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: plain option getters/setters of the linked mimalloc; any thread, any time.
    unsafe {
        // Only where the option at that number has purge_delay's default: a mimalloc
        // whose options were renumbered is left as it is.
        if libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) == MI_DEFAULT_PURGE_DELAY {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_15_is_the_purge_delay_with_its_documented_default() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: an option getter of the linked mimalloc.
        let value = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(value, MI_DEFAULT_PURGE_DELAY);
    }
}
