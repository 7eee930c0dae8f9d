//! Random streams: one generator per path, derived from (seed, path index) alone, so that a path's
//! draws do not depend on which thread runs it or on how many paths run before it.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator every path uses: xoshiro256++ (rand_xoshiro 0.8).
pub type PathRng = Xoshiro256PlusPlus;

/// Name of the generator and derivation, recorded in every output.
pub const RNG_DESCRIPTION: &str = "xoshiro256++ (rand_xoshiro 0.8); path k seeded with seed_from_u64(splitmix64(splitmix64(seed) ^ k))";

/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 20_260_401;

/// SplitMix64's output function: a bijective mix of 64 bits.
///
/// ```
/// assert_ne!(dsg_montecarlo::stream::splitmix64(1), dsg_montecarlo::stream::splitmix64(2));
/// ```
#[inline]
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The generator of path `k` for `seed`.
///
/// ```
/// use rand::RngExt;
/// let mut a = dsg_montecarlo::stream::path_rng(7, 3);
/// let mut b = dsg_montecarlo::stream::path_rng(7, 3);
/// assert_eq!(a.random::<u64>(), b.random::<u64>());
/// ```
#[inline]
pub fn path_rng(seed: u64, k: u64) -> PathRng {
    Xoshiro256PlusPlus::seed_from_u64(splitmix64(splitmix64(seed) ^ k))
}
