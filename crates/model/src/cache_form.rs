//! The form of the model that caches store: every field written, in order, without names.
//!
//! A few fields are left out of JSON output when empty (`skip_serializing_if`). A cache that
//! stores structs positionally (no field names: a third of the bytes and most of the decoding
//! time of the parse cache) cannot tell which field was left out, so while [`keep_every_field`]
//! runs on a thread, those fields are written even when empty. JSON output is unchanged.

use std::cell::Cell;

thread_local! {
    static EVERY_FIELD: Cell<bool> = const { Cell::new(false) };
}

/// Run `f` (a serialisation into a positional cache) with every field written.
pub fn keep_every_field<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            EVERY_FIELD.with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(EVERY_FIELD.with(|c| c.replace(true)));
    f()
}

fn every_field() -> bool {
    EVERY_FIELD.with(Cell::get)
}

/// `skip_serializing_if` for an optional field: left out when empty, except in a cache.
pub fn skip_none<T>(value: &Option<T>) -> bool {
    value.is_none() && !every_field()
}

/// `skip_serializing_if` for a list: left out when empty, except in a cache.
pub fn skip_empty<T>(value: &[T]) -> bool {
    value.is_empty() && !every_field()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_fields_are_skipped_outside_a_cache_only() {
        assert!(skip_none::<u32>(&None));
        assert!(skip_empty::<u8>(&[]));
        keep_every_field(|| {
            assert!(!skip_none::<u32>(&None));
            assert!(!skip_empty::<u8>(&[]));
        });
        assert!(skip_none::<u32>(&None), "the flag is restored afterwards");
        assert!(!skip_none(&Some(1)));
    }
}
