use super::*;
use crate::aggregate::*;

fn block_of(values: &[f64]) -> Block {
    Block {
        metrics: 1,
        paths: values.len(),
        values: values.to_vec(),
    }
}

#[test]
fn histogram_quantiles_are_within_a_bin_of_exact() {
    let values: Vec<f64> = (0..1024)
        .map(|i| ((i * 7919) % 1024) as f64 * 3.0)
        .collect();
    let block = block_of(&values);
    let ranges = Ranges::from_blocks(std::iter::once(&block), 1);
    let mut h = Histograms::new(1);
    h.see_pilot(&ranges);
    h.add(&block, &ranges);
    let mut sorted = values.clone();
    sorted.sort_by(f64::total_cmp);
    for q in QUANTILES {
        let exact = sorted_quantile(&sorted, q);
        let approx = h.quantile(&ranges, 0, 1024, q);
        assert!(
            (exact - approx).abs() <= ranges.width[0] + 1e-9,
            "q {q}: {exact} vs {approx}"
        );
    }
}

#[test]
fn the_bin_trick_agrees_with_floor_division() {
    let block = block_of(&[-3.0, 1.0e6]);
    let r = Ranges::from_blocks(std::iter::once(&block), 1);
    for i in 0..(BINS * 10) {
        // Points inside bins, away from their edges.
        let u = i as f64 / 10.0 + 0.05;
        let x = r.lo[0] + u * r.width[0];
        assert_eq!(r.bin(0, x), Some(u.floor() as usize), "{x}");
    }
    assert_eq!(r.bin(0, r.lo[0] - r.width[0]), None);
    assert_eq!(r.bin(0, f64::NAN), None);
    assert_eq!(r.bin(0, f64::INFINITY), None);
    assert_eq!(r.bin(0, f64::NEG_INFINITY), None);
    assert_eq!(r.bin(0, 1e300), None);
    assert_eq!(r.bin(0, -1e300), None);
}

#[test]
fn values_outside_the_range_keep_exact_extremes() {
    let block = block_of(&[0.0, 1.0, 2.0, 3.0, 0.5, 2.5]);
    let ranges = Ranges::from_blocks(std::iter::once(&block), 1);
    let mut h = Histograms::new(1);
    h.see_pilot(&ranges);
    h.add(&block_of(&[-50.0, 1.5, 80.0, f64::NAN, 2.0]), &ranges);
    assert_eq!(h.min[0], -50.0);
    assert_eq!(h.max[0], 80.0);
    assert_eq!(h.counts(0).iter().sum::<u32>(), 5);
    // Values beyond the range are counted in the end bins.
    assert!(h.quantile(&ranges, 0, 5, 1.0) <= 80.0);
    assert!(h.quantile(&ranges, 0, 5, 0.0) >= -50.0);
}

#[test]
fn constant_metrics_give_their_value_exactly() {
    let block = block_of(&[42.5; 10]);
    let ranges = Ranges::from_blocks(std::iter::once(&block), 1);
    let mut h = Histograms::new(1);
    h.add(&block, &ranges);
    assert_eq!(h.quantile(&ranges, 0, 10, 0.05), 42.5);
    assert_eq!(h.quantile(&ranges, 0, 10, 0.95), 42.5);
}

#[test]
fn a_rare_departure_from_a_constant_is_still_counted() {
    let block = block_of(&[0.0; 100]);
    let ranges = Ranges::from_blocks(std::iter::once(&block), 1);
    let mut h = Histograms::new(1);
    h.see_pilot(&ranges);
    h.add(&block, &ranges);
    let mut later = vec![0.0; 100];
    later[3] = 1e6;
    h.add(&block_of(&later), &ranges);
    assert_eq!(h.max[0], 1e6);
    assert_eq!(h.quantile(&ranges, 0, 200, 0.5), 0.0);
}

#[test]
fn a_few_values_are_point_masses_with_exact_quantiles() {
    // An instalment received in 30% of paths, and a value never seen in the pilot.
    let pilot: Vec<f64> = (0..100)
        .map(|i| if i % 10 < 3 { 5e6 } else { 0.0 })
        .collect();
    let block = block_of(&pilot);
    let ranges = Ranges::from_blocks(std::iter::once(&block), 1);
    assert_eq!(ranges.atoms[0].values(), &[0.0, 5e6]);
    let mut h = Histograms::new(1);
    h.see_pilot(&ranges);
    h.add(&block, &ranges);
    let mut later = pilot.clone();
    later[0] = 2.5e6;
    h.add(&block_of(&later), &ranges);
    let mut all = [pilot, later].concat();
    all.sort_by(f64::total_cmp);
    for q in [0.05, 0.5, 0.69, 0.72, 0.95] {
        assert_eq!(
            h.quantile(&ranges, 0, 200, q),
            sorted_quantile(&all, q),
            "q {q}"
        );
    }
}

#[test]
fn binning_with_moments_gives_the_moments_of_the_values() {
    let values: Vec<f64> = (0..103).map(|i| (i as f64 * 0.37).sin() * 10.0).collect();
    let block = block_of(&values);
    let ranges = Ranges::from_blocks(std::iter::once(&block), 1);
    let mut fused = Moments::new(1);
    let mut h = Histograms::new(1);
    h.add_block(&block, &ranges, Some((&mut fused, &[1.0])));
    let mut alone = Moments::new(1);
    alone.add(&block, &[1.0]);
    let (mut a, mut b) = (vec![0.0; 2], vec![0.0; 2]);
    fused.finish(&mut a);
    alone.finish(&mut b);
    assert_eq!(a, b);
    let mut sums = vec![0.0; 2];
    add_moments(&block, &[1.0], &mut sums);
    assert_eq!(a, sums);
}

#[test]
fn mean_and_se_match_the_textbook_formula() {
    let xs = [1.0, 2.0, 3.0, 4.0, 10.0];
    let block = block_of(&xs);
    let mut sums = vec![0.0; 2];
    add_moments(&block, &[3.0], &mut sums);
    let (mean, se) = mean_and_se(3.0, sums[0], sums[1], 5);
    let m = 4.0;
    let var = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / 4.0;
    assert!((mean - m).abs() < 1e-12);
    assert!((se - (var / 5.0).sqrt()).abs() < 1e-12);
}

#[test]
fn share_below_is_within_a_bin_of_the_exact_share() {
    let values: Vec<f64> = (0..1024)
        .map(|i| ((i * 7919) % 1024) as f64 * 3.0)
        .collect();
    let block = block_of(&values);
    let ranges = Ranges::from_blocks(std::iter::once(&block), 1);
    let mut h = Histograms::new(1);
    h.see_pilot(&ranges);
    h.add(&block, &ranges);
    for x in [-10.0, 0.0, 100.5, 1500.0, 3069.0, 5000.0] {
        let exact = values.iter().filter(|&&v| v < x).count() as f64 / 1024.0;
        let approx = h.share_below(&ranges, 0, 1024, x);
        // One bin holds at most a couple of the 1,024 values here.
        assert!(
            (exact - approx).abs() <= 2.5 / 1024.0,
            "x {x}: {exact} vs {approx}"
        );
    }
}

#[test]
fn share_below_a_point_mass_counts_ties_half() {
    let pilot: Vec<f64> = (0..100)
        .map(|i| if i % 10 < 3 { 5e6 } else { 0.0 })
        .collect();
    let block = block_of(&pilot);
    let ranges = Ranges::from_blocks(std::iter::once(&block), 1);
    let mut h = Histograms::new(1);
    h.see_pilot(&ranges);
    h.add(&block, &ranges);
    assert_eq!(h.share_below(&ranges, 0, 100, 0.0), 0.35);
    assert_eq!(h.share_below(&ranges, 0, 100, 1e6), 0.7);
    assert_eq!(h.share_below(&ranges, 0, 100, 5e6), 0.85);
    assert_eq!(h.share_below(&ranges, 0, 100, 6e6), 1.0);
}

#[test]
fn selected_ranges_bin_a_subset_on_the_same_bins() {
    let a: Vec<f64> = (0..64).map(|i| i as f64).collect();
    let b: Vec<f64> = (0..64).map(|i| -(i as f64)).collect();
    let block = Block {
        metrics: 2,
        paths: 64,
        values: [a, b].concat(),
    };
    let ranges = Ranges::from_blocks(std::iter::once(&block), 2);
    let picked = ranges.select(&[1, 1, 0]);
    assert_eq!(picked.lo, vec![ranges.lo[1], ranges.lo[1], ranges.lo[0]]);
    assert_eq!(picked.width[2], ranges.width[0]);
}

#[test]
fn selected_quantiles_equal_sorted_ones_bit_for_bit() {
    use rand::SeedableRng;
    use rand_distr::Distribution;
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(5);
    let qs: Vec<f64> = QUANTILES
        .iter()
        .copied()
        .chain((1..=99).map(|p| f64::from(p) / 100.0))
        .collect::<Vec<_>>();
    for n in [2usize, 3, 7, 100, 1000, 20_480] {
        for ties in [false, true] {
            let values: Vec<f64> = (0..n)
                .map(|_| {
                    let z: f64 = rand_distr::StandardNormal.sample(&mut rng);
                    if ties { (z * 3.0).round() } else { z }
                })
                .collect();
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            for set in [&QUANTILES[..], &qs[7..]] {
                let mut v = values.clone();
                let got = selected_quantiles(&mut v, set);
                let want: Vec<f64> = set.iter().map(|&q| sorted_quantile(&sorted, q)).collect();
                assert_eq!(
                    got.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                    want.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                    "n {n} ties {ties}"
                );
            }
            assert_eq!(share_below(&values, sorted[n / 2]), {
                let b = sorted.partition_point(|&v| v < sorted[n / 2]);
                let e = sorted.partition_point(|&v| v <= sorted[n / 2]) - b;
                (b as f64 + 0.5 * e as f64) / n as f64
            });
        }
    }
}

#[test]
fn counts_past_the_16_bit_limit_are_settled_not_wrapped() {
    // A pilot of many distinct values (binned, not point masses), then 200 blocks of 1,000
    // values all in one bin: 200,000 counts, three settlings of the 16-bit counts.
    let pilot: Vec<f64> = (0..100).map(f64::from).collect();
    let ranges = Ranges::from_blocks(std::iter::once(&block_of(&pilot)), 1);
    let mut h = Histograms::new(1);
    let same = block_of(&[50.0; 1000]);
    let mut moments = Moments::new(1);
    for k in 0..200 {
        if k % 2 == 0 {
            h.add(&same, &ranges);
        } else {
            // The fast route, with the deviations.
            h.add_block(&same, &ranges, Some((&mut moments, &[0.0])));
        }
    }
    h.add(&block_of(&[10.0, 90.0]), &ranges);
    let counts = h.counts(0);
    assert_eq!(counts.iter().sum::<u32>(), 200_002);
    assert_eq!(counts.iter().max(), Some(&200_000));
    let median = h.quantile(&ranges, 0, 200_002, 0.5);
    assert!((median - 50.0).abs() <= ranges.width[0], "{median}");
    // Merging a settled set with an unsettled one adds both.
    let mut fresh = Histograms::new(1);
    fresh.add(&block_of(&[10.0, 90.0]), &ranges);
    fresh.merge(&h);
    assert_eq!(fresh.counts(0).iter().sum::<u32>(), 200_004);
    assert_eq!(fresh.counts(0).iter().max(), Some(&200_000));
}

#[test]
fn merging_unsettled_counts_settles_only_when_they_could_overflow() {
    let pilot: Vec<f64> = (0..100).map(f64::from).collect();
    let ranges = Ranges::from_blocks(std::iter::once(&block_of(&pilot)), 1);
    let with = |blocks: usize| {
        let mut h = Histograms::new(1);
        for _ in 0..blocks {
            h.add(&block_of(&[50.0; 1000]), &ranges);
        }
        h
    };
    // 30,000 + 30,000 in one bin: added as 16-bit counts.
    let mut small = with(30);
    small.merge(&with(30));
    assert!(small.counts.is_empty());
    assert_eq!(small.counts(0).iter().max(), Some(&60_000));
    // 40,000 + 40,000 could overflow 16 bits: settled first.
    let mut large = with(40);
    large.merge(&with(40));
    assert!(!large.counts.is_empty());
    assert_eq!(large.counts(0).iter().max(), Some(&80_000));
    assert_eq!(large.counts(0).iter().sum::<u32>(), 80_000);
}

mod fast_route {
    use super::*;
    use proptest::prelude::*;

    /// The documented summation order, written plainly: value `i` goes to sums `i % 4`.
    fn plain_sums(values: &[f64], c: f64) -> [f64; 8] {
        let mut acc = [0.0; 8];
        for (i, &x) in values.iter().enumerate() {
            let d = x - c;
            acc[i % 4] += d;
            acc[4 + i % 4] += d * d;
        }
        acc
    }

    fn value() -> impl Strategy<Value = f64> {
        prop_oneof![
            20 => -10.0..110.0f64,
            1 => -1e6..1e6f64,
            1 => Just(f64::NAN),
            1 => Just(f64::INFINITY),
            1 => prop::sample::select(vec![0.0, -0.0, 100.0]),
        ]
    }

    proptest! {
        /// Blocks of any length, in range or not: the vectorised counting gives the counts of
        /// binning value by value, and the sums of the plain order, bit for bit.
        #[test]
        fn agrees_with_value_by_value(
            values in prop::collection::vec(value(), 0..700),
            c in -5.0..5.0f64,
        ) {
            let pilot: Vec<f64> = (0..=100).map(f64::from).collect();
            let ranges = Ranges::from_blocks(std::iter::once(&block_of(&pilot)), 1);
            let block = block_of(&values);
            let mut fast = Histograms::new(1);
            let mut moments = Moments::new(1);
            fast.add_block(&block, &ranges, Some((&mut moments, &[c])));
            let mut plain = Histograms::new(1);
            for &x in &values {
                plain.count_one(&ranges, 0, x);
            }
            prop_assert_eq!(fast.counts(0), plain.counts(0));
            prop_assert_eq!(fast.min[0].to_bits(), plain.min[0].to_bits());
            prop_assert_eq!(fast.max[0].to_bits(), plain.max[0].to_bits());
            let want = plain_sums(&values, c);
            prop_assert_eq!(moments.acc[0].map(f64::to_bits), want.map(f64::to_bits));
            let mut alone = Moments::new(1);
            alone.add(&block, &[c]);
            prop_assert_eq!(alone.acc[0].map(f64::to_bits), want.map(f64::to_bits));
            let mut without = Histograms::new(1);
            without.add(&block, &ranges);
            prop_assert_eq!(without.counts(0), plain.counts(0));
        }
    }
}

#[test]
fn bins_narrower_than_the_spacing_of_floats_do_not_wrap() {
    // A metric constant but for rounding (the county's mainstream share): six values a float
    // apart, so each bin is far narrower than the gap between two floats. Values at and just
    // beyond the ends of the range are counted as counting them one by one does (in the end
    // bins); an earlier version counted a value at the top in the first bin.
    let mut pilot = vec![0.5];
    for _ in 0..5 {
        let last = pilot[pilot.len() - 1];
        pilot.push(f64::next_up(last));
    }
    let ranges = Ranges::from_blocks(std::iter::once(&block_of(&pilot)), 1);
    assert!(ranges.atoms[0].values().is_empty());
    let (mut low, mut high) = (pilot[0], pilot[5]);
    let mut edges = Vec::new();
    for _ in 0..4 {
        edges.extend([low, high]);
        (low, high) = (f64::next_down(low), f64::next_up(high));
    }
    for x in edges {
        let block = block_of(&[x; 8]);
        let mut fast = Histograms::new(1);
        let mut moments = Moments::new(1);
        fast.add_block(&block, &ranges, Some((&mut moments, &[0.5])));
        let mut plain = Histograms::new(1);
        for _ in 0..8 {
            plain.count_one(&ranges, 0, x);
        }
        let used = |h: &Histograms| {
            let counts = h.counts(0);
            (0..BINS).filter(|&b| counts[b] > 0).collect::<Vec<_>>()
        };
        assert_eq!(used(&fast), used(&plain), "bins used for {x:e}");
        assert_eq!(fast.counts(0), plain.counts(0), "{x:e}");
        let median = fast.quantile(&ranges, 0, 8, 0.5);
        assert_eq!(median, x, "{x:e}");
    }
}

#[test]
fn a_block_longer_than_the_16_bit_counts_hold_is_counted_whole() {
    // 100,003 values in one call (the engine's blocks are 256 paths; a library caller's need
    // not be): counted in parts, the sums in the plain order.
    let pilot: Vec<f64> = (0..100).map(f64::from).collect();
    let ranges = Ranges::from_blocks(std::iter::once(&block_of(&pilot)), 1);
    let values: Vec<f64> = (0..100_003)
        .map(|i| if i % 3 == 0 { 50.0 } else { 60.25 })
        .collect();
    let mut h = Histograms::new(1);
    let mut moments = Moments::new(1);
    h.add_block(&block_of(&values), &ranges, Some((&mut moments, &[55.0])));
    let counts = h.counts(0);
    assert_eq!(counts.iter().sum::<u32>(), 100_003);
    assert_eq!(counts.iter().max(), Some(&66_668));
    let mut alone = Moments::new(1);
    alone.add(&block_of(&values), &[55.0]);
    assert_eq!(
        moments.acc[0].map(f64::to_bits),
        alone.acc[0].map(f64::to_bits)
    );
}

/// Metrics of different lengths, as a split's are.
struct Ragged(Vec<Vec<f64>>);

impl Rows for Ragged {
    fn metrics(&self) -> usize {
        self.0.len()
    }

    fn metric(&self, m: usize) -> &[f64] {
        &self.0[m]
    }
}

#[test]
fn metrics_of_different_lengths_are_counted_whole() {
    // The first metric short, the second past the 16-bit counts, in one call and then in many
    // small ones: every value counted, none wrapped.
    let pilot: Vec<f64> = (0..100).map(f64::from).collect();
    let ranges = Ranges::from_blocks(std::iter::once(&block_of(&pilot)), 1).select(&[0, 0, 0]);
    let long = vec![42.0; 70_001];
    let ragged = Ragged(vec![vec![1.0; 3], long.clone(), Vec::new()]);
    let mut h = Histograms::new(3);
    h.add(&ragged, &ranges);
    assert_eq!(h.counts(0).iter().sum::<u32>(), 3);
    assert_eq!(h.counts(1).iter().max(), Some(&70_001));
    assert_eq!(h.counts(2).iter().sum::<u32>(), 0);
    let mut many = Histograms::new(3);
    for part in long.chunks(250) {
        many.add(&Ragged(vec![vec![1.0], part.to_vec(), Vec::new()]), &ranges);
    }
    assert_eq!(many.counts(1).iter().max(), Some(&70_001));
    assert_eq!(many.counts(0).iter().sum::<u32>(), 281);
}
