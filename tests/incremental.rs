//! Nightly refresh: incremental, atomic, safe when killed.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use xxgk::pipeline::{run, RunOptions, RunSummary};

fn seeds_into(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for f in std::fs::read_dir(common::repo().join("data")).unwrap() {
        let p = f.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
        }
    }
}

fn go(input: &Path, out: &Path, full: bool) -> RunSummary {
    run(
        &common::config(input, out, 2),
        RunOptions {
            full,
            ..RunOptions::default()
        },
    )
    .unwrap()
}

fn bytes_of(out: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    xxgk::write::TABLES
        .iter()
        .flat_map(|t| common::parquet_files(out, t))
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
        .collect()
}

fn rows(out: &Path) -> Vec<Vec<common::Row>> {
    xxgk::write::TABLES
        .iter()
        .map(|t| common::read_table(out, t))
        .collect()
}

#[test]
fn unchanged_input_is_not_extracted_again_and_the_files_stay_identical() {
    let dir = tempfile::tempdir().unwrap();
    let (input, out) = (dir.path().join("in"), dir.path().join("out"));
    seeds_into(&input);
    let first = go(&input, &out, false);
    assert_eq!(first.changes.new, 5);
    let before = bytes_of(&out);
    let second = go(&input, &out, false);
    assert_eq!(
        (
            second.changes.unchanged,
            second.changes.new,
            second.changes.changed
        ),
        (5, 0, 0)
    );
    assert_eq!(second.files, first.files);
    assert_eq!(second.cells, first.cells);
    assert!(bytes_of(&out) == before, "the dataset's files changed");

    // A file touched but not changed is hashed, found the same, and carried over.
    let seed = input.join("000_c26d84461eef8b9b.txt");
    let text = std::fs::read(&seed).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(&seed, &text).unwrap();
    let third = go(&input, &out, false);
    assert_eq!((third.changes.unchanged, third.changes.changed), (5, 0));
    assert_eq!(rows(&out), rows_of_full_run(&input, dir.path()));
}

fn rows_of_full_run(input: &Path, scratch: &Path) -> Vec<Vec<common::Row>> {
    let out = scratch.join(format!("full-{}", std::process::id()));
    go(input, &out, true);
    let r = rows(&out);
    std::fs::remove_dir_all(&out).unwrap();
    r
}

#[test]
fn one_changed_page_is_extracted_again_and_a_deleted_one_leaves() {
    let dir = tempfile::tempdir().unwrap();
    let (input, out) = (dir.path().join("in"), dir.path().join("out"));
    seeds_into(&input);
    go(&input, &out, false);

    // Seed 002's 行政许可 1491 becomes 1492.
    let seed = input.join("002_2f7acd81927c9392.txt");
    let text = std::fs::read_to_string(&seed)
        .unwrap()
        .replace("1491 |", "1492 |");
    std::fs::write(&seed, text).unwrap();
    std::fs::remove_file(input.join("001_fe15402ac693f5ed.txt")).unwrap();
    let s = go(&input, &out, false);
    assert_eq!(
        (
            s.changes.changed,
            s.changes.unchanged,
            s.changes.deleted,
            s.changes.new
        ),
        (1, 3, 1, 0)
    );
    let reports = common::read_table(&out, "reports");
    assert_eq!(reports.len(), 4);
    let id = &common::report(&reports, "002_2f7acd81927c9392.txt")["report_id"];
    let cells = common::read_table(&out, "cells");
    assert_eq!(
        common::cell(&cells, id, "active_disclosure", "licensing", "decisions")["value"],
        "1492"
    );
    // The same rows as extracting everything again.
    assert_eq!(rows(&out), rows_of_full_run(&input, dir.path()));
    // --full extracts everything.
    let full = go(&input, &out, true);
    assert_eq!((full.changes.new, full.changes.unchanged), (4, 0));
}

#[test]
fn a_dataset_of_another_extractor_is_extracted_again() {
    // The dataset a nightly job kept from an earlier xxgk, whose extractor
    // was "3" for the 45 commits that changed it before the version was
    // derived from the sources (build.rs).
    let dir = tempfile::tempdir().unwrap();
    let (input, out) = (dir.path().join("in"), dir.path().join("out"));
    seeds_into(&input);
    go(&input, &out, false);
    let manifest = out.join("manifest.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let current = format!(
        "\"extractor_version\":\"{}\"",
        xxgk::write::EXTRACTOR_VERSION
    );
    assert!(text.contains(&current), "{text}");
    std::fs::write(
        &manifest,
        text.replace(&current, "\"extractor_version\":\"3\""),
    )
    .unwrap();
    let s = go(&input, &out, false);
    assert_eq!((s.changes.new, s.changes.unchanged), (5, 0));
    assert!(std::fs::read_to_string(&manifest)
        .unwrap()
        .contains(&current));
    assert_eq!(rows(&out), rows_of_full_run(&input, dir.path()));
}

#[test]
fn an_input_refused_as_too_large_is_read_once_the_limit_is_raised() {
    // Seed 000 (16,385 bytes) over a limit of 10,000: an error, recorded.
    // With the limit raised, and the file untouched, the next run reads it
    // rather than keep the error.
    let dir = tempfile::tempdir().unwrap();
    let (input, out) = (dir.path().join("in"), dir.path().join("out"));
    seeds_into(&input);
    let mut config = common::config(&input, &out, 2);
    config.input.max_file_bytes = 10_000;
    let first = run(&config, RunOptions::default()).unwrap();
    let status = |out: &Path| {
        let reports = common::read_table(out, "reports");
        common::report(&reports, "000_c26d84461eef8b9b.txt")["status"].clone()
    };
    assert_eq!(status(&out), "error");
    assert!(first.by_status.contains_key("error"));
    // Under the same limit it stands refused, and the dataset as it was.
    let before = bytes_of(&out);
    let again = run(&config, RunOptions::default()).unwrap();
    assert_eq!((again.changes.changed, again.changes.unchanged), (0, 5));
    assert!(bytes_of(&out) == before, "the dataset's files changed");
    let raised = go(&input, &out, false);
    assert_eq!((raised.changes.changed, raised.changes.unchanged), (1, 4));
    assert_eq!(status(&out), "ok");
    assert_eq!(rows(&out), rows_of_full_run(&input, dir.path()));
    // Read, it is unchanged from then on.
    let after = go(&input, &out, false);
    assert_eq!((after.changes.changed, after.changes.unchanged), (0, 5));
}

#[test]
fn a_previous_dataset_that_cannot_be_read_is_mended_by_extracting_again() {
    let dir = tempfile::tempdir().unwrap();
    let (input, out) = (dir.path().join("in"), dir.path().join("out"));
    seeds_into(&input);
    go(&input, &out, false);
    let full = rows_of_full_run(&input, dir.path());
    // A reports file cut short (a disk that filled, a copy that stopped),
    // with no input changed: the run would have left it as it was.
    let reports = common::parquet_files(&out, "reports").remove(0);
    let bytes = std::fs::read(&reports).unwrap();
    std::fs::write(&reports, &bytes[..bytes.len() / 2]).unwrap();
    let s = go(&input, &out, false);
    assert!(
        s.previous_unreadable
            .as_deref()
            .is_some_and(|r| r.contains("reports")),
        "{s:?}"
    );
    assert_eq!((s.changes.new, s.changes.unchanged), (5, 0));
    assert_eq!(rows(&out), full);
    // A cells file gone, found while carrying rows over for one changed input.
    for file in common::parquet_files(&out, "cells") {
        std::fs::remove_file(file).unwrap();
    }
    let seed = input.join("001_fe15402ac693f5ed.txt");
    let text = std::fs::read_to_string(&seed).unwrap();
    std::fs::write(&seed, text.replace("2024", "2024 ")).unwrap();
    let s = go(&input, &out, false);
    assert!(s.previous_unreadable.is_some(), "{s:?}");
    assert_eq!(rows(&out), rows_of_full_run(&input, dir.path()));
    // Mended, the next run is incremental again.
    let s = go(&input, &out, false);
    assert_eq!((s.changes.unchanged, s.previous_unreadable), (5, None));
}

#[test]
fn a_data_file_lost_or_swapped_while_no_input_changed_is_noticed() {
    let dir = tempfile::tempdir().unwrap();
    let (input, out) = (dir.path().join("in"), dir.path().join("out"));
    seeds_into(&input);
    go(&input, &out, false);
    let full = rows_of_full_run(&input, dir.path());
    let years = common::parquet_files(&out, "cells");
    assert!(years.len() >= 2, "{years:?}");
    // Each leaves every footer whole, so a check of footers alone passed it
    // and the run kept the dataset as it was.
    /// What befell the dataset's files between two runs.
    type Harm = fn(&[PathBuf]);
    let harms: [(&str, Harm); 3] = [
        ("is gone", |years| std::fs::remove_file(&years[0]).unwrap()),
        ("not the", |years| {
            std::fs::copy(&years[1], &years[0]).unwrap();
        }),
        ("was not written by the last run", |years| {
            std::fs::copy(&years[1], years[1].with_file_name("part-00000 (1).parquet")).unwrap();
        }),
    ];
    for (said, harm) in harms {
        harm(&years);
        let s = go(&input, &out, false);
        assert!(
            s.previous_unreadable
                .as_deref()
                .is_some_and(|r| r.contains(said)),
            "{said}: {s:?}"
        );
        assert_eq!((s.changes.new, s.changes.unchanged), (5, 0));
        assert_eq!(rows(&out), full, "{said}");
        let s = go(&input, &out, false);
        assert_eq!((s.changes.unchanged, s.previous_unreadable), (5, None));
    }
}

fn xxgk_run(input: &Path, out: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_xxgk"));
    c.args([
        "run",
        "--input",
        input.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--threads",
        "1",
    ])
    .current_dir(common::repo())
    .stdout(Stdio::null())
    .stderr(Stdio::piped());
    c
}

/// A corpus big enough that a run takes a while: the sample pages, each
/// copied many times with a distinct comment so that no two are the same.
fn big_input(dir: &Path, copies: usize) -> PathBuf {
    let input = dir.join("big");
    std::fs::create_dir_all(&input).unwrap();
    let pages: Vec<(String, Vec<u8>)> = std::fs::read_dir(common::repo().join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    for i in 0..copies {
        for (name, bytes) in &pages {
            let mut b = bytes.clone();
            b.extend_from_slice(format!("\n副本 {i}\n").as_bytes());
            std::fs::write(input.join(format!("{i:05}_{name}")), b).unwrap();
        }
    }
    input
}

#[test]
fn a_run_killed_at_any_moment_leaves_the_previous_dataset_readable() {
    let dir = tempfile::tempdir().unwrap();
    let input = big_input(dir.path(), 300);
    let out = dir.path().join("out");
    let small = dir.path().join("small");
    seeds_into(&small);
    assert!(xxgk_run(&small, &out).status().unwrap().success());
    let before = rows(&out);
    for delay in [50, 200, 600, 1500] {
        let mut child = xxgk_run(&input, &out).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        // SIGKILL: no destructor, no cleanup runs.
        let _ = child.kill();
        let status = child.wait().unwrap();
        if status.success() {
            break; // finished before the kill; the next run replaces it anyway
        }
        assert_eq!(
            rows(&out),
            before,
            "the dataset changed after a kill at {delay} ms"
        );
    }
    // The next run takes over the stale lock and the staging folder.
    let o = xxgk_run(&small, &out).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(common::read_table(&out, "reports").len(), 5);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".out"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn two_runs_on_one_output_one_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let input = big_input(dir.path(), 200);
    let out = dir.path().join("out");
    let mut first = xxgk_run(&input, &out).spawn().unwrap();
    let lock = dir.path().join(".out.lock");
    while !lock.exists() {
        std::thread::sleep(Duration::from_millis(5));
    }
    let second = xxgk_run(&input, &out).output().unwrap();
    let first_status = first.wait().unwrap();
    assert!(first_status.success());
    assert_eq!(second.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&second.stderr).contains("another xxgk run"));
}

#[test]
fn shards_cover_the_corpus_once_and_merge_into_one_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let input = big_input(dir.path(), 4);
    seeds_into(&input);
    let whole = dir.path().join("whole");
    go(&input, &whole, false);
    let mut shard_dirs = Vec::new();
    for k in 1..=3 {
        let out = dir.path().join(format!("shard-{k}"));
        let shard = Some(xxgk::pipeline::Shard { k, n: 3 });
        run(
            &common::config(&input, &out, 1),
            RunOptions {
                shard,
                ..RunOptions::default()
            },
        )
        .unwrap();
        assert_eq!(
            common::parquet_files(&out, "cells")[0].file_name().unwrap(),
            format!("part-0000{k}-of-00003.parquet").as_str()
        );
        shard_dirs.push(out);
    }
    let merged = dir.path().join("merged");
    let summary = xxgk::pipeline::merge(&shard_dirs, &merged, &|_| Ok(())).unwrap();
    let whole_summary = RunSummary::read(&whole).unwrap();
    assert_eq!(
        (summary.files, summary.cells),
        (whole_summary.files, whole_summary.cells)
    );
    // The same rows as one run over everything, in another order.
    for table in xxgk::write::TABLES {
        let mut a = common::read_table(&whole, table);
        let mut b = common::read_table(&merged, table);
        a.sort();
        b.sort();
        assert!(a == b, "{table} differs");
    }
}
