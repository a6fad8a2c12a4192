//! The `xxgk` binary as a nightly job or a person runs it.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn xxgk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(args)
        .current_dir(common::repo())
        .output()
        .expect("run xxgk")
}

fn run_on(input: &Path, output: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "run",
        "--input",
        input.to_str().unwrap(),
        "--output",
        output.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    xxgk(&args)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn run_on_the_sample_prints_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = run_on(&common::repo().join("data"), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("11 files (no_tables 2, not_a_report 1, ok 5, partial 3)"),
        "{}",
        stderr(&o)
    );
    // checks/ also holds cross_year.parquet (Pingtan reports three years);
    // cells/ and sections/ are partitioned by year.
    assert_eq!(common::parquet_files(&out, "checks").len(), 2);
    assert_eq!(common::parquet_files(&out, "reports").len(), 1);
    for year in [2019, 2021, 2022, 2023, 2024] {
        assert!(
            out.join(format!("cells/year={year}/part-00000.parquet"))
                .is_file(),
            "{year}"
        );
    }
    for name in [
        "by_year",
        "by_year_province",
        "by_year_prefecture",
        "agencies",
        "missing_reports",
        "data_quality",
    ] {
        assert!(
            out.join("exports").join(format!("{name}.csv")).is_file(),
            "{name}"
        );
    }
}

#[test]
fn same_input_gives_the_same_bytes_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let data = common::repo().join("data");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    assert!(run_on(&data, &a, &["--threads", "1"]).status.success());
    assert!(run_on(&data, &b, &["--threads", "2"]).status.success());
    for t in xxgk::write::TABLES {
        let (fa, fb) = (common::parquet_files(&a, t), common::parquet_files(&b, t));
        assert_eq!(fa.len(), fb.len(), "{t}");
        for (x, y) in fa.iter().zip(&fb) {
            assert_eq!(x.strip_prefix(&a).unwrap(), y.strip_prefix(&b).unwrap());
            assert!(
                std::fs::read(x).unwrap() == std::fs::read(y).unwrap(),
                "{} differs between 1 and 2 threads",
                x.display()
            );
        }
    }
}

#[test]
fn a_new_run_replaces_the_dataset_but_not_a_foreign_folder() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::copy(
        common::repo().join("data/004_75f5e1dd19ed0e46.txt"),
        input.join("a.txt"),
    )
    .unwrap();
    let out = dir.path().join("out");
    assert!(run_on(&input, &out, &[]).status.success());
    std::fs::copy(
        common::repo().join("data/000_c26d84461eef8b9b.txt"),
        input.join("b.txt"),
    )
    .unwrap();
    assert!(run_on(&input, &out, &[]).status.success());
    assert_eq!(common::read_table(&out, "reports").len(), 2);
    // Nothing is left beside the output but the dataset itself.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");

    let foreign = dir.path().join("documents");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("thesis.docx"), "mine").unwrap();
    let o = run_on(&input, &foreign, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("is not an xxgk dataset"),
        "{}",
        stderr(&o)
    );
    assert!(foreign.join("thesis.docx").exists());
}

#[test]
fn a_second_run_on_the_same_output_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // A lock held by a live process (this test's own).
    std::fs::write(
        dir.path().join(".out.lock"),
        format!("{}\n", std::process::id()),
    )
    .unwrap();
    let o = run_on(&common::repo().join("data"), &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("another xxgk run"), "{}", stderr(&o));
    // A lock left by a run that is gone is taken over.
    std::fs::write(dir.path().join(".out.lock"), "999999999\n").unwrap();
    assert!(run_on(&common::repo().join("data"), &out, &[])
        .status
        .success());
}

#[test]
fn bad_input_is_recorded_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("empty.html"), "").unwrap();
    std::fs::write(
        input.join("binary.html"),
        [0u8, 159, 146, 150, 0, 0, 1, 2, 3],
    )
    .unwrap();
    std::fs::write(
        input.join("report.pdf.html"),
        b"%PDF-1.7\n%\xE2\xE3\xCF\xD3",
    )
    .unwrap();
    std::fs::copy(
        common::repo().join("data/004_75f5e1dd19ed0e46.txt"),
        input.join("good.txt"),
    )
    .unwrap();
    // A PDF's text as a Markdown converter writes it, saved as text.
    std::fs::copy(
        common::repo().join("tests/corpus/cuts/shanghai_office_2025_pdf.md"),
        input.join("pdf.txt"),
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = run_on(&input, &out, &[]);
    // 3 of 5 failed, more than max_error_ratio = 0.5: done, but exit 3.
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let reports = common::read_table(&out, "reports");
    let reason = |p: &str| common::report(&reports, p)["status_reason"].clone();
    assert_eq!(reason("empty.html"), "decode: empty file");
    assert_eq!(
        reason("binary.html"),
        "decode: binary file (control bytes), not a text page"
    );
    assert_eq!(
        reason("report.pdf.html"),
        "decode: binary file (PDF), not a text page"
    );
    assert_eq!(common::report(&reports, "good.txt")["status"], "ok");
    assert_eq!(common::report(&reports, "pdf.txt")["status"], "partial");
    assert_eq!(common::report(&reports, "pdf.txt")["year"], "2025");
}

#[test]
fn usage_and_config_errors_exit_2() {
    assert_eq!(
        xxgk(&["run", "--config", "no/such.toml"]).status.code(),
        Some(2)
    );
    assert_eq!(xxgk(&["frobnicate"]).status.code(), Some(2));
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("pipeline.toml");
    std::fs::write(&cfg, "[run]\nmax_error_ratio = 7\n").unwrap();
    let o = xxgk(&["run", "--config", cfg.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("max_error_ratio"), "{}", stderr(&o));
}

#[test]
fn inspect_shows_what_was_read() {
    let o = xxgk(&["inspect", "data/004_75f5e1dd19ed0e46.txt"]);
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.contains("agency        桐柏县产业集聚区管理委员会"),
        "{text}"
    );
    assert!(text.contains("year          2023"));
    assert!(
        text.contains("  regulations                ~0        ~0        ~0"),
        "{text}"
    );
    assert!(text.contains("checks: 42 evaluated, 0 failing"), "{text}");
    let o = xxgk(&["inspect", "data/003_40a1cdd5dd6550b0.txt"]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("script        traditional"), "{text}");
    assert!(
        text.contains("  regulations                 ?         ?         ?"),
        "{text}"
    );
}

#[test]
fn a_folder_of_hostile_files_runs_to_the_end_with_every_reason_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(input.join("sub")).unwrap();
    std::fs::write(input.join("empty.html"), "").unwrap();
    std::fs::write(
        input.join("binary.htm"),
        (0..4096u32)
            .map(|i| (i * 7919 % 251) as u8)
            .collect::<Vec<_>>(),
    )
    .unwrap();
    // 20 MB of nested <div>, over the default 16 MiB limit: refused unread.
    let depth = 20 * 1024 * 1024 / 11;
    let deep = format!(
        "{}<p>一、总体情况</p>{}",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    std::fs::write(input.join("deep.html"), &deep).unwrap();
    // 5 MB of it, under the limit: read (no tree is built, depth costs nothing).
    let depth = 5 * 1024 * 1024 / 11;
    let deep = format!(
        "{}<p>一、总体情况</p><p>二、主动公开政府信息情况</p>{}",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    std::fs::write(input.join("deep-small.html"), &deep).unwrap();
    // A UTF-8 page with a few bytes that are not UTF-8.
    let mut page =
        std::fs::read(common::repo().join("data/html/pingtan_2022_word_gb2312.html")).unwrap();
    page = encoding_rs::GBK
        .decode(&page)
        .0
        .replace("charset=gb2312", "charset=utf-8")
        .into_bytes();
    page.splice(4000..4000, [0xFF, 0xFE]);
    std::fs::write(input.join("sub/corrupt-utf8.html"), page).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&input, input.join("sub/loop")).unwrap();
    let out = dir.path().join("out");
    let o = run_on(&input, &out, &[]);
    assert!(o.status.code().is_some(), "{}", stderr(&o));
    let reports = common::read_table(&out, "reports");
    let field = |p: &str, f: &str| common::report(&reports, p)[f].clone();
    assert_eq!(field("empty.html", "status_reason"), "decode: empty file");
    assert_eq!(field("binary.htm", "failed_stage"), "decode");
    assert!(
        field("deep.html", "status_reason").starts_with("read: file of 20971"),
        "{}",
        field("deep.html", "status_reason")
    );
    // Its two part headings are read: a report whose tables are absent.
    assert_eq!(field("deep-small.html", "status"), "no_tables");
    assert_eq!(field("sub/corrupt-utf8.html", "status"), "ok");
    assert!(field("sub/corrupt-utf8.html", "warnings").contains("malformed bytes"));
    #[cfg(unix)]
    {
        assert_eq!(field("sub/loop", "failed_stage"), "discover");
        assert!(field("sub/loop", "status_reason").contains("loop"));
    }
}
