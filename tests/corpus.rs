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

/// A report's cells by `table.row.col`, as values (null as None).
type Cells = BTreeMap<String, Option<f64>>;

fn cells_of(record: &ReportRecord) -> Cells {
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
    let want: Cells = expected["cells"]
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
fn ok_pages(suffix: &str) -> Vec<(String, String, Cells)> {
    ok_page_bytes(suffix)
        .into_iter()
        .map(|(page, bytes, want)| (page, String::from_utf8(bytes).unwrap(), want))
        .collect()
}

/// The same pages, in any encoding, as bytes.
fn ok_page_bytes(suffix: &str) -> Vec<(String, Vec<u8>, Cells)> {
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(corpus().join("expected")).unwrap() {
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        let page = expected["page"].as_str().unwrap();
        if !page.ends_with(suffix) || expected.get("path").is_some() || expected["status"] != "ok" {
            continue;
        }
        let bytes = std::fs::read(corpus().join("pages").join(page)).unwrap();
        let want = expected["cells"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_f64()))
            .collect();
        pages.push((page.to_string(), bytes, want));
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
fn moved_numbers(page: &str, variant: &str, want: &Cells, what: &str, wrong: &mut Vec<String>) {
    let record = xxgk::pipeline::process_bytes(page, variant.as_bytes());
    moved_numbers_in(page, &cells_of(&record), want, what, wrong);
}

/// Each figure read from a variant of `page` that is not the page's own.
fn moved_numbers_in(page: &str, cells: &Cells, want: &Cells, what: &str, wrong: &mut Vec<String>) {
    for (key, &got) in cells {
        let Some(g) = got else { continue };
        let expected = want.get(key).copied().flatten();
        if !expected.is_some_and(|w| (w - g).abs() < 1e-9) {
            wrong.push(format!("{page} {what}: {key} = {g}, expected {expected:?}"));
        }
    }
}

/// As [`report_moved`], and no variant lost more than the cell it changed.
fn report_cells_lost(what: &str, pages: usize, variants: usize, wrong: &[String], lost: &[String]) {
    println!("{} variants lost more than that cell", lost.len());
    for l in lost.iter().take(20) {
        println!("  {l}");
    }
    report_moved(what, pages, variants, wrong);
    assert!(
        lost.is_empty(),
        "{} variants lost more (see above)",
        lost.len()
    );
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

/// A figure written as text never moves a number, and costs that cell
/// alone: write each figure cell of the HTML pages so in turn. `不涉及` is a
/// cell wherever it stands (a word for no figure); other text (`未发生`,
/// `不适用`) is one by where it stands: right of a figure in its row, or as
/// the row's first figure in the column where the rows around start their
/// figures, or first in part 4's row of figures. The writings take turns,
/// two of three through where the text stands.
#[test]
fn a_figure_written_as_text_costs_only_its_cell() {
    let (mut pages, mut variants, mut wrong) = (Vec::new(), 0, Vec::new());
    let (mut first_in_row, mut lost) = (0, Vec::new());
    for (page, bytes, want) in ok_page_bytes(".html") {
        // UTF-16 pages are left out: encoding_rs writes no UTF-16.
        if page.contains(".utf16.") {
            continue;
        }
        let encoding = if page.contains(".big5.") {
            encoding_rs::BIG5
        } else if std::str::from_utf8(&bytes).is_ok() {
            encoding_rs::UTF_8
        } else {
            encoding_rs::GB18030
        };
        let (html, _, bad) = encoding.decode(&bytes);
        assert!(!bad, "{page} is not {}", encoding.name());
        let read = want.values().filter(|v| v.is_some()).count();
        // A row printed as a table of its own has no rows around it to show
        // where its figures start: it may go unread, flagged.
        let rows_alone = page.contains(".split-tables.");
        // Each figure: a cell's whole text, digits between tags in a <td>.
        let mut from = 0;
        while let Some(at) = html[from..].find('>').map(|i| from + i + 1) {
            from = at;
            let end = at + html[at..].bytes().take_while(u8::is_ascii_digit).count();
            let in_cell = html[..at].rfind("<td") > html[..at].rfind("</td>");
            if end == at || !html[end..].starts_with('<') || !in_cell {
                continue;
            }
            let row = &html[html[..at].rfind("<tr").unwrap()..at];
            let figure_before = row.split('>').any(|t| {
                let text = t.split('<').next().unwrap_or("");
                !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
            });
            first_in_row += usize::from(!figure_before);
            let written = ["未发生", "不适用", "不涉及"][variants % 3];
            let tail: String = html[end..].chars().take(5).collect();
            let cell = &html[html[..at].rfind("<td").unwrap()..at];
            let what = format!("{cell}{written}{tail}");
            let text = [&html[..at], written, &html[end..]].concat();
            let (variant, _, _) = encoding.encode(&text);
            let record = xxgk::pipeline::process_bytes(&page, &variant);
            let cells = cells_of(&record);
            moved_numbers_in(&page, &cells, &want, &what, &mut wrong);
            let got = cells.values().filter(|v| v.is_some()).count();
            if got + 1 < read && !rows_alone {
                lost.push(format!("{page} {what}: {got} cells read of {read}"));
            }
            variants += 1;
            from = end;
        }
        pages.push(page);
    }
    for layout in [
        "cms.utf8",
        "word.gb2312",
        "undeclared.gb18030",
        "total-first",
        "big5",
    ] {
        assert!(pages.iter().any(|p| p.contains(layout)), "no {layout} page");
    }
    println!("{first_in_row} of them first in their grid row");
    assert!(first_in_row >= 1000, "{first_in_row} first figures");
    report_cells_lost(
        "pages with a figure written as text",
        pages.len(),
        variants,
        &wrong,
        &lost,
    );
}

/// The same in the text dumps whose figures stand between delimiters (`|`,
/// tabs, spaces, line ends): a figure written as text is a cell, whether a
/// cell of its own (`| 不涉及 |`) or a word of a PDF's line, where the space
/// between ideographs is folded away (`行政强制 不涉及 0 25` reads
/// `行政强制不涉及0 25`). Kept in the label, it left the row a figure short:
/// a layout's padding then stood in for a cell, or a run was cut to fill the
/// gap, and numbers moved (`行政规范性文件 | 不涉及 | 0 | 55 | ||` read as 0, 55).
#[test]
fn in_a_dump_a_figure_written_as_text_costs_only_its_cell() {
    let layouts = [
        ".dump-markdown.txt",
        ".dump-tsv.txt",
        ".dump-pipes.txt",
        ".dump-rows.txt",
        ".dump-bars-alone.txt",
        ".dump-rows-edged.txt",
        ".dump-pdf.txt",
        ".dump-pdf-wrapped.txt",
        ".dump-pdf-unheaded.txt",
        ".dump-lines.txt",
    ];
    let (mut pages, mut variants, mut wrong, mut lost) = (0, 0, Vec::new(), Vec::new());
    for layout in layouts {
        for (page, text, want) in ok_pages(layout) {
            pages += 1;
            let read = want.values().filter(|v| v.is_some()).count();
            // Part 4 without its header is read only when its figures keep
            // its rule, which a cell written as text leaves unknown.
            let may_lose = if layout == ".dump-pdf-unheaded.txt" {
                15
            } else {
                1
            };
            let delimiter = |c: u8| matches!(c, b'|' | b'\t' | b' ' | b'\n');
            let bytes = text.as_bytes();
            let mut at = 1;
            while at < bytes.len() {
                let end = at
                    + bytes[at..]
                        .iter()
                        .take_while(|b| b.is_ascii_digit())
                        .count();
                let figure = end > at
                    && delimiter(bytes[at - 1])
                    && bytes.get(end).is_some_and(|&b| delimiter(b));
                if !figure {
                    at = end.max(at + 1);
                    continue;
                }
                let written = ["不涉及", "N/A", "〇"][variants % 3];
                let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
                let what = format!("{}{written}{}", &text[line_start..at], &text[end..line_end]);
                let variant = [&text[..at], written, &text[end..]].concat();
                let record = xxgk::pipeline::process_bytes(&page, variant.as_bytes());
                let cells = cells_of(&record);
                moved_numbers_in(&page, &cells, &want, &format!("{what:?}"), &mut wrong);
                let got = cells.values().filter(|v| v.is_some()).count();
                if got + may_lose < read {
                    lost.push(format!("{page} {what:?}: {got} cells read of {read}"));
                }
                variants += 1;
                at = end;
            }
        }
    }
    assert!(variants >= 15_000, "{variants} variants");
    report_cells_lost(
        "dumps with a figure written as text",
        pages,
        variants,
        &wrong,
        &lost,
    );
}
