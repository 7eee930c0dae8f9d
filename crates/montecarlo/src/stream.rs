//! Random streams: one generator per path, derived from (seed, path index) alone, so that a path's
//! draws do not depend on which thread runs it or on how many paths run before it; and within a
//! path one stream per uncertain input, derived from the path's stream and the input's key, so
//! that an input's draws do not depend on which other inputs exist (a policy set that adds a
//! write-off redraws nothing else: common random numbers across policy sets).

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator every path uses: xoshiro256++ (rand_xoshiro 0.8).
pub type PathRng = Xoshiro256PlusPlus;

/// Name of the generator and derivation, recorded in every output.
pub const RNG_DESCRIPTION: &str = "xoshiro256++ (rand_xoshiro 0.8); path k seeded with seed_from_u64(splitmix64(splitmix64(seed) ^ k)); within path k, each uncertain input (and each correlation group) drawn from its own generator seeded with seed_from_u64(splitmix64(b ^ fnv1a64(key))), b the first output of path k's generator";

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

/// The stable identity of a stream within a path: the 64-bit FNV-1a hash of an input's key (e.g.
/// `demand.growth`, `provisions[2].unit_cost`), the same on every platform and release.
///
/// ```
/// use dsg_montecarlo::stream::stream_id;
/// assert_eq!(stream_id(""), 0xcbf2_9ce4_8422_2325);
/// assert_ne!(stream_id("demand.growth"), stream_id("cost.inflation"));
/// ```
pub fn stream_id(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The generator of one input within a path: `path` is the first output of the path's
/// generator, `id` the input's [`stream_id`].
///
/// ```
/// use rand::RngExt;
/// use dsg_montecarlo::stream::{input_rng, stream_id};
/// let mut a = input_rng(42, stream_id("demand.growth"));
/// let mut b = input_rng(42, stream_id("cost.inflation"));
/// assert_ne!(a.random::<u64>(), b.random::<u64>());
/// ```
#[inline]
pub fn input_rng(path: u64, id: u64) -> PathRng {
    Xoshiro256PlusPlus::seed_from_u64(splitmix64(path ^ id))
}
