//! The facade: every crate's error goes through `?` into `dsg::Error` (each one made to happen,
//! and the variant it lands in checked), and the prelude is enough for the whole embedding walk.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dsg::prelude::*;

fn county() -> Scenario {
    Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/cambridgeshire.toml").as_ref())
        .unwrap()
}

/// Compiles only when `?` can turn an `E` into a `dsg::Error`.
fn converts<E>()
where
    Error: From<E>,
{
}

#[test]
fn every_crate_error_converts() {
    converts::<dsg::core::ScenarioError>();
    converts::<dsg::core::PolicyError>();
    converts::<dsg::core::policy::PolicyDateError>();
    converts::<dsg::core::correlation::NotPositiveSemiDefinite>();
    converts::<dsg::montecarlo::McError>();
    converts::<dsg::montecarlo::draw::DrawError>();
    converts::<dsg::analysis::AnalysisError>();
    converts::<dsg::data::DataError>();
    converts::<dsg::plot::PlotError>();
    converts::<dsg::report::ReportError>();
    converts::<std::io::Error>();
}

#[test]
fn each_error_lands_in_its_variant_through_question_mark() {
    fn scenario() -> Result<(), Error> {
        Scenario::from_toml_str("[scenario", "broken.toml")?;
        Ok(())
    }
    fn policy() -> Result<(), Error> {
        dsg::core::PolicySet::named("england-1997")?;
        Ok(())
    }
    fn policy_date() -> Result<(), Error> {
        "2026-13".parse::<dsg::core::PolicyDate>()?;
        Ok(())
    }
    fn correlation() -> Result<(), Error> {
        // Three yearly inputs: a with b and b with c strongly, a with c strongly against.
        let s = county();
        let at = |key: &str| {
            s.params()
                .specs()
                .iter()
                .position(|p| p.key == key)
                .unwrap()
        };
        let (a, b, c) = (
            at("demand.growth"),
            at("funding.growth"),
            at("cost.inflation"),
        );
        let pair = |a, b, rho| dsg::core::correlation::Correlation { a, b, rho };
        dsg::core::correlation::Correlations::new(
            vec![pair(a, b, 0.95), pair(b, c, 0.95), pair(a, c, -0.95)],
            s.params(),
        )?;
        Ok(())
    }
    fn simulation() -> Result<(), Error> {
        let s = county();
        Simulation::new(&s)?.run(&Settings {
            paths: 0,
            ..Settings::default()
        })?;
        Ok(())
    }
    fn draw() -> Result<(), Error> {
        dsg::montecarlo::draw::Drawer::new(&Dist::Uniform { min: 2.0, max: 1.0 })?;
        Ok(())
    }
    fn analysis() -> Result<(), Error> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/minimal.toml");
        let scenario = dsg::Scenario::load(path.as_ref())?;
        Target::parse("balance.cumulative above zero", &scenario)?;
        Ok(())
    }
    fn data() -> Result<(), Error> {
        dsg::data::history::History::from_csv_str("not,a\nhistory", "history.csv")?;
        Ok(())
    }
    fn plot() -> Result<(), Error> {
        let s = county();
        let summary = Simulation::new(&s)?.run(&Settings {
            paths: 200,
            ..Settings::default()
        })?;
        // A directory under a file cannot be made.
        let file = std::env::temp_dir().join(format!("dsg-facade-{}", std::process::id()));
        std::fs::write(&file, "a file")?;
        let result = dsg::plot::write_all(&summary, &file.join("charts"));
        std::fs::remove_file(&file)?;
        result?;
        Ok(())
    }
    fn io() -> Result<(), Error> {
        std::fs::read_to_string("/no/such/dsg/file")?;
        Ok(())
    }
    assert!(matches!(scenario(), Err(Error::Scenario(_))));
    assert!(matches!(policy(), Err(Error::Policy(_))));
    assert!(matches!(policy_date(), Err(Error::PolicyDate(_))));
    assert!(matches!(correlation(), Err(Error::Correlation(_))));
    assert!(matches!(simulation(), Err(Error::Simulation(_))));
    assert!(matches!(draw(), Err(Error::Draw(_))));
    assert!(matches!(analysis(), Err(Error::Analysis(_))));
    assert!(matches!(data(), Err(Error::Data(_))));
    let plotted = plot();
    assert!(matches!(plotted, Err(Error::Plot(_))), "{plotted:?}");
    assert!(matches!(io(), Err(Error::Io(_))));
    // The message is the crate's own.
    let err = analysis().unwrap_err();
    assert!(err.to_string().contains("cannot read the target"), "{err}");
}

#[test]
fn the_analyses_agree_with_their_long_forms() {
    let s = county();
    let settings = Settings {
        paths: 1_000,
        seed: 11,
        ..Settings::default()
    };
    // One-call sensitivity against recording the paths by hand, as before.
    let horizon = s.year(s.horizon());
    let record = Record {
        outcomes: vec![(SeriesKey::mitigated(Series::Cumulative), horizon)],
        max_paths: 1_000,
    };
    let (_, table) = Simulation::new(&s)
        .unwrap()
        .record(&record)
        .unwrap()
        .run_with_paths(&settings)
        .unwrap();
    let by_hand = sensitivity(&table, &s).unwrap();
    let one_call = sensitivity_of(
        &s,
        &SensitivitySettings {
            outcomes: Vec::new(),
            settings: settings.clone(),
        },
    )
    .unwrap();
    assert_eq!(one_call, by_hand);
    // The run without a progress callback is the run with one.
    let quiet = Simulation::new(&s).unwrap().run(&settings).unwrap();
    let calls = std::sync::atomic::AtomicU64::new(0);
    let count = |_: u64| {
        calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    };
    let told = Simulation::new(&s)
        .unwrap()
        .on_progress(&count)
        .run(&settings)
        .unwrap();
    assert!(calls.load(std::sync::atomic::Ordering::Relaxed) > 0);
    assert_eq!(quiet.series, told.series);
}

#[test]
fn summary_at_and_range_read_the_years_of_a_series() {
    let s = county();
    let summary = Simulation::new(&s)
        .unwrap()
        .run(&Settings {
            paths: 1_000,
            ..Settings::default()
        })
        .unwrap();
    let spend = summary.series("spend.total").unwrap();
    for (t, stats) in spend.iter().enumerate() {
        let year = s.year(t + 1);
        assert_eq!(summary.at("spend.total", year), Some(stats));
        assert_eq!(summary.at(Series::SpendTotal, year), Some(stats));
        assert_eq!(
            summary.at(SeriesKey::mitigated(Series::SpendTotal), year),
            Some(stats)
        );
        assert_eq!(
            summary.range(Series::SpendTotal, year, Coverage::Half),
            Some((stats.p25, stats.p75))
        );
        assert_eq!(
            summary.range(Series::SpendTotal, year, Coverage::NineInTen),
            Some((stats.p5, stats.p95))
        );
    }
    // The base year is not projected; unmitigated series are reached by key or by name.
    assert_eq!(summary.at(Series::SpendTotal, s.year(0)), None);
    let unmitigated = SeriesKey::unmitigated(Series::Cumulative);
    let horizon = s.year(s.horizon());
    assert_eq!(
        summary.at(unmitigated, horizon),
        summary.at("unmitigated.balance.cumulative", horizon)
    );
    assert!(summary.at(unmitigated, horizon).is_some());
}
