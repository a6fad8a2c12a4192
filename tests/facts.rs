//! Every figure of part 1 against `tests/facts/section1.tsv`, the figures
//! read by hand off the five seeds and the real corpus (`../shared/corpus/real`).
//!
//! The comparison goes both ways: a figure of the file that xxgk did not
//! find is *missing*, a section-1 fact that the file does not have is
//! *extra* (a phone number read as a figure, say). Each row's `written` text
//! must also stand in the page's part 1, so the file cannot drift from the
//! pages.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// (figure, unit, approximate), the figure as text so that it can be sorted.
type Figure = (String, String, bool);

struct Expected {
    written: String,
    figure: Figure,
}

fn expected() -> BTreeMap<String, Vec<Expected>> {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/facts/section1.tsv");
    let text = std::fs::read_to_string(&file).unwrap();
    let mut pages: BTreeMap<String, Vec<Expected>> = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 5, "{line}");
        let value: f64 = f[2].parse().unwrap_or_else(|_| panic!("{line}"));
        pages.entry(f[0].to_string()).or_default().push(Expected {
            written: f[1].to_string(),
            figure: (format!("{value}"), f[3].to_string(), f[4] == "true"),
        });
    }
    pages
}

fn counts<'a>(figures: impl Iterator<Item = &'a Figure>) -> BTreeMap<&'a Figure, usize> {
    let mut m = BTreeMap::new();
    for f in figures {
        *m.entry(f).or_insert(0) += 1;
    }
    m
}

#[test]
fn every_figure_of_part_one() {
    let pages = expected();
    // Five seeds and ten real reports with a part 1 (the 2018 report has none).
    assert_eq!(pages.len(), 15);
    let mut problems = Vec::new();
    let mut total = 0;
    for (path, rows) in &pages {
        let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path);
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let record = xxgk::pipeline::process_bytes(path, &bytes);
        let ex = record
            .extraction()
            .unwrap_or_else(|| panic!("{path}: no extraction"));
        let part_one = ex
            .sections
            .iter()
            .find(|s| s.no == 1)
            .map_or("", |s| s.text.as_str());
        for row in rows {
            if !part_one.contains(&row.written) {
                problems.push(format!("{path}: '{}' is not in part 1", row.written));
            }
        }
        let found: Vec<Figure> = ex
            .facts
            .iter()
            .filter(|f| f.section_no == 1)
            .map(|f| (format!("{}", f.value), f.unit.clone(), f.approximate))
            .collect();
        let want = counts(rows.iter().map(|r| &r.figure));
        let got = counts(found.iter());
        for (figure, n) in &want {
            let m = got.get(figure).copied().unwrap_or(0);
            if m < *n {
                let written: Vec<&str> = rows
                    .iter()
                    .filter(|r| &r.figure == *figure)
                    .map(|r| r.written.as_str())
                    .collect();
                problems.push(format!(
                    "{path}: missing {figure:?} ×{} ({written:?})",
                    n - m
                ));
            }
        }
        for (figure, m) in &got {
            let n = want.get(figure).copied().unwrap_or(0);
            if *m > n {
                let sentences: Vec<&str> = ex
                    .facts
                    .iter()
                    .filter(|f| {
                        f.section_no == 1
                            && format!("{}", f.value) == figure.0
                            && f.unit == figure.1
                    })
                    .map(|f| f.sentence.as_str())
                    .collect();
                problems.push(format!(
                    "{path}: extra {figure:?} ×{} in {sentences:?}",
                    m - n
                ));
            }
        }
        total += rows.len();
    }
    println!("facts: {} pages, {total} figures of part 1", pages.len());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The keyed figures of the real corpus, as each page's part 1 states them
/// (the seeds' are in `tests/analysts.rs`). A key the page gives no figure
/// for is absent: Shanghai's 规章13件 are documents, not 信息.
#[test]
fn fact_keys_of_the_real_corpus() {
    let real = "../shared/corpus/real/";
    type Keyed = (&'static str, f64, bool);
    let expected: &[(&str, &[Keyed])] = &[
        (
            "pingtan_zhqgwh_2019.txt",
            &[("items_published", 2599.0, false)],
        ),
        (
            "pingtan_zhqgwh_2020.txt",
            &[
                ("items_published", 2602.0, false),
                ("requests_received", 21.0, false),
            ],
        ),
        (
            "pingtan_zhqgwh_2021.txt",
            &[
                ("items_published", 2645.0, false),
                ("requests_received", 70.0, false),
            ],
        ),
        (
            "pingtan_zhqgwh_2022.txt",
            &[
                ("items_published", 14571.0, false),
                ("requests_received", 75.0, false),
            ],
        ),
        (
            "pingtan_zhqgwh_2023.txt",
            &[
                ("items_published", 13561.0, false),
                ("policy_interpretations", 117.0, false),
                ("requests_received", 81.0, false),
            ],
        ),
        (
            "pingtan_zhqgwh_2024.txt",
            &[
                ("items_published", 10407.0, false),
                ("policy_interpretations", 96.0, false),
            ],
        ),
        (
            "pingtan_zhqgwh_2025.txt",
            &[
                ("items_published", 7700.0, true),
                ("policy_interpretations", 82.0, false),
                ("requests_received", 154.0, false),
            ],
        ),
        (
            "shanghai_gov_office_2019.html",
            &[
                ("policy_interpretations", 132.0, false),
                ("requests_received", 859.0, false),
            ],
        ),
        (
            "shanghai_city_summary_2020.html",
            &[
                ("policy_interpretations", 123.0, false),
                ("requests_received", 29130.0, false),
            ],
        ),
        (
            "shuyang_fgj_2023_wrapped.html",
            &[
                ("items_published", 249.0, false),
                ("requests_received", 26.0, false),
            ],
        ),
    ];
    for (page, keys) in expected {
        let path = format!("{real}{page}");
        let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(&path);
        let record = xxgk::pipeline::process_bytes(&path, &std::fs::read(file).unwrap());
        let mut got: Vec<(&str, f64, bool)> = record
            .extraction()
            .unwrap()
            .facts
            .iter()
            .filter_map(|f| f.fact_key.map(|k| (k, f.value, f.approximate)))
            .collect();
        got.sort_by(|a, b| a.0.cmp(b.0));
        assert_eq!(got, *keys, "{page}");
    }
}
