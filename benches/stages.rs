//! Stage benchmarks: each stage alone on representative pages, so that a
//! regression shows which stage moved. `cargo bench --bench stages`.
//!
//! Pages: Word-exported GBK and plain CMS UTF-8 HTML and two text dumps from
//! the labelled corpus, and two real pages when `../shared` is beside the
//! repo: Shuyang's (a crawler's wrapper around a full site page, 100 KB) and
//! Pingtan's 2025 dump, whose table cells run together (`2648-18538`) and
//! are cut by a search.

use std::path::PathBuf;

use divan::Bencher;
use xxgk::record::ReportRecord;

fn main() {
    divan::main();
}

const PAGES: &[&str] = &[
    "tests/corpus/pages/pingtan_2022.word.gb2312.html",
    "tests/corpus/pages/shuyang_2023.cms.utf8.html",
    "tests/corpus/pages/pingtan_2022.dump-lines.txt",
    "tests/corpus/pages/pingtan_2022.dump-oneline.txt",
    "../shared/corpus/real/shuyang_fgj_2023_wrapped.html",
    "../shared/corpus/real/pingtan_zhqgwh_2025.txt",
];

fn bytes(page: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(page);
    std::fs::read(&path).unwrap_or_default()
}

fn text(page: &str) -> String {
    xxgk::decode::decode(&bytes(page))
        .map(|d| d.text.into_owned())
        .unwrap_or_default()
}

#[divan::bench(args = PAGES)]
fn decode(bencher: Bencher, page: &str) {
    let b = bytes(page);
    bencher.bench(|| xxgk::decode::decode(divan::black_box(&b)));
}

#[divan::bench(args = PAGES)]
fn parse(bencher: Bencher, page: &str) {
    let t = text(page);
    bencher.bench(|| xxgk::parse::parse(divan::black_box(&t)));
}

#[divan::bench(args = PAGES)]
fn extract(bencher: Bencher, page: &str) {
    let doc = xxgk::parse::parse(&text(page));
    bencher.bench(|| xxgk::extract::extract(divan::black_box(&doc)));
}

#[divan::bench(args = PAGES)]
fn validate(bencher: Bencher, page: &str) {
    let ex = xxgk::extract::extract(&xxgk::parse::parse(&text(page)));
    bencher.bench(|| xxgk::validate::validate(divan::black_box(&ex)));
}

/// The Parquet writer: 64 copies of one page's record written and closed,
/// in a pool of `THREADS` threads. On 1 thread this is the stage's cost; on
/// more, the time a run's chunk write takes when threads are free to help
/// (the writer writes its tables in parallel), which bounds a run on many
/// cores (BENCHMARKS.md, note 29).
#[divan::bench(consts = [1, 2], args = PAGES, sample_count = 20)]
fn write<const THREADS: usize>(bencher: Bencher, page: &str) {
    let b = bytes(page);
    let record = xxgk::pipeline::process_bytes(page, &b);
    let records: Vec<ReportRecord> = (0..64)
        .map(|i| ReportRecord {
            report_id: format!("{i:016x}"),
            path: format!("{i}/{page}"),
            ..record.clone()
        })
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(THREADS)
        .build()
        .unwrap();
    bencher.bench(|| {
        let dir = tempfile::tempdir().unwrap();
        pool.install(|| {
            let mut writer = xxgk::write::DatasetWriter::create(dir.path(), "part-00000").unwrap();
            writer.write(&records).unwrap();
            writer.finish().unwrap();
        });
    });
}
