//! Summary CSV exports, written with polars from the dataset a run has just
//! written (before it is published, so the summaries swap in with it).
//!
//! Only the `xxgk` binary links polars: this module is part of the binary,
//! not of the library, which keeps the library's test builds small.
//!
//! | file | grain |
//! |---|---|
//! | `by_year.csv` | one row per year |
//! | `by_year_province.csv` | one row per year and province |
//! | `by_year_prefecture.csv` | one row per year, province and prefecture |
//! | `agencies.csv` | one row per agency and year, with every indicator |
//! | `missing_reports.csv` | agencies with a report one year and none the next |
//! | `data_quality.csv` | one row per input: status and failing rules |

use std::fs::File;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use xxgk::config::ExportsConfig;

fn scan(dataset: &Path, table: &str) -> PolarsResult<LazyFrame> {
    let dir = dataset.join(table);
    let dir = dir.canonicalize().unwrap_or(dir);
    let glob = dir.join("*.parquet");
    LazyFrame::scan_parquet(
        PlRefPath::new(glob.to_string_lossy().as_ref()),
        ScanArgsParquet::default(),
    )
}

/// Counts summed over a group: the requests table's rows, reviews, suits, decisions.
const SUMMED: &[&str] = &[
    "requests_new",
    "requests_carried_over",
    "requests_received",
    "requests_handled",
    "requests_granted",
    "requests_denied",
    "requests_unavailable",
    "requests_not_processed",
    "requests_other",
    "requests_carried_forward",
    "review_total",
    "review_corrected",
    "litigation_total",
    "litigation_corrected",
    "licensing_decisions",
    "penalty_decisions",
    "coercion_decisions",
];

/// Reports with their indicators (every report that is one), one per agency
/// and year. A crawl may hold one report twice in bytes that differ (the
/// Pingtan archive keeps `page.html` beside `page.txt`; a county portal
/// reposts a bureau's page), and a summary that took both would count the
/// agency's figures twice. The copy kept is the one read best: `ok` before
/// `partial` before `no_tables`, then the most cells read, the fewest
/// failing checks, the first path ([`xxgk::record::Standing`], which the
/// cross-year checks use too). A report without an agency or a year stands
/// for itself.
fn report_figures(dataset: &Path) -> PolarsResult<LazyFrame> {
    let reports = scan(dataset, "reports")?.select([
        col("report_id"),
        col("path"),
        col("agency"),
        col("status"),
        col("province_code"),
        col("prefecture_code"),
        col("county_code"),
        col("n_cells"),
        col("n_cells_null"),
        col("n_checks_failed"),
    ]);
    // xxgk::record::Standing's order, for the cross-year checks to compare
    // the copy counted here.
    let preference = xxgk::record::STATUS_PREFERENCE;
    let status_rank = preference.iter().enumerate().rev().fold(
        lit(preference.len() as u32),
        |rank, (i, status)| {
            when(col("status").eq(lit(*status)))
                .then(lit(i as u32))
                .otherwise(rank)
        },
    );
    let same_report = when(col("agency_key").is_null().or(col("year").is_null()))
        .then(col("report_id"))
        .otherwise(concat_str(
            [col("agency_key"), col("year").cast(DataType::String)],
            "\u{1f}",
            false,
        ));
    Ok(scan(dataset, "indicators")?
        .left_join(reports, col("report_id"), col("report_id"))
        .with_column(same_report.alias("same_report"))
        .sort_by_exprs(
            [
                status_rank,
                col("n_cells") - col("n_cells_null"),
                col("n_checks_failed"),
                col("path"),
            ],
            SortMultipleOptions::default()
                .with_order_descending_multi([false, true, false, false])
                .with_nulls_last(true),
        )
        .unique_stable(
            Some(by_name(["same_report"], true, false)),
            UniqueKeepStrategy::First,
        ))
}

/// Totals of a group, and the shares computed from the totals (not averaged
/// over reports).
fn totals(lf: LazyFrame, by: &[&str]) -> LazyFrame {
    let mut aggs = vec![
        len().alias("reports"),
        col("status").eq(lit("ok")).sum().alias("reports_ok"),
        col("requests_handled")
            .count()
            .alias("reports_with_requests"),
    ];
    aggs.extend(SUMMED.iter().map(|c| col(*c).sum()));
    let share = |num: &str, den: &str, name: &str| {
        when(col(den).gt(lit(0.0)))
            .then(col(num).cast(DataType::Float64) / col(den).cast(DataType::Float64))
            .otherwise(lit(NULL))
            .alias(name)
    };
    lf.group_by(by.iter().map(|c| col(*c)).collect::<Vec<_>>())
        .agg(aggs)
        .with_columns([
            share("requests_granted", "requests_handled", "granted_share"),
            share("requests_denied", "requests_handled", "denied_share"),
            share(
                "requests_unavailable",
                "requests_handled",
                "unavailable_share",
            ),
            share(
                "requests_not_processed",
                "requests_handled",
                "not_processed_share",
            ),
            share("review_corrected", "review_total", "review_correction_rate"),
            share(
                "litigation_corrected",
                "litigation_total",
                "litigation_correction_rate",
            ),
        ])
        .sort(
            by.to_vec(),
            SortMultipleOptions::default().with_nulls_last(true),
        )
}

fn build(dataset: &Path, name: &str) -> PolarsResult<DataFrame> {
    let lf = match name {
        "by_year" => totals(report_figures(dataset)?, &["year"]),
        "by_year_province" => totals(
            report_figures(dataset)?,
            &["year", "province", "province_code"],
        ),
        "by_year_prefecture" => totals(
            report_figures(dataset)?,
            &[
                "year",
                "province",
                "province_code",
                "prefecture",
                "prefecture_code",
            ],
        ),
        "agencies" => {
            let mut columns = vec![
                col("agency_key"),
                col("agency"),
                col("year"),
                col("province"),
                col("prefecture"),
                col("county"),
                col("county_code"),
                col("status"),
            ];
            columns.extend(xxgk::indicators::COLUMNS.iter().map(|(c, _)| col(*c)));
            report_figures(dataset)?
                .filter(col("agency_key").is_not_null())
                .select(columns)
                .sort(
                    ["agency_key", "year"],
                    SortMultipleOptions::default().with_nulls_last(true),
                )
        }
        "missing_reports" => {
            // An agency with a report in year Y−1 and none in Y, for every Y
            // up to the latest year in the dataset.
            let years = scan(dataset, "reports")?
                .filter(
                    col("agency_key")
                        .is_not_null()
                        .and(col("year").is_not_null()),
                )
                .filter(
                    col("status")
                        .eq(lit("ok"))
                        .or(col("status").eq(lit("partial")))
                        .or(col("status").eq(lit("no_tables"))),
                )
                .select([
                    col("agency_key"),
                    col("agency"),
                    col("year"),
                    col("province"),
                    col("prefecture"),
                ])
                .unique_stable(
                    Some(by_name(["agency_key", "year"], true, false)),
                    UniqueKeepStrategy::First,
                );
            let next = years.clone().select([
                col("agency_key"),
                (col("year") - lit(1)).alias("year"),
                lit(true).alias("reported_next"),
            ]);
            let latest = years.clone().select([col("year").max()]).collect()?;
            let latest = latest.column("year")?.i32()?.get(0).unwrap_or(i32::MIN);
            years
                .join(
                    next,
                    [col("agency_key"), col("year")],
                    [col("agency_key"), col("year")],
                    JoinArgs::new(JoinType::Left),
                )
                .filter(
                    col("reported_next")
                        .is_null()
                        .and(col("year").lt(lit(latest))),
                )
                .select([
                    col("agency_key"),
                    col("agency"),
                    col("province"),
                    col("prefecture"),
                    col("year").alias("last_report_year"),
                    (col("year") + lit(1)).alias("missing_year"),
                ])
                .sort(
                    ["missing_year", "agency_key"],
                    SortMultipleOptions::default(),
                )
        }
        "data_quality" => {
            let failing = scan(dataset, "checks")?
                .filter(col("passed").not())
                .group_by([col("report_id")])
                .agg([col("rule")
                    .unique()
                    .sort(SortOptions::default())
                    .str()
                    .join(";", true)
                    .alias("failing_rules")]);
            scan(dataset, "reports")?
                .select([
                    col("report_id"),
                    col("path"),
                    col("agency"),
                    col("year"),
                    col("status"),
                    col("status_reason"),
                    col("warnings"),
                    col("n_cells"),
                    col("n_cells_null"),
                    col("n_checks"),
                    col("n_checks_failed"),
                ])
                .left_join(failing, col("report_id"), col("report_id"))
                .sort(["path"], SortMultipleOptions::default())
        }
        other => {
            return Err(PolarsError::ComputeError(
                format!("unknown export {other}").into(),
            ))
        }
    };
    lf.collect()
}

/// Write the configured summaries into `<dataset>/<dir>/`.
pub fn write(dataset: &Path, config: &ExportsConfig) -> anyhow::Result<Vec<PathBuf>> {
    if !config.enabled {
        return Ok(Vec::new());
    }
    let dir = dataset.join(&config.dir);
    std::fs::create_dir_all(&dir)?;
    let mut written = Vec::new();
    for name in &config.files {
        let mut df = build(dataset, name).map_err(|e| anyhow::anyhow!("export {name}: {e}"))?;
        let path = dir.join(format!("{name}.csv"));
        let mut file = File::create(&path)?;
        CsvWriter::new(&mut file)
            .include_bom(config.bom)
            .include_header(true)
            .finish(&mut df)
            .map_err(|e| anyhow::anyhow!("export {name}: {e}"))?;
        file.sync_all()?;
        written.push(path);
    }
    Ok(written)
}
