//! Measurement passes for `scripts/bench` (`xxgk measure`): the run's own
//! stages timed one by one over a folder of pages, and the parse-only pass
//! that is the floor a whole run is held to.
//!
//! Stage times are summed over worker threads (CPU time spent in each
//! stage), so their shares say where a run's work goes whatever the thread
//! count; the pass's wall time gives pages per second.
//!
//! [`measure`] runs the passes block by block, all of them over one block
//! before the next: this VM's speed drifts by a quarter over minutes, and
//! passes run one after the other over a whole corpus compared different
//! minutes (a parse-only pass once scaled 2.73× on 2 cores).

use std::path::Path;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;

use crate::discover::InputFile;
use crate::record::{Outcome, ReportRecord};

/// Seconds spent in each stage, summed over threads.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct StageSeconds {
    pub read: f64,
    /// The BLAKE3 hash that names a report.
    pub hash: f64,
    pub decode: f64,
    pub parse: f64,
    pub extract: f64,
    pub validate: f64,
    /// Arrow batches and Parquet files (one writer thread, as in a run).
    pub write: f64,
}

impl StageSeconds {
    fn add(self, o: StageSeconds) -> StageSeconds {
        StageSeconds {
            read: self.read + o.read,
            hash: self.hash + o.hash,
            decode: self.decode + o.decode,
            parse: self.parse + o.parse,
            extract: self.extract + o.extract,
            validate: self.validate + o.validate,
            write: self.write + o.write,
        }
    }
}

/// What one measuring pass over a folder found.
#[derive(Debug, Clone, Serialize)]
pub struct Measured {
    pub pages: usize,
    pub bytes: u64,
    pub threads: usize,
    /// Wall time of the pass.
    pub seconds: f64,
    pub pages_per_second: f64,
    /// Per-stage time (absent for the parse-only pass's unmeasured stages).
    pub stages: StageSeconds,
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// Run `f`, adding its wall time to `seconds`.
pub(crate) fn timed<T>(seconds: &mut f64, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    *seconds += secs(t.elapsed());
    out
}

fn pool(threads: usize) -> anyhow::Result<rayon::ThreadPool> {
    Ok(rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?)
}

/// Read, decode and parse every page, and nothing else: the floor of a
/// whole run.
pub fn parse_only(files: &[InputFile], threads: usize) -> anyhow::Result<Measured> {
    read_decode_and(files, threads, |text| {
        std::hint::black_box(crate::parse::parse(text));
    })
}

/// Read, decode and html5ever's `Html::parse_document` alone: the
/// reference the issue names (about 85 MB/s per core), for comparison.
pub fn html5ever_only(files: &[InputFile], threads: usize) -> anyhow::Result<Measured> {
    read_decode_and(files, threads, |text| {
        std::hint::black_box(scraper::Html::parse_document(text));
    })
}

/// A pass that reads and decodes every page and hands its text to `parse`
/// (timed as the parse stage).
fn read_decode_and(
    files: &[InputFile],
    threads: usize,
    parse: impl Fn(&str) + Sync,
) -> anyhow::Result<Measured> {
    let started = Instant::now();
    let stages = pool(threads)?.install(|| {
        files
            .par_iter()
            .map(|f| {
                let mut s = StageSeconds::default();
                let Ok(bytes) = timed(&mut s.read, || std::fs::read(&f.path)) else {
                    return s;
                };
                let Ok(decoded) = timed(&mut s.decode, || crate::decode::decode(&bytes)) else {
                    return s;
                };
                timed(&mut s.parse, || parse(&decoded.text));
                s
            })
            .reduce(StageSeconds::default, StageSeconds::add)
    });
    Ok(measured(files, threads, started.elapsed(), stages))
}

/// Every stage of a run, each timed, writing the dataset under `scratch`
/// in chunks as a run does (a chunk written while the next is processed).
pub fn stage_times(
    files: &[InputFile],
    threads: usize,
    chunk_files: usize,
    scratch: &Path,
) -> anyhow::Result<Measured> {
    let started = Instant::now();
    let mut writer = crate::write::DatasetWriter::create(scratch, "part-00000")?;
    let mut total = StageSeconds::default();
    let mut write = |_: &[InputFile], timed_records: Vec<(ReportRecord, StageSeconds)>| {
        let (records, stages): (Vec<ReportRecord>, Vec<StageSeconds>) =
            timed_records.into_iter().unzip();
        total = stages.into_iter().fold(total, StageSeconds::add);
        writer.write(&records)
    };
    let pool = pool(threads)?;
    pool.install(|| {
        crate::pipeline::in_chunks(files, chunk_files, |_| true, timed_record, &mut write)
    })?;
    // The writer's own count, not the wall time of its calls: its tables
    // are written in parallel, and while a call waits on them its thread
    // may process pages of the next chunk.
    total.write += writer.busy_seconds();
    timed(&mut total.write, || pool.install(|| writer.finish()))?;
    Ok(measured(files, threads, started.elapsed(), total))
}

/// One page through the stages, as a run reads and processes it, with each
/// stage's time.
fn timed_record(f: &InputFile) -> (ReportRecord, StageSeconds) {
    let mut s = StageSeconds::default();
    let record = match timed(&mut s.read, || std::fs::read(&f.path)) {
        Ok(bytes) => crate::pipeline::process_bytes_timed(&f.rel, &bytes, &mut s),
        Err(e) => ReportRecord {
            report_id: crate::record::report_id(format!("unreadable:{}", f.rel).as_bytes()),
            path: f.rel.clone(),
            bytes: f.size,
            encoding: None,
            outcome: Outcome::Failed {
                stage: "read",
                reason: e.to_string(),
            },
        },
    };
    (record, s)
}

impl Measured {
    fn new(pages: usize, bytes: u64, threads: usize, seconds: f64, stages: StageSeconds) -> Self {
        Measured {
            pages,
            bytes,
            threads,
            seconds,
            pages_per_second: pages as f64 / seconds.max(1e-9),
            stages,
        }
    }

    /// Two passes over different pages as one: pages, bytes, seconds and
    /// stage times add up.
    fn and(self, o: Measured) -> Measured {
        Measured::new(
            self.pages + o.pages,
            self.bytes + o.bytes,
            self.threads,
            self.seconds + o.seconds,
            self.stages.add(o.stages),
        )
    }
}

/// Every measuring pass over one folder's pages, summed over the blocks
/// they were run in.
#[derive(Debug, Clone, Serialize)]
pub struct Passes {
    pub html5ever_only: Measured,
    pub parse_only: Measured,
    pub stages: Measured,
    /// Pages in a block (the last may hold fewer).
    pub block_pages: usize,
    /// For each block, the stages pass's pages per second over the
    /// parse-only pass's: two passes seconds apart, so the VM's drift
    /// over minutes is out of each figure.
    pub stages_vs_parse_only: Vec<f64>,
}

/// The passes over `files`, `block` pages at a time: over each block the
/// html5ever-only, the parse-only and the stages pass in turn, each the
/// fastest of `repeat` (a first pass also warms the page cache). The
/// stages pass writes its dataset under `scratch`, removed after each block.
pub fn measure(
    files: &[InputFile],
    threads: usize,
    block: usize,
    repeat: usize,
    scratch: &Path,
) -> anyhow::Result<Passes> {
    let fastest = |pass: &dyn Fn() -> anyhow::Result<Measured>| {
        let mut best: Option<Measured> = None;
        for _ in 0..repeat.max(1) {
            let m = pass()?;
            if best.as_ref().is_none_or(|b| m.seconds < b.seconds) {
                best = Some(m);
            }
        }
        Ok::<_, anyhow::Error>(best.expect("at least one pass"))
    };
    let none = || Measured::new(0, 0, threads, 0.0, StageSeconds::default());
    let (mut html5ever_sum, mut parse_sum, mut stages_sum) = (none(), none(), none());
    let mut stages_vs_parse_only = Vec::new();
    for pages in files.chunks(block.max(1)) {
        let html5ever = fastest(&|| html5ever_only(pages, threads))?;
        let parse = fastest(&|| parse_only(pages, threads))?;
        let stages = fastest(&|| {
            let m = stage_times(pages, threads, 512, scratch);
            // A failed pass's own error says more than a failed clean-up.
            let removed = std::fs::remove_dir_all(scratch);
            let m = m?;
            removed?;
            Ok(m)
        })?;
        stages_vs_parse_only.push(stages.pages_per_second / parse.pages_per_second.max(1e-9));
        html5ever_sum = html5ever_sum.and(html5ever);
        parse_sum = parse_sum.and(parse);
        stages_sum = stages_sum.and(stages);
    }
    Ok(Passes {
        html5ever_only: html5ever_sum,
        parse_only: parse_sum,
        stages: stages_sum,
        block_pages: block.max(1).min(files.len()),
        stages_vs_parse_only,
    })
}

fn measured(files: &[InputFile], threads: usize, wall: Duration, stages: StageSeconds) -> Measured {
    let bytes = files.iter().map(|f| f.size).sum();
    Measured::new(files.len(), bytes, threads, secs(wall), stages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_take_turns_over_blocks_and_count_every_page() {
        let defaults = crate::config::InputConfig::default();
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let mut found = crate::discover::discover(&seeds, &defaults.include, &defaults.exclude, 1)
            .expect("the sample folder");
        // The five seed dumps, in blocks of two: three blocks.
        found
            .files
            .retain(|f| !f.rel.contains('/') && f.rel.ends_with(".txt"));
        assert_eq!(found.files.len(), 5);
        let scratch = std::env::temp_dir().join(format!("xxgk-bench-test-{}", std::process::id()));
        let passes = measure(&found.files, 1, 2, 1, &scratch).expect("passes");
        assert_eq!(passes.stages_vs_parse_only.len(), 3);
        for pass in [&passes.html5ever_only, &passes.parse_only, &passes.stages] {
            assert_eq!(pass.pages, 5);
            assert_eq!(pass.bytes, found.files.iter().map(|f| f.size).sum::<u64>());
        }
        // Only the stages pass extracts and writes; its dataset is removed.
        assert_eq!(passes.parse_only.stages.extract, 0.0);
        assert!(passes.stages.stages.extract > 0.0 && passes.stages.stages.write > 0.0);
        assert!(!scratch.exists());
    }
}
