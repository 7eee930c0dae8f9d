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

/// The seed of stream `stream` of `seed`, for simulations that run several independent sets of
/// paths from one seed (a history forecast per series and origin): `seed + stream * 0x9E37...`,
/// SplitMix64's own step, so stream 0 is `seed` itself (the engine's paths) and stream s the
/// seed whose [`splitmix64`] is SplitMix64's s-th output after `seed`'s. Path k of stream s
/// draws from `path_rng(stream_seed(seed, s), k)`.
///
/// ```
/// use dsg_montecarlo::stream::{path_rng, stream_seed};
/// use rand::RngExt;
/// assert_eq!(stream_seed(7, 0), 7);
/// assert_ne!(stream_seed(7, 1), stream_seed(7, 2));
/// let (mut engine, mut stream0) = (path_rng(7, 3), path_rng(stream_seed(7, 0), 3));
/// assert_eq!(engine.random::<u64>(), stream0.random::<u64>());
/// ```
#[inline]
pub fn stream_seed(seed: u64, stream: u64) -> u64 {
    seed.wrapping_add(stream.wrapping_mul(0x9E37_79B9_7F4A_7C15))
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
