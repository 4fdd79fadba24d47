//! The hash maps and sets of the review, the layout and the exports: the Fx hash (rustc's), seeded per process.
//!
//! SipHash dominated the indexing of large plans, and the exports look ids up by the hundred thousand, so the
//! indexes use Fx: a multiply per word. Ids come from files and share links, which may be hostile, and Fx is
//! easy to invert: from a known starting state anyone can compute thousands of ids that land in one bucket and
//! turn every lookup into a long scan. So every hasher starts from a seed that is random per process
//! ([`seed_hashes`]), which a link's author cannot know. Nothing the review or the exports produce may depend on
//! iteration order; tests check outputs under different seeds.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

const MULTIPLIER: u64 = 0x51_7c_c1_b7_27_22_0a_95;

#[derive(Clone, Copy)]
pub struct FxHasher(u64);

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(MULTIPLIER);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(MULTIPLIER);
        }
        // The tail (0 to 7 bytes) and its length in one word.
        let rest = words.remainder();
        let mut last = rest.len() as u64;
        for (i, b) in rest.iter().enumerate() {
            last ^= u64::from(*b) << (8 * i + 8);
        }
        self.0 = (h.rotate_left(5) ^ last).wrapping_mul(MULTIPLIER);
    }

    #[inline]
    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    #[inline]
    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    /// Fx alone leaves the low bits (which pick the bucket) blind to the high bytes of the input, so ids that
    /// differ only in their last characters would collide. One folded multiply (the full 128-bit product, its
    /// halves xored) mixes every bit into the low and the high ones, which the table uses for the bucket and the tag.
    #[inline]
    fn finish(&self) -> u64 {
        let product = u128::from(self.0) * 0x9e37_79b9_7f4a_7c15_u128;
        (product as u64) ^ ((product >> 64) as u64)
    }
}

/// The process's hash seed; 0 until first used or set.
static SEED: AtomicU64 = AtomicU64::new(0);

/// Sets the seed of every [`FastMap`] and [`FastSet`] made from now on. Native processes seed themselves from the
/// operating system's randomness (through std's `RandomState`); in the browser std has none to reach, so the web
/// app calls this at start with bytes from `crypto.getRandomValues`.
pub fn seed_hashes(seed: u64) {
    // Never 0: 0 means "not seeded yet".
    SEED.store(seed | 1, Ordering::Relaxed);
}

fn seed() -> u64 {
    match SEED.load(Ordering::Relaxed) {
        0 => {
            let fresh = std::collections::hash_map::RandomState::new().hash_one(0x5eed_u64) | 1;
            // A seed set meanwhile by another thread wins; either way later maps all use one seed.
            match SEED.compare_exchange(0, fresh, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => fresh,
                Err(set) => set,
            }
        }
        seed => seed,
    }
}

/// Builds [`FxHasher`]s that start from the process's seed, read once per map.
#[derive(Clone, Copy)]
pub struct SeededState {
    seed: u64,
}

impl Default for SeededState {
    fn default() -> Self {
        SeededState { seed: seed() }
    }
}

impl BuildHasher for SeededState {
    type Hasher = FxHasher;
    #[inline]
    fn build_hasher(&self) -> FxHasher {
        FxHasher(self.seed)
    }
}

pub type FastMap<K, V> = HashMap<K, V, SeededState>;
pub type FastSet<T> = HashSet<T, SeededState>;

/// An empty map with room for `n` entries. The review sizes its indexes up front: on a plan of thousands of
/// networks a table grown by doubling is rehashed whole at each step, and those tables do not fit in the cache.
pub fn map_with_capacity<K, V>(n: usize) -> FastMap<K, V> {
    FastMap::with_capacity_and_hasher(n, SeededState::default())
}

/// An empty set with room for `n` entries (see [`map_with_capacity`]).
pub fn set_with_capacity<T>(n: usize) -> FastSet<T> {
    FastSet::with_capacity_and_hasher(n, SeededState::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same id hashes differently under two seeds, so a set of colliding ids made for one seed is not one
    /// for another; within one map, one seed throughout.
    #[test]
    fn the_seed_changes_every_hash() {
        let hash = |seed: u64, id: &str| SeededState { seed }.hash_one(id);
        for id in [
            "az-vnet",
            "aws-vpc-0001",
            "",
            "a-much-longer-identifier-of-forty-bytes",
        ] {
            assert_ne!(hash(3, id), hash(5, id), "{id}");
            assert_eq!(hash(3, id), hash(3, id));
        }
        let map: FastMap<&str, u32> = [("a", 1), ("b", 2)].into_iter().collect();
        assert_eq!(map["a"] + map["b"], 3);
    }

    /// Ids that differ only in their last characters spread over the buckets: the finaliser's job.
    #[test]
    fn ids_differing_at_the_end_spread() {
        let state = SeededState { seed: 7 };
        let buckets: FastSet<u64> = (0..4096)
            .map(|i| state.hash_one(format!("az-nsg-rule-{i:04}")) & 4095)
            .collect();
        assert!(buckets.len() > 2400, "{} of 4096 buckets", buckets.len());
    }
}
