//! Checks across years for the same agency (`agency_key`): this year's
//! 上年结转 must equal last year's 结转下年度, and this year's 行政规范性文件 in
//! force must equal last year's plus those issued less those repealed.
//! They need every report, so they are made after the run and written
//! beside the per-report checks (`checks/cross_year.parquet`).

use std::collections::BTreeMap;

use crate::record::Standing;
use crate::validate::Check;

/// The figures of one report that the checks compare.
#[derive(Debug, Clone, PartialEq)]
pub struct YearFigures {
    pub report_id: String,
    pub path: String,
    pub agency_key: String,
    pub year: i32,
    pub carried_over: Option<f64>,
    pub carried_forward: Option<f64>,
    pub normative_issued: Option<f64>,
    pub normative_repealed: Option<f64>,
    pub normative_in_force: Option<f64>,
    /// How well the report was read: of an agency's reports for one year,
    /// the one that stands first is compared.
    pub standing: Standing,
}

impl YearFigures {
    /// From a report's indicators row (see [`crate::indicators::COLUMNS`]).
    pub fn from_indicators(
        report_id: &str,
        path: &str,
        agency_key: Option<&str>,
        year: Option<i32>,
        row: &[Option<f64>],
        standing: Standing,
    ) -> Option<YearFigures> {
        let get = |name| crate::indicators::get(row, name);
        Some(YearFigures {
            report_id: report_id.to_string(),
            path: path.to_string(),
            agency_key: agency_key?.to_string(),
            year: year?,
            carried_over: get("requests_carried_over"),
            carried_forward: get("requests_carried_forward"),
            normative_issued: get("normative_issued"),
            normative_repealed: get("normative_repealed"),
            normative_in_force: get("normative_in_force"),
            standing,
        })
    }
}

/// One row of checks per rule and pair of consecutive years, on the later
/// report, in the order of its path. When a crawl holds an agency's year
/// twice, the copy read best is compared (see [`Standing`]): the one the
/// summary CSVs count.
pub fn cross_year_checks(figures: &[YearFigures]) -> Vec<(String, String, Check)> {
    let mut counted: BTreeMap<(&str, i32), &YearFigures> = BTreeMap::new();
    for f in figures {
        let slot = counted.entry((f.agency_key.as_str(), f.year)).or_insert(f);
        if (f.standing, &f.path) < (slot.standing, &slot.path) {
            *slot = f;
        }
    }
    let mut out = Vec::new();
    for (&(key, year), &this) in &counted {
        let Some(&last) = counted.get(&(key, year - 1)) else {
            continue;
        };
        let mut push = |rule, row_key, col_key, expected: Option<f64>, actual: Option<f64>| {
            if let (Some(expected), Some(actual)) = (expected, actual) {
                let check = Check {
                    rule,
                    row_key: Some(row_key),
                    col_key: Some(col_key),
                    expected,
                    actual,
                    passed: (expected - actual).abs() < 1e-6,
                    null_cells: 0,
                };
                out.push((this.path.clone(), this.report_id.clone(), check));
            }
        };
        push(
            "cross_year_carried_over",
            "carried_over",
            "total",
            last.carried_forward,
            this.carried_over,
        );
        let in_force = (|| {
            Some(last.normative_in_force? + this.normative_issued? - this.normative_repealed?)
        })();
        push(
            "cross_year_in_force",
            "normative_documents",
            "in_force",
            in_force,
            this.normative_in_force,
        );
    }
    out.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.rule.cmp(b.2.rule)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year(
        y: i32,
        over: f64,
        forward: f64,
        issued: f64,
        repealed: f64,
        in_force: f64,
    ) -> YearFigures {
        YearFigures {
            report_id: format!("id{y}"),
            path: format!("{y}.html"),
            agency_key: "平潭综合实验区".into(),
            year: y,
            carried_over: Some(over),
            carried_forward: Some(forward),
            normative_issued: Some(issued),
            normative_repealed: Some(repealed),
            normative_in_force: Some(in_force),
            standing: Standing::new("ok", 200, 0),
        }
    }

    #[test]
    fn consecutive_years_are_compared() {
        // Pingtan: 2021 carried forward 1 request, 2022 carried over 1.
        let checks = cross_year_checks(&[
            year(2021, 0.0, 1.0, 69.0, 3.0, 665.0),
            year(2022, 1.0, 0.0, 88.0, 55.0, 698.0),
        ]);
        let by_rule: Vec<(&str, bool)> =
            checks.iter().map(|(_, _, c)| (c.rule, c.passed)).collect();
        assert_eq!(
            by_rule,
            [
                ("cross_year_carried_over", true),
                ("cross_year_in_force", true)
            ]
        );
        assert!(checks.iter().all(|(_, id, _)| id == "id2022"));
        // A break: 2022 says it carried over 5.
        let checks = cross_year_checks(&[
            year(2021, 0.0, 1.0, 0.0, 0.0, 0.0),
            year(2022, 5.0, 0.0, 0.0, 0.0, 0.0),
        ]);
        let c = &checks[0].2;
        assert_eq!(
            (c.rule, c.expected, c.actual, c.passed),
            ("cross_year_carried_over", 1.0, 5.0, false)
        );
        // No year before: nothing to compare.
        assert!(cross_year_checks(&[year(2022, 1.0, 0.0, 0.0, 0.0, 0.0)]).is_empty());
    }

    #[test]
    fn a_year_held_twice_is_compared_through_the_copy_read_best() {
        // The Pingtan archive keeps the 2022 report as a Word page and as a
        // text dump whose run `8855698` leaves part 1's normative documents
        // null: the page continues 2021 and is continued by 2023.
        let page = year(2022, 1.0, 0.0, 88.0, 55.0, 698.0);
        let dump = YearFigures {
            report_id: "dump2022".into(),
            path: "2022.txt".into(),
            normative_issued: None,
            normative_repealed: None,
            normative_in_force: None,
            standing: Standing::new("partial", 197, 0),
            ..page.clone()
        };
        // 2023's dump reads its carried-over 0; its run `77132470` leaves
        // the normative documents null too.
        let next = YearFigures {
            normative_issued: None,
            normative_repealed: None,
            normative_in_force: None,
            ..year(2023, 0.0, 0.0, 0.0, 0.0, 0.0)
        };
        for figures in [
            [
                year(2021, 0.0, 1.0, 69.0, 3.0, 665.0),
                dump.clone(),
                page.clone(),
                next.clone(),
            ],
            [
                next.clone(),
                page.clone(),
                dump.clone(),
                year(2021, 0.0, 1.0, 69.0, 3.0, 665.0),
            ],
        ] {
            let checks = cross_year_checks(&figures);
            let checks: Vec<(&str, &str, bool)> = checks
                .iter()
                .map(|(_, id, c)| (id.as_str(), c.rule, c.passed))
                .collect();
            assert_eq!(
                checks,
                [
                    ("id2022", "cross_year_carried_over", true),
                    ("id2022", "cross_year_in_force", true),
                    ("id2023", "cross_year_carried_over", true),
                ]
            );
        }
    }
}
