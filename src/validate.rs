//! Stage 5: the template's consistency rules (勾稽关系).
//!
//! A report that breaks a rule is still data: each evaluation becomes one
//! row of `checks`, and nothing is corrected. Null cells count as 0, and
//! `null_cells` says how many did; an evaluation whose cells are all null
//! is not made (it would only compare 0 with 0).

use crate::extract::{CellRead, Extraction};
use crate::template::{outcome_rows, TableName, Template, REQUEST_COLS, REVIEW_COLS, REVIEW_ROWS};

#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub rule: &'static str,
    pub row_key: Option<&'static str>,
    pub col_key: Option<&'static str>,
    /// The side the template states first (e.g. new_received + carried_over).
    pub expected: f64,
    /// The side it must equal (e.g. total_handled + carried_forward).
    pub actual: f64,
    pub passed: bool,
    /// Cells that were null and counted as 0.
    pub null_cells: u32,
}

/// Sums of cells, counting the nulls taken as 0 and whether any was read.
#[derive(Default, Clone, Copy)]
struct Sum {
    value: f64,
    nulls: u32,
    read: bool,
}

impl Sum {
    fn add(mut self, cell: Option<&CellRead>) -> Sum {
        match cell.and_then(|c| c.value) {
            Some(v) => {
                self.value += v;
                self.read = true;
            }
            None => self.nulls += 1,
        }
        self
    }

    fn plus(self, other: Sum) -> Sum {
        Sum {
            value: self.value + other.value,
            nulls: self.nulls + other.nulls,
            read: self.read || other.read,
        }
    }
}

pub fn validate(ex: &Extraction) -> Vec<Check> {
    let mut checks = Vec::new();
    let template = ex.template.unwrap_or(Template::T2021);
    if let Some(req) = ex.table(TableName::Requests) {
        let index = req.index();
        let cell = |row: &str, col: &str| index.get(row, col);
        let sum =
            |rows: &[&str], col: &str| rows.iter().fold(Sum::default(), |s, r| s.add(cell(r, col)));
        for col in REQUEST_COLS {
            let left = sum(&["new_received", "carried_over"], col);
            let right = sum(&["total_handled", "carried_forward"], col);
            push(
                &mut checks,
                "requests_balance",
                None,
                Some(col),
                left,
                right,
            );
        }
        for row in crate::template::spec(TableName::Requests, template).rows {
            let parts = REQUEST_COLS[..6]
                .iter()
                .fold(Sum::default(), |s, c| s.add(cell(row.key, c)));
            let total = Sum::default().add(cell(row.key, "total"));
            push(
                &mut checks,
                "requests_row_total",
                Some(row.key),
                None,
                parts,
                total,
            );
        }
        for col in REQUEST_COLS {
            let outcomes =
                outcome_rows(template).fold(Sum::default(), |s, r| s.add(cell(r.key, col)));
            let total = Sum::default().add(cell("total_handled", col));
            push(
                &mut checks,
                "requests_handled_sum",
                None,
                Some(col),
                outcomes,
                total,
            );
        }
    }
    if let Some(rl) = ex.table(TableName::ReviewLitigation) {
        let index = rl.index();
        for row in REVIEW_ROWS {
            let cell = |col: &str| index.get(row.key, col);
            let parts = REVIEW_COLS[..4]
                .iter()
                .fold(Sum::default(), |s, c| s.add(cell(c)));
            let total = Sum::default().add(cell("total"));
            push(
                &mut checks,
                "review_litigation_total",
                Some(row.key),
                None,
                parts,
                total,
            );
        }
    }
    narrative_requests(ex, &mut checks);
    checks
}

/// `narrative_requests`: the number of requests part 1 says were received
/// (its `requests_received` fact: 共收到政府信息公开申请6件; 未收到…申请 is 0)
/// against part 3. The text may count new requests or new and carried-over
/// ones, so either agrees; `actual` is the new requests' total.
fn narrative_requests(ex: &Extraction, checks: &mut Vec<Check>) {
    let Some(stated) = ex
        .facts
        .iter()
        .find(|f| f.section_no == 1 && f.fact_key == Some("requests_received"))
        .map(|f| f.value)
    else {
        return;
    };
    let row = &ex.indicators;
    let new = crate::indicators::get(row, "requests_new");
    let received = crate::indicators::get(row, "requests_received");
    let Some(actual) = new else { return };
    let agrees = |v: Option<f64>| v.is_some_and(|v| (v - stated).abs() < 1e-6);
    checks.push(Check {
        rule: "narrative_requests",
        row_key: Some("new_received"),
        col_key: Some("total"),
        expected: stated,
        actual,
        passed: agrees(new) || agrees(received),
        null_cells: 0,
    });
}

fn push(
    checks: &mut Vec<Check>,
    rule: &'static str,
    row_key: Option<&'static str>,
    col_key: Option<&'static str>,
    expected: Sum,
    actual: Sum,
) {
    let all = expected.plus(actual);
    if !all.read {
        return;
    }
    checks.push(Check {
        rule,
        row_key,
        col_key,
        expected: expected.value,
        actual: actual.value,
        passed: (expected.value - actual.value).abs() < 1e-6,
        null_cells: all.nulls,
    });
}
