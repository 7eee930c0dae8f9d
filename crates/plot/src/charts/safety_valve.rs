//! Safety valve: the chance of receiving each instalment.

use dsg_core::money::format_pounds;
use dsg_montecarlo::Summary;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::PlotError;
use crate::axes::{Axis, Grid, build};
use crate::charts::label_at;
use crate::data::{percent, x_of};
use crate::frame::{Frame, LegendAt, LegendItem, Swatch, draw_frame};
use crate::theme::{Theme, colour, size};

/// Title of the safety-valve chart.
pub(crate) const TITLE: &str = "Safety valve: the chance of receiving each instalment";

/// The pale track behind each bar.
const TRACK: RGBColor = RGBColor(236, 236, 236);

/// Whether the summary has safety-valve instalments to show.
pub(crate) fn applies(summary: &Summary) -> bool {
    !summary.probabilities.safety_valve_instalments.is_empty()
}

pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    summary: &Summary,
) -> Result<bool, PlotError> {
    if !applies(summary) {
        return Ok(false);
    }
    let theme = Theme::ready(area)?;
    let pr = &summary.probabilities;
    let inst = &pr.safety_valve_instalments;
    let first = inst.iter().map(|i| i.year).min();
    let last = inst.iter().map(|i| i.year).max();
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(false);
    };
    let scheduled: f64 = inst.iter().map(|i| i.amount).sum();
    let mut message = format!(
        "Each instalment is paid only if its target in the agreement (an in-year deficit limit or a cumulative balance) is met. Expected receipts: {} of the {} scheduled.",
        format_pounds(pr.expected_safety_valve_receipts),
        format_pounds(scheduled)
    );
    if let Some(all) = pr.all_instalments_received {
        message.push_str(&format!(
            " Chance of receiving every instalment: {}.",
            percent(all)
        ));
    }
    let x = Axis::years(
        first.start_year(),
        last.start_year(),
        0.6,
        "Financial year the instalment is due",
    );
    let mut y = Axis::nice(0.0, 100.0, 5, false, "Chance of receiving it");
    // Room above the bars for their labels.
    y.range = 0.0..118.0;

    let legend = vec![
        LegendItem::new(
            Swatch::Fill(colour::BLUE.to_rgba()),
            "Chance the instalment is received",
        ),
        LegendItem::new(Swatch::Fill(TRACK.to_rgba()), "A full bar: certain (100%)"),
    ];
    let plot = draw_frame(
        area,
        &theme,
        &Frame::for_run(summary, TITLE, message, legend, LegendAt::Below),
    )?;
    let mut chart = build(&plot, &theme, &x, &y, Grid::default())?;
    let half = 0.3;
    // A pale track to 100% behind each bar, so that a 0% chance still shows its slot.
    chart.draw_series(inst.iter().map(|i| {
        let xc = x_of(i.year);
        Rectangle::new([(xc - half, 0.0), (xc + half, 100.0)], TRACK.filled())
    }))?;
    chart.draw_series(inst.iter().map(|i| {
        let xc = x_of(i.year);
        Rectangle::new(
            [(xc - half, 0.0), (xc + half, i.probability * 100.0)],
            colour::BLUE.filled(),
        )
    }))?;
    let pct_font = theme.bold(size::AXIS);
    let amount_font = theme.font(size::LABEL);
    let gap = theme.px(6.0);
    let amount_h = theme.px(size::LABEL * 1.25);
    for i in inst {
        let at = (x_of(i.year), i.probability * 100.0);
        label_at(
            &mut chart,
            at,
            (0, -gap),
            &format!("of {} due", format_pounds(i.amount)),
            amount_font
                .color(&colour::MUTED)
                .pos(Pos::new(HPos::Center, VPos::Bottom)),
        )?;
        label_at(
            &mut chart,
            at,
            (0, -gap - amount_h),
            &percent(i.probability),
            pct_font
                .color(&colour::TEXT)
                .pos(Pos::new(HPos::Center, VPos::Bottom)),
        )?;
    }
    Ok(true)
}
