//! Checks across years for the same agency (`agency_key`): this year's
//! 上年结转 must equal last year's 结转下年度, and this year's 行政规范性文件 in
//! force must equal last year's plus those issued less those repealed.
//! They need every report, so they are made after the run and written
//! beside the per-report checks (`checks/cross_year.parquet`).

use std::collections::BTreeMap;

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
}

impl YearFigures {
    /// From a report's indicators row (see [`crate::indicators::COLUMNS`]).
    pub fn from_indicators(
        report_id: &str,
        path: &str,
        agency_key: Option<&str>,
        year: Option<i32>,
        row: &[Option<f64>],
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
        })
    }
}

/// One row of checks per rule and pair of consecutive years, on the later
/// report, in the order of its path. An agency with two reports for one year
/// is left out for that year: which one continues last year is unknown.
pub fn cross_year_checks(figures: &[YearFigures]) -> Vec<(String, String, Check)> {
    let mut by_agency: BTreeMap<(&str, i32), Vec<&YearFigures>> = BTreeMap::new();
    for f in figures {
        by_agency
            .entry((f.agency_key.as_str(), f.year))
            .or_default()
            .push(f);
    }
    let single = |key: &str, year: i32| match by_agency.get(&(key, year)).map(Vec::as_slice) {
        Some([one]) => Some(*one),
        _ => None,
    };
    let mut out = Vec::new();
    for &(key, year) in by_agency.keys() {
        let (Some(this), Some(last)) = (single(key, year), single(key, year - 1)) else {
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
}
