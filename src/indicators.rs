//! The figures analysts compare across agencies, one row per report,
//! computed from the report's cells (see the README's `indicators` table).
//!
//! A blank or placeholder cell counts as 0 (sites write zeros as blanks);
//! a cell that was not read (missing, ambiguous, unreadable) makes every
//! figure that needs it null. A 总计 left blank is the sum of the six
//! applicant columns. A share whose denominator is 0 or unknown is null.

use crate::extract::{CellFlag, Extraction};
use crate::template::{TableName, Template, REQUEST_COLS};

/// Indicator columns in table order, with what each one is.
pub const COLUMNS: &[(&str, &str)] = &[
    ("requests_new", "new requests received (一、本年新收, 总计)"),
    (
        "requests_carried_over",
        "requests carried over from last year (二、上年结转, 总计)",
    ),
    ("requests_received", "requests_new + requests_carried_over"),
    ("requests_handled", "requests handled ((七)总计, 总计)"),
    (
        "requests_carried_forward",
        "requests carried forward to next year (四、结转下年度, 总计)",
    ),
    ("requests_granted", "予以公开 + 部分公开"),
    ("requests_denied", "不予公开, all 8 rows"),
    ("requests_unavailable", "无法提供, all 3 rows"),
    ("requests_not_processed", "不予处理, all 5 rows"),
    ("requests_other", "其他处理, all rows"),
    ("granted_share", "(予以公开 + 部分公开) / requests_handled"),
    ("denied_share", "不予公开 (8 rows) / requests_handled"),
    ("unavailable_share", "无法提供 (3 rows) / requests_handled"),
    (
        "not_processed_share",
        "不予处理 (5 rows) / requests_handled",
    ),
    ("other_share", "其他处理 / requests_handled"),
    ("review_total", "administrative reviews (行政复议, 总计)"),
    (
        "review_corrected",
        "reviews whose result corrected the agency (结果纠正)",
    ),
    ("review_correction_rate", "review_corrected / review_total"),
    (
        "litigation_total",
        "lawsuits, direct and after review (行政诉讼, 总计)",
    ),
    (
        "litigation_corrected",
        "lawsuits whose result corrected the agency (结果纠正)",
    ),
    (
        "litigation_correction_rate",
        "litigation_corrected / litigation_total",
    ),
    (
        "dispute_rate",
        "(review_total + litigation_total) / requests_handled",
    ),
    (
        "regulations_issued",
        "规章 issued this year (2021 template)",
    ),
    (
        "normative_issued",
        "行政规范性文件 issued this year (2021 template)",
    ),
    (
        "normative_repealed",
        "行政规范性文件 repealed this year (2021 template)",
    ),
    (
        "normative_in_force",
        "行政规范性文件 in force (2021 template)",
    ),
    ("licensing_decisions", "行政许可 decisions (处理决定数量)"),
    ("penalty_decisions", "行政处罚 decisions"),
    ("coercion_decisions", "行政强制 decisions"),
    ("fees", "行政事业性收费, 万元 (2021 template)"),
];

/// One report's indicators, in [`COLUMNS`] order.
pub fn indicators(ex: &Extraction) -> Vec<Option<f64>> {
    let template = ex.template.unwrap_or(Template::T2021);
    let indexes: Vec<_> = ex.tables.iter().map(|t| (t.table, t.index())).collect();
    let index = |table: TableName| indexes.iter().find(|(t, _)| *t == table).map(|(_, i)| i);
    let cell = |table: TableName, row: &str, col: &str| -> Option<f64> {
        let c = index(table)?.get(row, col)?;
        match (c.value, c.flag) {
            (Some(v), _) => Some(v),
            (None, Some(CellFlag::Blank | CellFlag::Placeholder)) => Some(0.0),
            _ => None,
        }
    };
    let requests_total = |row: &str| -> Option<f64> {
        let total = index(TableName::Requests)?.get(row, "total")?;
        if let Some(v) = total.value {
            return Some(v);
        }
        if total.flag.is_some_and(CellFlag::is_unread) {
            return None;
        }
        REQUEST_COLS[..6]
            .iter()
            .map(|col| cell(TableName::Requests, row, col))
            .sum()
    };
    let rows_total =
        |rows: &[&str]| -> Option<f64> { rows.iter().map(|r| requests_total(r)).sum() };
    let outcome = |prefix: &str| -> Option<f64> {
        let rows: Vec<&str> = crate::template::outcome_rows(template)
            .map(|r| r.key)
            .filter(|k| k.starts_with(prefix))
            .collect();
        rows_total(&rows)
    };
    let share = |num: Option<f64>, den: Option<f64>| match (num, den) {
        (Some(n), Some(d)) if d > 0.0 => Some(n / d),
        _ => None,
    };
    let review = |row: &str, col: &str| cell(TableName::ReviewLitigation, row, col);
    let sum2 = |a: Option<f64>, b: Option<f64>| Some(a? + b?);

    let new = requests_total("new_received");
    let carried = requests_total("carried_over");
    let handled = requests_total("total_handled");
    let granted = sum2(
        requests_total("granted"),
        requests_total("partially_granted"),
    );
    let review_total = review("review", "total");
    let review_corrected = review("review", "corrected");
    let litigation_total = sum2(
        review("litigation_direct", "total"),
        review("litigation_after_review", "total"),
    );
    let litigation_corrected = sum2(
        review("litigation_direct", "corrected"),
        review("litigation_after_review", "corrected"),
    );
    let new_template = template == Template::T2021;
    let active = |row: &str, col: &str| cell(TableName::ActiveDisclosure, row, col);
    let only_2021 = |v: Option<f64>| if new_template { v } else { None };
    vec![
        new,
        carried,
        sum2(new, carried),
        handled,
        requests_total("carried_forward"),
        granted,
        outcome("denied_"),
        outcome("unavailable_"),
        outcome("not_processed_"),
        outcome("other_"),
        share(granted, handled),
        share(outcome("denied_"), handled),
        share(outcome("unavailable_"), handled),
        share(outcome("not_processed_"), handled),
        share(outcome("other_"), handled),
        review_total,
        review_corrected,
        share(review_corrected, review_total),
        litigation_total,
        litigation_corrected,
        share(litigation_corrected, litigation_total),
        share(sum2(review_total, litigation_total), handled),
        only_2021(active("regulations", "issued")),
        only_2021(active("normative_documents", "issued")),
        only_2021(active("normative_documents", "repealed")),
        only_2021(active("normative_documents", "in_force")),
        active("licensing", "decisions"),
        active("penalty", "decisions"),
        active("coercion", "decisions"),
        only_2021(active("fees", "fee_amount")),
    ]
}

/// The value of one named indicator in a row from [`indicators`].
pub fn get(row: &[Option<f64>], name: &str) -> Option<f64> {
    COLUMNS
        .iter()
        .position(|(n, _)| *n == name)
        .and_then(|i| row[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(page: &str) -> Vec<Option<f64>> {
        let doc = crate::parse::parse(page);
        indicators(&crate::extract::extract(&doc))
    }

    #[test]
    fn from_the_pingtan_2022_figures() {
        let page = encoding_rs::GBK
            .decode(include_bytes!("../data/html/pingtan_2022_word_gb2312.html"))
            .0
            .into_owned();
        let row = of(&page);
        assert_eq!(get(&row, "requests_new"), Some(74.0));
        assert_eq!(get(&row, "requests_received"), Some(75.0));
        assert_eq!(get(&row, "requests_handled"), Some(75.0));
        assert_eq!(get(&row, "granted_share"), Some(30.0 / 75.0));
        assert_eq!(get(&row, "denied_share"), Some(4.0 / 75.0));
        assert_eq!(get(&row, "unavailable_share"), Some(37.0 / 75.0));
        assert_eq!(get(&row, "other_share"), Some(4.0 / 75.0));
        assert_eq!(get(&row, "review_total"), Some(2.0));
        assert_eq!(get(&row, "review_correction_rate"), Some(0.5));
        assert_eq!(get(&row, "litigation_total"), Some(1.0));
        assert_eq!(get(&row, "dispute_rate"), Some(3.0 / 75.0));
        assert_eq!(get(&row, "normative_in_force"), Some(698.0));
        assert_eq!(get(&row, "fees"), Some(9116.36));
    }

    #[test]
    fn a_blank_total_is_the_sum_of_the_columns() {
        // Seed 002: 自然人 6, every other cell blank.
        let row = of(include_str!("../data/002_2f7acd81927c9392.txt"));
        assert_eq!(get(&row, "requests_new"), Some(6.0));
        assert_eq!(get(&row, "requests_handled"), Some(6.0));
        assert_eq!(get(&row, "granted_share"), Some(0.0));
        assert_eq!(get(&row, "licensing_decisions"), Some(1491.0));
        // Seed 003: nothing read, nothing computed.
        let row = of(include_str!("../data/003_40a1cdd5dd6550b0.txt"));
        assert_eq!(get(&row, "requests_new"), None);
    }
}
