//! `xxgk inspect FILE`: what the pipeline read from one page, laid out for a
//! person to check against the page by eye.

use std::fmt::Write;

use crate::extract::{CellFlag, TableRead};
use crate::record::{Outcome, ReportRecord};
use crate::template::{spec, TableName, Template};

/// Render a processed page.
pub fn render(r: &ReportRecord) -> String {
    let mut s = String::new();
    let mut kv = |k: &str, v: &str| {
        let _ = writeln!(s, "{k:<14}{v}");
    };
    kv("file", &r.path);
    kv("report_id", &r.report_id);
    kv("bytes", &r.bytes.to_string());
    if let Some(e) = &r.encoding {
        let errors = if e.had_errors {
            ", malformed bytes replaced"
        } else {
            ""
        };
        kv("encoding", &format!("{} ({}{errors})", e.name, e.source));
    }
    kv("status", r.status().as_str());
    if let Some(reason) = r.status_reason() {
        kv("reason", &reason);
    }
    let Outcome::Extracted {
        extraction: ex,
        checks,
    } = &r.outcome
    else {
        return s;
    };
    let opt = |v: Option<String>| v.unwrap_or_else(|| "—".into());
    kv("script", ex.script.as_str());
    kv(
        "template",
        &opt(ex.template.map(|t| t.as_str().to_string())),
    );
    kv("agency", &opt(ex.meta.agency.clone()));
    kv("agency_key", &opt(ex.agency.key.clone()));
    let region = &ex.agency.region;
    let place: Vec<String> = [region.province, region.prefecture, region.county]
        .iter()
        .flatten()
        .map(|d| format!("{} {}", d.name, d.code))
        .collect();
    kv(
        "region",
        &opt((!place.is_empty()).then(|| place.join(" / "))),
    );
    kv(
        "level, kind",
        &format!(
            "{}, {}",
            ex.agency.level.unwrap_or("—"),
            ex.agency.kind.unwrap_or("—")
        ),
    );
    kv("year", &opt(ex.meta.year.map(|y| y.to_string())));
    kv("published", &opt(ex.meta.published.map(|d| d.to_string())));
    kv("title", &opt(ex.meta.title.clone()));
    kv("source_url", &opt(ex.meta.source_url.clone()));

    let template = ex.template.unwrap_or(Template::T2021);
    for name in TableName::ALL {
        let _ = writeln!(s);
        match ex.table(name) {
            Some(t) => s.push_str(&grid(t, template)),
            None => {
                let _ = writeln!(s, "{}: not found", name.as_str());
            }
        }
    }
    let _ = writeln!(
        s,
        "\ncell marks: · blank  / placeholder  ? ambiguous (run with more than one cut)  ! missing  x unreadable  ~ cut from a run"
    );

    let _ = writeln!(s, "\nsections");
    for sec in &ex.sections {
        let head: String = sec.text.chars().take(48).collect();
        let more = if sec.text.chars().count() > 48 {
            "…"
        } else {
            ""
        };
        let heading = sec.heading.as_deref().unwrap_or(if sec.no == 0 {
            "(preamble)"
        } else {
            "(no heading)"
        });
        let _ = writeln!(
            s,
            "  {} {heading}  [{} chars] {head}{more}",
            sec.no,
            sec.text.chars().count()
        );
    }

    let _ = writeln!(s, "\nfacts (figures in the narrative): {}", ex.facts.len());
    for f in &ex.facts {
        let approx = if f.approximate { "≈" } else { "" };
        let key = f.fact_key.map(|k| format!(" [{k}]")).unwrap_or_default();
        let sentence: String = f.sentence.chars().take(60).collect();
        let _ = writeln!(
            s,
            "  {} {approx}{}{}{key}  {sentence}",
            f.section_no, f.value, f.unit
        );
    }

    let _ = writeln!(s, "\nother tables (grid_cells): {}", ex.grids.len());
    for (i, g) in ex.grids.iter().enumerate() {
        let rows = g.cells.iter().map(|c| c.row + 1).max().unwrap_or(0);
        let cols = g.cells.iter().map(|c| c.col + 1).max().unwrap_or(0);
        let numbers = g.cells.iter().filter(|c| c.value.is_some()).count();
        let header: Vec<&str> = g
            .cells
            .iter()
            .filter(|c| c.row == 0)
            .map(|c| c.text.as_str())
            .collect();
        let _ = writeln!(
            s,
            "  {i}: part {}, {rows} rows × {cols} columns, {} cells ({numbers} numbers): {}",
            g.section_no,
            g.cells.len(),
            header.join(" | ")
        );
    }

    let failing: Vec<_> = checks.iter().filter(|c| !c.passed).collect();
    let _ = writeln!(
        s,
        "\nchecks: {} evaluated, {} failing",
        checks.len(),
        failing.len()
    );
    for c in failing {
        let at = c.row_key.or(c.col_key).unwrap_or("");
        let nulls = if c.null_cells > 0 {
            format!(" ({} null cells read as 0)", c.null_cells)
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "  FAIL {} [{at}] expected {} actual {}{nulls}",
            c.rule, c.expected, c.actual
        );
    }
    s
}

fn mark(flag: Option<CellFlag>) -> &'static str {
    match flag {
        Some(CellFlag::Blank) => "·",
        Some(CellFlag::Placeholder) => "/",
        Some(CellFlag::Ambiguous) => "?",
        Some(CellFlag::Missing) => "!",
        Some(CellFlag::Unreadable) => "x",
        Some(CellFlag::ResolvedFromRun) | None => "",
    }
}

/// One table as a grid: row keys down, column keys across.
fn grid(t: &TableRead, template: Template) -> String {
    let spec = spec(t.table, template);
    let mut cols: Vec<&str> = Vec::new();
    for row in spec.rows {
        for c in row.cols {
            if !cols.contains(c) {
                cols.push(c);
            }
        }
    }
    let key_width = spec.rows.iter().map(|r| r.key.len()).max().unwrap_or(0);
    let col_width: Vec<usize> = cols.iter().map(|c| c.len().max(8)).collect();
    let mut s = format!("{}\n  {:key_width$}", t.table.as_str(), "row_key");
    for (c, w) in cols.iter().zip(&col_width) {
        let _ = write!(s, "  {c:>w$}");
    }
    s.push('\n');
    for row in spec.rows {
        let _ = write!(s, "  {:key_width$}", row.key);
        for (c, w) in cols.iter().zip(&col_width) {
            let cell = t
                .cells
                .iter()
                .find(|x| x.row_key == row.key && x.col_key == *c);
            let text = match cell {
                None => String::new(),
                Some(x) => match x.value {
                    Some(v) => {
                        let cut = if x.flag == Some(CellFlag::ResolvedFromRun) {
                            "~"
                        } else {
                            ""
                        };
                        format!("{cut}{v}")
                    }
                    None => mark(x.flag).to_string(),
                },
            };
            let _ = write!(s, "  {text:>w$}");
        }
        s.push('\n');
    }
    s
}
