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

/// The generated pages of the corpus that read in full (`ok`) and whose
/// name ends with `suffix`, with their text and expected cells.
fn ok_pages(suffix: &str) -> Vec<(String, String, BTreeMap<String, Option<f64>>)> {
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(corpus().join("expected")).unwrap() {
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        let page = expected["page"].as_str().unwrap();
        if !page.ends_with(suffix) || expected.get("path").is_some() || expected["status"] != "ok" {
            continue;
        }
        let text = std::fs::read_to_string(corpus().join("pages").join(page)).unwrap();
        let want = expected["cells"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_f64()))
            .collect();
        pages.push((page.to_string(), text, want));
    }
    pages.sort_by(|a, b| a.0.cmp(&b.0));
    pages
}

/// The page without its line `lost`, and what that variant is.
fn without_line(lines: &[&str], lost: usize) -> (String, String) {
    let kept: Vec<&str> = (0..lines.len())
        .filter(|&i| i != lost)
        .map(|i| lines[i])
        .collect();
    let what = format!("without line {} ({:?})", lost + 1, lines[lost]);
    (kept.join("\n"), what)
}

/// Every cell of `variant` that came out as a number other than the page's.
fn moved_numbers(
    page: &str,
    variant: &str,
    want: &BTreeMap<String, Option<f64>>,
    what: &str,
    wrong: &mut Vec<String>,
) {
    let record = xxgk::pipeline::process_bytes(page, variant.as_bytes());
    for (key, got) in cells_of(&record) {
        let Some(g) = got else { continue };
        let expected = want.get(&key).copied().flatten();
        if !expected.is_some_and(|w| (w - g).abs() < 1e-9) {
            wrong.push(format!("{page} {what}: {key} = {g}, expected {expected:?}"));
        }
    }
}

fn report_moved(what: &str, pages: usize, variants: usize, wrong: &[String]) {
    println!(
        "{pages} pages, {variants} {what}, {} wrong numbers",
        wrong.len()
    );
    for w in wrong.iter().take(40) {
        println!("  {w}");
    }
    assert!(
        wrong.is_empty(),
        "{} wrong numbers (see above)",
        wrong.len()
    );
}

/// A line lost from a dump's tables (a lossy save, a copy that missed one)
/// may cost cells, but must never move a number into another cell: drop
/// each line between part 2's heading and part 5's in turn, and no cell may
/// come out as a number other than the page's.
#[test]
fn a_lost_line_never_moves_a_number() {
    let (mut pages, mut variants, mut wrong) = (0, 0, Vec::new());
    for (page, text, want) in ok_pages(".txt") {
        let lines: Vec<&str> = text.lines().collect();
        let at = |part: &str| lines.iter().position(|l| l.contains(part));
        let (Some(start), Some(end)) = (at("二、主动公开政府信息情况"), at("五、存在的主要问题"))
        else {
            continue;
        };
        pages += 1;
        for lost in start + 1..end {
            let (variant, what) = without_line(&lines, lost);
            moved_numbers(&page, &variant, &want, &what, &mut wrong);
            variants += 1;
        }
    }
    assert!(pages >= 40, "only {pages} dumps");
    report_moved("dumps with a line lost", pages, variants, &wrong);
}

/// The same over real PDF texts (`cuts/`), whose tables a converter already
/// scrambled: each line of the page lost in turn, every number read must
/// still be the page's (`truth`, every figure of the source; a cell the
/// text does not give must stay null).
#[test]
fn a_lost_line_of_a_real_pdfs_text_never_moves_a_number() {
    let (mut pages, mut variants, mut wrong) = (0, 0, Vec::new());
    for entry in std::fs::read_dir(corpus().join("expected")).unwrap() {
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        let Some(truth) = expected.get("truth").and_then(Value::as_object) else {
            continue;
        };
        let want = truth.iter().map(|(k, v)| (k.clone(), v.as_f64())).collect();
        let page = expected["page"].as_str().unwrap();
        let path =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(expected["path"].as_str().unwrap());
        let text = std::fs::read_to_string(path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        pages += 1;
        for lost in 0..lines.len() {
            let (variant, what) = without_line(&lines, lost);
            moved_numbers(page, &variant, &want, &what, &mut wrong);
            variants += 1;
        }
    }
    assert!(pages >= 2, "only {pages} real PDF texts");
    report_moved("real PDF texts with a line lost", pages, variants, &wrong);
}

/// The same for a cell lost from an HTML table (a broken paste): drop each
/// `<td>` of the plain CMS pages in turn. A header that loses
/// 法人或其他组织 (colspan 5) puts 总计 beside 自然人 in the grid, which reads
/// as the columns reordered; the figures must overrule it.
#[test]
fn a_lost_table_cell_never_moves_a_number() {
    let (mut pages, mut variants, mut wrong) = (0, 0, Vec::new());
    for (page, html, want) in ok_pages(".cms.utf8.html") {
        pages += 1;
        let mut from = 0;
        while let Some(start) = html[from..].find("<td").map(|i| from + i) {
            let end = start + html[start..].find("</td>").unwrap() + "</td>".len();
            let what = format!("without {}", &html[start..end]);
            let variant = [&html[..start], &html[end..]].concat();
            moved_numbers(&page, &variant, &want, &what, &mut wrong);
            variants += 1;
            from = end;
        }
    }
    assert!(pages >= 10, "only {pages} CMS pages");
    report_moved("pages with a table cell lost", pages, variants, &wrong);
}

/// A figure written as text (`不涉及`, `N/A`, `〇`) never moves a number, and
/// right of a figure in its row it costs that cell alone: write each figure
/// cell of the plain CMS pages so in turn. (Written so as a row's first
/// figure, the text stands where the row's labels do, and the row may go
/// unread, flagged.)
#[test]
fn a_figure_written_as_text_costs_only_its_cell() {
    let (mut pages, mut variants, mut wrong) = (0, 0, Vec::new());
    let mut after_a_figure = 0;
    for (page, html, want) in ok_pages(".cms.utf8.html") {
        pages += 1;
        let read = want.values().filter(|v| v.is_some()).count();
        let mut from = 0;
        while let Some(start) = html[from..].find("<td").map(|i| from + i) {
            let open = start + html[start..].find('>').unwrap() + 1;
            let close = open + html[open..].find("</td>").unwrap();
            from = close;
            let text = &html[open..close];
            if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            let row_start = html[..start].rfind("<tr").unwrap();
            let figure_before = html[row_start..start].split("<td").skip(1).any(|td| {
                let inner = &td[td.find('>').unwrap() + 1..td.find("</td>").unwrap()];
                !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit())
            });
            after_a_figure += usize::from(figure_before);
            for written in ["不涉及", "N/A", "〇"] {
                let what = format!("{} as {written}", &html[start..close + "</td>".len()]);
                let variant = [&html[..open], written, &html[close..]].concat();
                moved_numbers(&page, &variant, &want, &what, &mut wrong);
                let record = xxgk::pipeline::process_bytes(&page, variant.as_bytes());
                let got = cells_of(&record).values().filter(|v| v.is_some()).count();
                if figure_before && got + 1 < read {
                    wrong.push(format!("{page} {what}: {got} cells read of {read}"));
                }
                variants += 1;
            }
        }
    }
    assert!(pages >= 10, "only {pages} CMS pages");
    println!("{after_a_figure} figures right of a figure in their row");
    report_moved(
        "pages with a figure written as text",
        pages,
        variants,
        &wrong,
    );
}
