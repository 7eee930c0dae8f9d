//! Funding (docs/model.md section 4): allocation, transfer, other income, other blocks, and the
//! in-year balance.

use crate::params::Inputs;
use crate::scenario::Scenario;
use crate::series::Series;

use super::Projection;
use super::cost::grow_lines;
use super::workspace::Workspace;

/// Funding (docs/model.md section 4): allocation, transfer, other income, other blocks; then the
/// in-year balance.
#[inline(always)]
pub(super) fn project_funding(
    s: &Scenario,
    x: &Inputs,
    t: usize,
    ws: &mut Workspace,
    out: &mut Projection,
) {
    let n = ws.lanes;
    let st = &mut ws.lane;
    let growth = &x.year_lanes(s.funding.growth, t)[..n];
    let allocation = &mut st.allocation[..n];
    if out.records(Series::Allocation) {
        let allocation_row = &mut out.row_mut(Series::Allocation, t)[..n];
        for l in 0..n {
            let a = allocation[l] * (1.0 + growth[l]);
            allocation[l] = a;
            allocation_row[l] = a;
        }
    } else {
        for l in 0..n {
            allocation[l] *= 1.0 + growth[l];
        }
    }
    match &s.transfer {
        Some(tr) => {
            let transfer_row = out.row_mut(Series::Transfer, t);
            let g = x.year_lanes(tr.schools_block_growth, t);
            let rate = x.year_lanes(tr.rate, t);
            let approved = x.year_lanes(tr.approved, t);
            let limit = tr.forum_limit;
            for l in 0..n {
                st.schools_block[l] *= 1.0 + g[l];
                // A refused disapplication still leaves what the schools forum can agree (0.5%).
                let r = if rate[l] > limit && approved[l] < 0.5 {
                    limit
                } else {
                    rate[l]
                };
                transfer_row[l] = r * st.schools_block[l];
            }
        }
        None => out.zero_row(Series::Transfer, t),
    }
    if s.other_income.is_empty() {
        out.zero_row(Series::OtherIncome, t);
    } else {
        let income_row = out.row_mut(Series::OtherIncome, t);
        grow_lines(&mut ws.income, &s.other_income, x, t, income_row);
    }
    if s.other_blocks.is_empty() {
        out.zero_row(Series::OtherBlocks, t);
    } else {
        out.row_mut(Series::OtherBlocks, t).fill(0.0);
    }
    let [blocks_row] = out.rows_rw(t, [Series::OtherBlocks], 0);
    for (b, block) in s.other_blocks.iter().enumerate() {
        let fg = x.year_lanes(block.funding_growth, t);
        let sg = x.year_lanes(block.spend_growth, t);
        for l in 0..n {
            ws.block_funding[b * n + l] *= 1.0 + fg[l];
            ws.block_spend[b * n + l] *= 1.0 + sg[l];
            blocks_row[l] += ws.block_funding[b * n + l] - ws.block_spend[b * n + l];
        }
    }
    let [in_year, transfer, income, spend, blocks] = out.rows_rw(
        t,
        [
            Series::InYear,
            Series::Transfer,
            Series::OtherIncome,
            Series::SpendTotal,
            Series::OtherBlocks,
        ],
        1,
    );
    let (in_year, allocation, transfer) = (&mut in_year[..n], &st.allocation[..n], &transfer[..n]);
    let (income, spend, blocks) = (&income[..n], &spend[..n], &blocks[..n]);
    let in_year_hn = &mut st.in_year_hn[..n];
    for l in 0..n {
        // docs/model.md section 5: I_HN = F + T + other income - S; I = I_HN + other blocks.
        let hn = allocation[l] + transfer[l] + income[l] - spend[l];
        in_year_hn[l] = hn;
        in_year[l] = hn + blocks[l];
    }
}
