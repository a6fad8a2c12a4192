//! Cell accuracy over the labelled corpus (`tests/corpus/`): every page's
//! status, metadata and every template cell against its expected file.
//!
//! A cell is *right* when its value equals the expected one (null included),
//! *missing* when the page has a number that was not read, and *wrong* when a
//! different number, or a number where the page has none, was emitted. The
//! test fails below 100% or on any wrong number.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;
use xxgk::record::ReportRecord;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

#[derive(Default)]
struct Score {
    expected: usize,
    right: usize,
    missing: usize,
    wrong: usize,
    problems: Vec<String>,
}

fn cells_of(record: &ReportRecord) -> BTreeMap<String, Option<f64>> {
    record
        .extraction()
        .map(|ex| {
            ex.cells()
                .map(|c| {
                    (
                        format!("{}.{}.{}", c.table.as_str(), c.row_key, c.col_key),
                        c.value,
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn check_page(expected: &Value, score: &mut Score) {
    let page = expected["page"].as_str().unwrap();
    // Real pages are read where they live: `path` is from the repository root
    // (`../shared` is beside it in CI).
    let file = match expected["path"].as_str() {
        Some(path) => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path),
        None => corpus().join("pages").join(page),
    };
    let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let record = xxgk::pipeline::process_bytes(page, &bytes);
    let mut problem = |what: String| score.problems.push(format!("{page}: {what}"));

    let status = record.status().as_str();
    if status != expected["status"] {
        problem(format!(
            "status {status}, expected {} ({:?})",
            expected["status"],
            record.status_reason()
        ));
    }
    let ex = record.extraction();
    let meta = |f: fn(&xxgk::extract::Extraction) -> Value| ex.map_or(Value::Null, f);
    let got = [
        (
            "agency",
            meta(|e| e.meta.agency.clone().map_or(Value::Null, Value::from)),
        ),
        (
            "year",
            meta(|e| e.meta.year.map_or(Value::Null, Value::from)),
        ),
        (
            "template",
            meta(|e| e.template.map_or(Value::Null, |t| Value::from(t.as_str()))),
        ),
        (
            "published",
            meta(|e| {
                e.meta
                    .published
                    .map_or(Value::Null, |d| Value::from(d.to_string()))
            }),
        ),
        ("script", meta(|e| Value::from(e.script.as_str()))),
        (
            "encoding",
            record
                .encoding
                .as_ref()
                .map_or(Value::Null, |e| Value::from(e.name)),
        ),
    ];
    for (key, value) in got {
        if let Some(want) = expected.get(key) {
            if &value != want {
                problem(format!("{key} {value}, expected {want}"));
            }
        }
    }

    let cells = cells_of(&record);
    let want: BTreeMap<String, Option<f64>> = expected["cells"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_f64()))
        .collect();
    for (key, want) in &want {
        score.expected += 1;
        let got = cells.get(key).copied().flatten();
        match (want, got) {
            (Some(w), Some(g)) if (w - g).abs() < 1e-9 => score.right += 1,
            (None, None) => score.right += 1,
            (Some(w), None) => {
                score.missing += 1;
                problem(format!("{key} missing, expected {w}"));
            }
            (_, Some(g)) => {
                score.wrong += 1;
                problem(format!("{key} = {g}, expected {want:?}: WRONG NUMBER"));
            }
        }
    }
    // A number read where the page has no such cell is wrong too.
    for (key, got) in &cells {
        if let (false, Some(g)) = (want.contains_key(key), got) {
            score.wrong += 1;
            problem(format!(
                "{key} = {g} read where the page has no such cell: WRONG NUMBER"
            ));
        }
    }
}

#[test]
fn corpus_cells_are_all_right() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus().join("expected"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 30, "the corpus has {} pages", files.len());
    let mut score = Score::default();
    for f in &files {
        let expected: Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        check_page(&expected, &mut score);
    }
    let accuracy = 100.0 * score.right as f64 / score.expected.max(1) as f64;
    println!(
        "corpus: {} pages, {} cells expected, {} right ({accuracy:.2}%), {} missing, {} wrong",
        files.len(),
        score.expected,
        score.right,
        score.missing,
        score.wrong
    );
    for p in score.problems.iter().take(60) {
        println!("  {p}");
    }
    assert_eq!(score.wrong, 0, "wrong numbers emitted");
    assert!(
        score.problems.is_empty(),
        "{} problems (see above)",
        score.problems.len()
    );
    assert_eq!(score.right, score.expected);
}

/// A line lost from a dump's tables (a lossy save, a copy that missed one)
/// may cost cells, but must never move a number into another cell: drop
/// each line between part 2's heading and part 5's in turn, and no cell may
/// come out as a number other than the page's.
#[test]
fn a_lost_line_never_moves_a_number() {
    let mut pages = 0;
    let mut variants = 0;
    let mut wrong: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(corpus().join("expected")).unwrap() {
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        let page = expected["page"].as_str().unwrap();
        if !page.ends_with(".txt") || expected.get("path").is_some() || expected["status"] != "ok" {
            continue;
        }
        let text = std::fs::read_to_string(corpus().join("pages").join(page)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let at = |part: &str| lines.iter().position(|l| l.contains(part));
        let (Some(start), Some(end)) = (at("二、主动公开政府信息情况"), at("五、存在的主要问题"))
        else {
            continue;
        };
        let want: BTreeMap<String, Option<f64>> = expected["cells"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_f64()))
            .collect();
        pages += 1;
        for lost in start + 1..end {
            let kept: Vec<&str> = (0..lines.len())
                .filter(|&i| i != lost)
                .map(|i| lines[i])
                .collect();
            let record = xxgk::pipeline::process_bytes(page, kept.join("\n").as_bytes());
            variants += 1;
            for (key, got) in cells_of(&record) {
                let Some(g) = got else { continue };
                if !want
                    .get(&key)
                    .copied()
                    .flatten()
                    .is_some_and(|w| (w - g).abs() < 1e-9)
                {
                    wrong.push(format!(
                        "{page} without line {} ({:?}): {key} = {g}, expected {:?}",
                        lost + 1,
                        lines[lost],
                        want.get(&key)
                    ));
                }
            }
        }
    }
    println!(
        "{pages} dumps, {variants} with a line lost, {} wrong numbers",
        wrong.len()
    );
    for w in wrong.iter().take(40) {
        println!("  {w}");
    }
    assert!(pages >= 40, "only {pages} dumps");
    assert!(
        wrong.is_empty(),
        "{} wrong numbers (see above)",
        wrong.len()
    );
}
