//! Measurement passes for `scripts/bench` (`xxgk measure`): the run's own
//! stages timed one by one over a folder of pages, and the parse-only pass
//! that is the floor a whole run is held to.
//!
//! Stage times are summed over worker threads (CPU time spent in each
//! stage), so their shares say where a run's work goes whatever the thread
//! count; the pass's wall time gives pages per second.

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
/// in chunks as a run does.
pub fn stage_times(
    files: &[InputFile],
    threads: usize,
    chunk_files: usize,
    scratch: &Path,
) -> anyhow::Result<Measured> {
    let started = Instant::now();
    let pool = pool(threads)?;
    let mut writer = crate::write::DatasetWriter::create(scratch, "part-00000")?;
    let mut total = StageSeconds::default();
    for chunk in files.chunks(chunk_files.max(1)) {
        let (records, stages): (Vec<ReportRecord>, Vec<StageSeconds>) =
            pool.install(|| chunk.par_iter().map(timed_record).unzip());
        total = stages.into_iter().fold(total, StageSeconds::add);
        let write = &mut total.write;
        timed(write, || writer.write(&records))?;
    }
    timed(&mut total.write, || writer.finish())?;
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

fn measured(files: &[InputFile], threads: usize, wall: Duration, stages: StageSeconds) -> Measured {
    let seconds = secs(wall);
    Measured {
        pages: files.len(),
        bytes: files.iter().map(|f| f.size).sum(),
        threads,
        seconds,
        pages_per_second: files.len() as f64 / seconds.max(1e-9),
        stages,
    }
}
