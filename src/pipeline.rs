//! Orchestration: the only place with I/O, threads and progress.
//!
//! Files are processed in chunks, in path order; each chunk runs in
//! parallel and is written, in order, while the next one runs. Output is
//! therefore the same whatever the thread count, and memory is bounded by
//! the chunk size, not by the corpus. The dataset is written into a staging folder beside
//! the output and swapped in only when complete.

use std::collections::{BTreeMap, HashMap};
use std::io::IsTerminal;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::bench::{timed, StageSeconds};
use crate::config::Config;
use crate::cross_year::YearFigures;
use crate::discover::{discover, InputFile, WalkError};
use crate::previous::{Change, ChangeCounts, FileEntry, Manifest, PreviousRows, MANIFEST_FILE};
use crate::record::{report_id, Encoding, Outcome, ReportRecord};
use crate::write::DatasetWriter;

/// The name of the run summary written at the dataset root; its presence
/// also marks a folder as an xxgk dataset that a run may replace.
pub const SUMMARY_FILE: &str = "run_summary.json";

/// The file of checks across years, beside the run's part files in `checks/`.
pub const CROSS_YEAR_FILE: &str = "cross_year.parquet";

/// The figures a fresh report brings to the cross-year checks.
fn figures_of_record(r: &ReportRecord) -> Option<YearFigures> {
    let ex = r.extraction()?;
    if !crate::write::has_indicators(r.status().as_str()) {
        return None;
    }
    let row = &ex.indicators;
    YearFigures::from_indicators(
        &r.report_id,
        &r.path,
        ex.agency.key.as_deref(),
        ex.meta.year,
        row,
        crate::record::Standing::of(r),
    )
}

/// The same, from a report's rows carried over from the previous dataset.
fn figures_of_rows(rows: &crate::previous::ReportRows, path: &str) -> Option<YearFigures> {
    use crate::previous::{report_int, report_text};
    use arrow::array::{Array, AsArray};
    use arrow::datatypes::Float64Type;
    let report = rows[0].first()?;
    let indicators = rows[4].first()?;
    let text = |name: &str| report_text(report, name).ok().flatten();
    let count = |name: &str| report_int(report, name).ok().flatten().unwrap_or(0).max(0) as usize;
    let standing = crate::record::Standing::new(
        text("status").unwrap_or_default(),
        count("n_cells").saturating_sub(count("n_cells_null")),
        count("n_checks_failed"),
    );
    let row: Vec<Option<f64>> = crate::indicators::COLUMNS
        .iter()
        .map(|(name, _)| {
            let col = indicators.column_by_name(name)?;
            (!col.is_null(0)).then(|| col.as_primitive::<Float64Type>().value(0))
        })
        .collect();
    YearFigures::from_indicators(
        text("report_id")?,
        path,
        text("agency_key"),
        report_int(report, "year").ok().flatten(),
        &row,
        standing,
    )
}

/// Run every stage on one page's bytes. Pure: no I/O, no threads.
pub fn process_bytes(path: &str, bytes: &[u8]) -> ReportRecord {
    process_bytes_timed(path, bytes, &mut StageSeconds::default())
}

/// [`process_bytes`], adding each stage's time to `times` (for `xxgk measure`).
pub fn process_bytes_timed(path: &str, bytes: &[u8], times: &mut StageSeconds) -> ReportRecord {
    let id = timed(&mut times.hash, || report_id(bytes));
    process_identified(path, bytes, id, times)
}

/// [`process_bytes_timed`] for a page whose [`report_id`] is known (a run
/// works it out first, to compare with the manifest's).
fn process_identified(
    path: &str,
    bytes: &[u8],
    id: String,
    times: &mut StageSeconds,
) -> ReportRecord {
    let fail = |stage, reason: String, encoding| ReportRecord {
        report_id: id.clone(),
        path: path.to_string(),
        bytes: bytes.len() as u64,
        encoding,
        outcome: Outcome::Failed { stage, reason },
    };
    let decoded = match timed(&mut times.decode, || crate::decode::decode(bytes)) {
        Ok(d) => d,
        Err(e) => return fail("decode", e.to_string(), None),
    };
    let encoding = Some(Encoding {
        name: decoded.encoding,
        source: decoded.source.as_str(),
        had_errors: decoded.had_errors,
    });
    // A bug on one page must not stop the run: it becomes that page's error.
    let result = catch_unwind(AssertUnwindSafe(|| {
        let doc = timed(&mut times.parse, || crate::parse::parse(&decoded.text));
        let extraction = timed(&mut times.extract, || crate::extract::extract(&doc));
        let checks = timed(&mut times.validate, || {
            crate::validate::validate(&extraction)
        });
        (extraction, checks)
    }));
    match result {
        Ok((extraction, checks)) => {
            let record = ReportRecord {
                report_id: id,
                path: path.to_string(),
                bytes: bytes.len() as u64,
                encoding,
                outcome: Outcome::Extracted {
                    extraction: Box::new(extraction),
                    checks,
                },
            };
            for w in record.warnings() {
                tracing::warn!(path, "{w}");
            }
            record
        }
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            tracing::error!(path, "internal error: {msg}");
            fail("extract", format!("internal error: {msg}"), encoding)
        }
    }
}

/// Read one input file and process it, within the size limit.
pub fn process_file(file: &InputFile, max_bytes: u64) -> ReportRecord {
    let failed = |id: String, stage, reason: String| ReportRecord {
        report_id: id,
        path: file.rel.clone(),
        bytes: file.size,
        encoding: None,
        outcome: Outcome::Failed { stage, reason },
    };
    if file.size > max_bytes {
        let reason = format!(
            "file of {} bytes is over the limit of {max_bytes} (input.max_file_bytes)",
            file.size
        );
        tracing::warn!(path = file.rel, "{reason}");
        return failed(
            report_id(format!("too large:{}", file.rel).as_bytes()),
            "read",
            reason,
        );
    }
    match std::fs::read(&file.path) {
        Ok(bytes) => process_bytes(&file.rel, &bytes),
        Err(e) => failed(
            report_id(format!("unreadable:{}", file.rel).as_bytes()),
            "read",
            e.to_string(),
        ),
    }
}

/// What a run did, for people (one line) and schedulers (JSON).
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq)]
#[serde(default)]
pub struct RunSummary {
    pub xxgk_version: String,
    pub extractor_version: String,
    pub input: String,
    pub output: String,
    pub files: usize,
    /// Inputs against the previous run: new, changed, unchanged, deleted.
    pub changes: ChangeCounts,
    pub by_status: BTreeMap<String, usize>,
    pub cells: usize,
    pub cells_null: usize,
    pub checks: usize,
    pub checks_failed: usize,
    pub reports_failing_checks: usize,
    pub threads: usize,
    pub elapsed_seconds: f64,
    /// Why the previous dataset could not be used, when the run had to
    /// extract every input again for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_unreadable: Option<String>,
}

impl RunSummary {
    pub fn failed_files(&self) -> usize {
        self.by_status.get("error").copied().unwrap_or(0)
    }

    pub fn error_ratio(&self) -> f64 {
        if self.files == 0 {
            0.0
        } else {
            self.failed_files() as f64 / self.files as f64
        }
    }

    /// The summary of the run that wrote the dataset at `output`.
    pub fn read(output: &Path) -> Option<RunSummary> {
        serde_json::from_str(&std::fs::read_to_string(output.join(SUMMARY_FILE)).ok()?).ok()
    }

    pub fn line(&self) -> String {
        let statuses: Vec<String> = self
            .by_status
            .iter()
            .map(|(s, n)| format!("{s} {n}"))
            .collect();
        let c = &self.changes;
        format!(
            "xxgk: {} files ({}) · {} new, {} changed, {} unchanged, {} deleted · {} cells ({} null) · {} of {} checks failing in {} reports · {:.1} s → {}",
            self.files,
            statuses.join(", "),
            c.new,
            c.changed,
            c.unchanged,
            c.deleted,
            self.cells,
            self.cells_null,
            self.checks_failed,
            self.checks,
            self.reports_failing_checks,
            self.elapsed_seconds,
            self.output
        )
    }

    /// Count a report carried over, from its previous `reports` row.
    fn add_reused(&mut self, row: &arrow::array::RecordBatch) {
        use arrow::array::AsArray;
        let int = |name: &str| {
            row.column_by_name(name).map_or(0, |c| {
                c.as_primitive::<arrow::datatypes::Int32Type>()
                    .value(0)
                    .max(0) as usize
            })
        };
        let status = row
            .column_by_name("status")
            .map(|c| c.as_string::<i32>().value(0).to_string());
        self.files += 1;
        *self
            .by_status
            .entry(status.unwrap_or_default())
            .or_default() += 1;
        self.cells += int("n_cells");
        self.cells_null += int("n_cells_null");
        self.checks += int("n_checks");
        self.checks_failed += int("n_checks_failed");
        self.reports_failing_checks += usize::from(int("n_checks_failed") > 0);
    }

    fn add(&mut self, r: &ReportRecord) {
        self.files += 1;
        *self
            .by_status
            .entry(r.status().as_str().to_string())
            .or_default() += 1;
        if let Some(ex) = r.extraction() {
            self.cells += ex.cells().count();
            self.cells_null += ex.cells().filter(|c| c.value.is_none()).count();
        }
        let failed = r.checks().iter().filter(|c| !c.passed).count();
        self.checks += r.checks().len();
        self.checks_failed += failed;
        self.reports_failing_checks += usize::from(failed > 0);
    }
}

/// How a run treats what came before.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    /// A progress bar on a terminal.
    pub progress: bool,
    /// Ignore the previous dataset: extract every input again.
    pub full: bool,
    /// Process only shard `k` of `n` (1-based) of the inputs.
    pub shard: Option<Shard>,
}

/// A deterministic share of the inputs, for running one corpus on N machines
/// (a Kubernetes indexed Job, a Slurm array): input paths are spread by a
/// hash, so adding a file never moves the others between shards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub k: usize,
    pub n: usize,
}

impl Shard {
    /// Parse `K/N` with 1 ≤ K ≤ N.
    pub fn parse(s: &str) -> anyhow::Result<Shard> {
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| anyhow::anyhow!("--shard takes K/N, as 2/8"))?;
        let (k, n): (usize, usize) = (k.trim().parse()?, n.trim().parse()?);
        anyhow::ensure!(
            n >= 1 && (1..=n).contains(&k),
            "--shard {s}: K must be between 1 and N"
        );
        Ok(Shard { k, n })
    }

    pub fn holds(&self, path: &str) -> bool {
        let h = blake3::hash(path.as_bytes());
        let x = u64::from_le_bytes(h.as_bytes()[..8].try_into().expect("8 bytes"));
        (x % self.n as u64) as usize == self.k - 1
    }

    /// The name of this shard's Parquet files: unique across shards.
    pub fn part_name(&self) -> String {
        format!("part-{:05}-of-{:05}", self.k, self.n)
    }
}

/// One input after processing: extracted now, or carried over.
enum Processed {
    Fresh {
        record: ReportRecord,
        entry: FileEntry,
        change: Change,
    },
    Reused {
        path: String,
        entry: FileEntry,
    },
}

/// Whether the previous run recorded `file` with its size and modification
/// time: such a file is not read at all.
fn unchanged(file: &InputFile, manifest: Option<&Manifest>, max_bytes: u64) -> bool {
    manifest
        .and_then(|m| m.files.get(&file.rel))
        .is_some_and(|p| p.same_stat(file.size, file.mtime_ns, max_bytes))
}

/// Read and extract an input unless the previous run already holds it:
/// same size and modification time, or, when the time moved, same bytes.
fn process_input(file: &InputFile, manifest: Option<&Manifest>, max_bytes: u64) -> Processed {
    let previous = manifest.and_then(|m| m.files.get(&file.rel));
    let entry = |report_id: String| FileEntry {
        size: file.size,
        mtime_ns: file.mtime_ns,
        report_id,
        duplicate_of: None,
        unread: false,
        refused_over: None,
    };
    if let Some(prev) = previous.filter(|p| p.same_stat(file.size, file.mtime_ns, max_bytes)) {
        return Processed::Reused {
            path: file.rel.clone(),
            entry: FileEntry {
                duplicate_of: None,
                ..prev.clone()
            },
        };
    }
    let record = if file.size > max_bytes {
        process_file(file, max_bytes)
    } else {
        match std::fs::read(&file.path) {
            Ok(bytes) => {
                let id = report_id(&bytes);
                if previous.is_some_and(|p| p.report_id == id) {
                    return Processed::Reused {
                        path: file.rel.clone(),
                        entry: entry(id),
                    };
                }
                process_identified(&file.rel, &bytes, id, &mut StageSeconds::default())
            }
            Err(_) => process_file(file, max_bytes),
        }
    };
    let change = if previous.is_some() {
        Change::Changed
    } else {
        Change::New
    };
    Processed::Fresh {
        entry: entry(record.report_id.clone()),
        record,
        change,
    }
}

fn walk_failure(e: &WalkError) -> ReportRecord {
    ReportRecord {
        report_id: report_id(format!("walk:{}", e.rel).as_bytes()),
        path: e.rel.clone(),
        bytes: 0,
        encoding: None,
        outcome: Outcome::Failed {
            stage: "discover",
            reason: e.reason.clone(),
        },
    }
}

/// Run the pipeline as configured: discover, process, write, publish.
pub fn run(config: &Config, options: RunOptions) -> anyhow::Result<RunSummary> {
    run_with(config, options, &|_| Ok(()))
}

/// A step run on a finished dataset before it is published (the binary's
/// summary exports), so that what it writes swaps in with the data.
pub type BeforePublish<'a> = &'a dyn Fn(&Path) -> anyhow::Result<()>;

/// [`run`], with a step before the dataset is published.
///
/// When the previous dataset cannot be read as its manifest describes it
/// ([`crate::previous::Unreadable`]), nothing has been published: the run
/// starts again and extracts every input, and its summary says why
/// (`previous_unreadable`). The inputs are the source of truth, and an
/// unattended job should mend the dataset rather than fail every night.
pub fn run_with(
    config: &Config,
    options: RunOptions,
    before_publish: BeforePublish<'_>,
) -> anyhow::Result<RunSummary> {
    match run_once(config, options, before_publish, None) {
        Err(e) if !options.full && e.is::<crate::previous::Unreadable>() => {
            let reason = e.to_string();
            tracing::warn!("{reason}: extracting every input again");
            let full = RunOptions {
                full: true,
                ..options
            };
            run_once(config, full, before_publish, Some(reason))
        }
        result => result,
    }
}

fn run_once(
    config: &Config,
    options: RunOptions,
    before_publish: BeforePublish<'_>,
    previous_unreadable: Option<String>,
) -> anyhow::Result<RunSummary> {
    let started = Instant::now();
    let threads = if config.run.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        config.run.threads
    };
    let output = config.output.root.clone();
    let _lock = OutputLock::acquire(&output)?;
    let staging = sibling(&output, "staging");
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?; // left by a run that was killed
    }
    let mut found = discover(
        &config.input.root,
        &config.input.include,
        &config.input.exclude,
        threads,
    )?;
    if let Some(shard) = options.shard {
        found.files.retain(|f| shard.holds(&f.rel));
        found.errors.retain(|e| shard.holds(&e.rel));
    }
    let part = options
        .shard
        .map_or("part-00000".to_string(), |s| s.part_name());
    let manifest = if options.full {
        None
    } else {
        Manifest::read_current(&output)
    };
    let mut summary = RunSummary {
        xxgk_version: env!("CARGO_PKG_VERSION").to_string(),
        extractor_version: crate::write::EXTRACTOR_VERSION.to_string(),
        input: config.input.root.display().to_string(),
        output: output.display().to_string(),
        threads,
        previous_unreadable,
        ..RunSummary::default()
    };

    // Nothing new, changed or deleted (by size and time alone): the dataset
    // stands as it is, byte for byte.
    if let Some(m) = &manifest {
        // A data file cut short, gone or replaced would stand as it is, unread.
        crate::previous::check_data_files(&output, m.data_files.as_ref())?;
        let same = |path: &str, size: u64, mtime: u64| {
            m.files
                .get(path)
                .is_some_and(|e| e.same_stat(size, mtime, config.input.max_file_bytes))
        };
        let unchanged = found.files.iter().all(|f| same(&f.rel, f.size, f.mtime_ns))
            && found.errors.iter().all(|e| same(&e.rel, 0, 0))
            && m.files.len() == found.files.len() + found.errors.len();
        if let (true, Some(previous)) = (unchanged, RunSummary::read(&output)) {
            summary = RunSummary {
                changes: ChangeCounts {
                    unchanged: m.files.len(),
                    ..ChangeCounts::default()
                },
                threads,
                elapsed_seconds: round(started.elapsed().as_secs_f64()),
                previous_unreadable: None,
                ..previous
            };
            write_atomically(
                &output.join(SUMMARY_FILE),
                &(serde_json::to_string_pretty(&summary)? + "\n"),
            )?;
            return Ok(summary);
        }
    }

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let mut writer = DatasetWriter::create(&staging, &part)?;
    let mut previous = match &manifest {
        Some(_) => Some(PreviousRows::open(&output)?),
        None => None,
    };
    let mut new_manifest = Manifest {
        extractor_version: crate::write::EXTRACTOR_VERSION.to_string(),
        dataset_version: crate::write::DATASET_VERSION.to_string(),
        files: Default::default(),
        data_files: None,
    };

    // Walk errors (a symlink loop, an unreadable folder) are inputs that failed.
    let walk_failures: Vec<ReportRecord> = found.errors.iter().map(walk_failure).collect();
    for (e, r) in found.errors.iter().zip(&walk_failures) {
        tracing::warn!(path = e.rel, "{}", e.reason);
        summary.add(r);
        // Not `unread`: the walk meets the same error, or the file, again.
        let entry = FileEntry {
            size: 0,
            mtime_ns: 0,
            report_id: r.report_id.clone(),
            duplicate_of: None,
            unread: false,
            refused_over: None,
        };
        new_manifest.files.insert(e.rel.clone(), entry);
    }
    // In the run's pool, as every write: the writer's tasks run in the
    // current pool, and outside one they would start rayon's global pool.
    pool.install(|| writer.write(&walk_failures))?;

    let bar = progress_bar(found.files.len() as u64, options.progress);
    let mut first_path_of: HashMap<String, String> = HashMap::new();
    let mut figures: Vec<YearFigures> = Vec::new();
    let max_bytes = config.input.max_file_bytes;
    // Records go to the dataset in input order, one chunk at a time.
    let mut write_chunk = |chunk: &[InputFile], processed: Vec<Processed>| -> anyhow::Result<()> {
        let mut pending: Vec<ReportRecord> = Vec::new();
        for (file, p) in chunk.iter().zip(processed) {
            let (record, mut entry, change) = match p {
                Processed::Reused { path, entry } => {
                    let original = first_path_of.get(&entry.report_id).cloned();
                    let was_duplicate = manifest
                        .as_ref()
                        .and_then(|m| m.files.get(&path))
                        .is_some_and(|e| e.duplicate_of.is_some());
                    // A duplicate is carried over only with the input holding its data.
                    if was_duplicate == original.is_some() {
                        writer.write(&std::mem::take(&mut pending))?;
                        let (rows, year) = previous
                            .as_mut()
                            .expect("previous dataset")
                            .take(&entry.report_id, &path)?;
                        summary.add_reused(&rows[0][0]);
                        figures.extend(figures_of_rows(&rows, &path));
                        writer.copy(&rows, year)?;
                        summary.changes.unchanged += 1;
                        first_path_of
                            .entry(entry.report_id.clone())
                            .or_insert(path.clone());
                        new_manifest.files.insert(
                            path,
                            FileEntry {
                                duplicate_of: original,
                                ..entry
                            },
                        );
                        continue;
                    }
                    let record = process_file(file, max_bytes);
                    (record, entry, Change::Changed)
                }
                Processed::Fresh {
                    record,
                    entry,
                    change,
                } => (record, entry, change),
            };
            let mut record = record;
            match change {
                Change::New => summary.changes.new += 1,
                Change::Changed => summary.changes.changed += 1,
            }
            if !matches!(record.outcome, Outcome::Failed { .. }) {
                match first_path_of.get(&record.report_id) {
                    Some(first) => {
                        record.outcome = Outcome::Duplicate { of: first.clone() };
                        entry.duplicate_of = Some(first.clone());
                    }
                    None => {
                        first_path_of.insert(record.report_id.clone(), record.path.clone());
                    }
                }
            }
            let refused = file.size > max_bytes;
            entry.refused_over = refused.then_some(max_bytes);
            entry.unread =
                !refused && matches!(record.outcome, Outcome::Failed { stage: "read", .. });
            summary.add(&record);
            figures.extend(figures_of_record(&record));
            new_manifest.files.insert(record.path.clone(), entry);
            pending.push(record);
        }
        writer.write(&pending)
    };
    pool.install(|| {
        in_chunks(
            &found.files,
            config.run.chunk_files,
            |f| f.size <= max_bytes && !unchanged(f, manifest.as_ref(), max_bytes),
            |f| {
                let p = process_input(f, manifest.as_ref(), max_bytes);
                bar.inc(1);
                p
            },
            &mut write_chunk,
        )
    })?;
    bar.finish_and_clear();
    if let Ok(mut slot) = PROGRESS.lock() {
        *slot = None;
    }
    pool.install(|| writer.finish())?;
    let cross_year = crate::cross_year::cross_year_checks(&figures);
    if !cross_year.is_empty() {
        let checks: Vec<(String, crate::validate::Check)> =
            cross_year.into_iter().map(|(_, id, c)| (id, c)).collect();
        summary.checks += checks.len();
        summary.checks_failed += checks.iter().filter(|(_, c)| !c.passed).count();
        crate::write::write_checks_file(&staging.join("checks").join(CROSS_YEAR_FILE), &checks)?;
    }
    if let Some(m) = &manifest {
        summary.changes.deleted = m
            .files
            .keys()
            .filter(|p| !new_manifest.files.contains_key(*p))
            .count();
    }
    new_manifest.data_files = Some(crate::previous::data_files(&staging)?);
    summary.elapsed_seconds = round(started.elapsed().as_secs_f64());
    std::fs::write(
        staging.join(MANIFEST_FILE),
        serde_json::to_string(&new_manifest)? + "\n",
    )?;
    std::fs::write(
        staging.join(SUMMARY_FILE),
        serde_json::to_string_pretty(&summary)? + "\n",
    )?;
    before_publish(&staging)?;
    publish(&staging, &output)?;
    Ok(summary)
}

/// Process `files` in chunks of `chunk_files` (smaller at the end, see
/// [`tapered_chunks`]), in parallel within a chunk, and hand each chunk's
/// results to `write` in input order.
///
/// Chunk k is written while chunk k+1 is processed, as the two halves of a
/// `rayon::join` in the current pool: the thread that writes helps process
/// when it is done, so a run keeps exactly the pool's threads busy (one
/// thread does everything in turn), and at most two chunks are in memory
/// at once. Call it inside `pool.install`.
///
/// Beside the write, the pool asks the kernel to read ahead the files of
/// the chunk after, those `will_read` says `process` will read (see
/// [`read_ahead`]). It does so on a pool thread, not a thread of its own:
/// with `--threads 1` a helper thread lent the run a second core (1.04
/// cores busy), and with 2 threads it made three threads share two cores
/// (BENCHMARKS.md, note 26).
pub(crate) fn in_chunks<T: Send>(
    files: &[InputFile],
    chunk_files: usize,
    will_read: impl Fn(&InputFile) -> bool + Sync,
    process: impl Fn(&InputFile) -> T + Sync,
    write: &mut (impl FnMut(&[InputFile], Vec<T>) -> anyhow::Result<()> + Send),
) -> anyhow::Result<()> {
    let mut chunks = tapered_chunks(files, chunk_files).peekable();
    let mut written: Option<(&[InputFile], Vec<T>)> = None;
    // The first chunk is read ahead with the second, as its processing
    // starts (on one thread, just before): its workers then wait on one
    // read each while the rest of it is already on the way.
    let mut ahead = chunks.peek().copied();
    loop {
        let next = chunks.next();
        if next.is_none() && written.is_none() {
            return Ok(());
        }
        let hint = [ahead.take(), chunks.peek().copied()];
        let (wrote, processed) = rayon::join(
            || {
                // Hints and write are two halves too, so that on many cores
                // an idle thread takes the write while the hints are given
                // (one thread alone gives the hints, then writes).
                let ((), wrote) = rayon::join(
                    || {
                        let paths = hint.into_iter().flatten().flatten();
                        read_ahead(paths.filter(|f| will_read(f)).map(|f| f.path.as_path()));
                    },
                    || match written.take() {
                        Some((chunk, results)) => write(chunk, results),
                        None => Ok(()),
                    },
                );
                wrote
            },
            || next.map(|chunk| chunk.par_iter().map(&process).collect::<Vec<_>>()),
        );
        wrote?;
        written = next.zip(processed);
    }
}

/// The smallest chunk the tail of a run is cut into (see [`tapered_chunks`]).
const TAIL_CHUNK_FILES: usize = 16;

/// `items` in chunks of `size`, except the last `size` or fewer, which are
/// cut in halves, a quarter, an eighth and so on down to
/// [`TAIL_CHUNK_FILES`]: 3,000 files in chunks of 512 are 5 × 512, then
/// 220, 110, 55, 28, 14 and 13.
///
/// Why: [`in_chunks`] writes a chunk while it processes the next, so the
/// last chunk is written with nothing else to do. Writing 512 records takes
/// about 40 ms, on one core while the others wait; after chunks that halve,
/// each write overlaps the processing of a chunk half its size (writing a
/// record takes a fifth to a third of the time two cores take to process
/// one), and the lone last write is of a dozen records. That saves a few
/// percent of a run of a few thousand pages (BENCHMARKS.md, note 24).
fn tapered_chunks<T>(items: &[T], size: usize) -> impl Iterator<Item = &[T]> {
    let size = size.max(1);
    let mut rest = items;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let take = if rest.len() > size {
            size
        } else if rest.len() > TAIL_CHUNK_FILES {
            rest.len().div_ceil(2)
        } else {
            rest.len()
        };
        let (chunk, after) = rest.split_at(take);
        rest = after;
        Some(chunk)
    })
}

/// Ask the kernel to start reading `paths` into its page cache
/// (`POSIX_FADV_WILLNEED`), without waiting for the disk.
///
/// Why: each worker reads its page with one blocking read, so on a cold
/// cache a 2-thread run had no more than two reads in flight and left a
/// fifth of its two cores idle, waiting on the disk (BENCHMARKS.md, note
/// 22). With the next chunk's reads already under way, the workers' reads
/// find their pages in memory. A hint only: a file that cannot be opened
/// here is the worker's to read and report.
fn read_ahead<'a>(paths: impl Iterator<Item = &'a Path>) {
    #[cfg(target_os = "linux")]
    for path in paths {
        use std::os::fd::AsRawFd;
        if let Ok(file) = std::fs::File::open(path) {
            // SAFETY: the descriptor stays open for the call's duration;
            // the advice changes no data, and its result is ignored.
            unsafe { libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_WILLNEED) };
        }
    }
    #[cfg(not(target_os = "linux"))]
    drop(paths);
}

/// Combine the datasets written by the shards of one corpus into one
/// dataset at `output`: every shard's Parquet files side by side (hard
/// links where the file system allows, copies otherwise), the summaries
/// added up. Published like a run's dataset: all at once, never half.
pub fn merge(
    shards: &[PathBuf],
    output: &Path,
    before_publish: BeforePublish<'_>,
) -> anyhow::Result<RunSummary> {
    anyhow::ensure!(!shards.is_empty(), "merge needs at least one shard dataset");
    let _lock = OutputLock::acquire(output)?;
    let staging = sibling(output, "staging");
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    let mut shards = shards.to_vec();
    shards.sort();
    let mut summary = RunSummary {
        xxgk_version: env!("CARGO_PKG_VERSION").to_string(),
        extractor_version: crate::write::EXTRACTOR_VERSION.to_string(),
        output: output.display().to_string(),
        ..RunSummary::default()
    };
    let mut inputs = Vec::new();
    for (i, shard) in shards.iter().enumerate() {
        let s = RunSummary::read(shard).ok_or_else(|| {
            anyhow::anyhow!(
                "{} is not an xxgk dataset (no {SUMMARY_FILE})",
                shard.display()
            )
        })?;
        anyhow::ensure!(
            s.extractor_version == summary.extractor_version,
            "{} was written by extractor version {}, not {}",
            shard.display(),
            s.extractor_version,
            summary.extractor_version
        );
        for table in crate::write::TABLES {
            let dir = staging.join(table);
            std::fs::create_dir_all(&dir)?;
            for rel in parquet_files_under(&shard.join(table))? {
                let part = shard.join(table).join(&rel);
                let name = rel
                    .file_name()
                    .expect("file name")
                    .to_string_lossy()
                    .into_owned();
                let folder = dir.join(rel.parent().unwrap_or(Path::new("")));
                std::fs::create_dir_all(&folder)?;
                // Two shards that both wrote part-00000 must not collide.
                let target = if folder.join(&name).exists() {
                    folder.join(format!("{i:05}-{name}"))
                } else {
                    folder.join(name)
                };
                if std::fs::hard_link(&part, &target).is_err() {
                    std::fs::copy(&part, &target)?;
                }
            }
        }
        inputs.push(s.input.clone());
        summary.files += s.files;
        for (k, v) in s.by_status {
            *summary.by_status.entry(k).or_default() += v;
        }
        summary.cells += s.cells;
        summary.cells_null += s.cells_null;
        summary.checks += s.checks;
        summary.checks_failed += s.checks_failed;
        summary.reports_failing_checks += s.reports_failing_checks;
    }
    inputs.dedup();
    summary.input = inputs.join(", ");
    // No manifest: the merged rows are not in one path order, so a run on
    // this folder extracts everything (each shard keeps its own manifest).
    std::fs::write(
        staging.join(SUMMARY_FILE),
        serde_json::to_string_pretty(&summary)? + "\n",
    )?;
    before_publish(&staging)?;
    publish(&staging, output)?;
    Ok(summary)
}

/// The Parquet files below `dir` (partitions included), relative to it, sorted.
pub(crate) fn parquet_files_under(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for entry in std::fs::read_dir(dir.join(&rel))? {
            let entry = entry?;
            let rel = rel.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                stack.push(rel);
            } else if rel.extension().is_some_and(|e| e == "parquet") {
                out.push(rel);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn round(seconds: f64) -> f64 {
    (seconds * 10.0).round() / 10.0
}

/// Replace a small file so that readers see the old text or the new.
fn write_atomically(path: &Path, text: &str) -> anyhow::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

/// The bar on screen, if any: log lines are written around it.
static PROGRESS: std::sync::Mutex<Option<indicatif::ProgressBar>> = std::sync::Mutex::new(None);

/// Where log lines go: standard error, drawn above the progress bar rather
/// than through it. Give it to `tracing_subscriber::fmt().with_writer`.
pub fn log_writer() -> impl std::io::Write {
    LogWriter
}

struct LogWriter;

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let bar = PROGRESS.lock().ok().and_then(|b| b.clone());
        match bar {
            Some(bar) => bar
                .suspend(|| std::io::stderr().write_all(buf))
                .map(|_| buf.len()),
            None => std::io::stderr().write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

fn progress_bar(len: u64, show: bool) -> indicatif::ProgressBar {
    if !show || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(mut slot) = PROGRESS.lock() {
        *slot = Some(bar.clone());
    }
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} files · {per_sec} · ETA {eta}",
        )
        .expect("progress template"),
    );
    bar
}

/// `<parent>/.<name>.<suffix>`: beside the output, on the same file system,
/// so a rename can move it into place.
fn sibling(output: &Path, suffix: &str) -> PathBuf {
    let name = output
        .file_name()
        .map_or("out".into(), |n| n.to_string_lossy().into_owned());
    output.with_file_name(format!(".{name}.{suffix}"))
}

/// Replace `output` by `staging` so that readers see the old dataset or the
/// new one, never a mix: one atomic exchange of the two folders where the
/// system has it, then the old one is removed.
fn publish(staging: &Path, output: &Path) -> anyhow::Result<()> {
    if !output.exists() {
        std::fs::rename(staging, output)?;
        return Ok(());
    }
    let is_ours =
        output.join(SUMMARY_FILE).is_file() || std::fs::read_dir(output)?.next().is_none();
    anyhow::ensure!(
        is_ours,
        "output folder {} exists and is not an xxgk dataset (no {SUMMARY_FILE}); refusing to replace it",
        output.display()
    );
    if exchange(staging, output).is_err() {
        // No atomic exchange here: two renames, with a short window in which
        // the dataset is absent (but never half-written).
        let old = sibling(output, "old");
        if old.exists() {
            std::fs::remove_dir_all(&old)?;
        }
        std::fs::rename(output, &old)?;
        std::fs::rename(staging, output)?;
        std::fs::remove_dir_all(&old)?;
        return Ok(());
    }
    std::fs::remove_dir_all(staging)?;
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both paths are valid NUL-terminated strings for the call's duration.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "no atomic exchange",
    ))
}

/// A lock file beside the output: one run writes a dataset at a time.
struct OutputLock {
    path: PathBuf,
}

impl OutputLock {
    fn acquire(output: &Path) -> anyhow::Result<OutputLock> {
        if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        let path = sibling(output, "lock");
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    use std::io::Write;
                    writeln!(f, "{}", std::process::id())?;
                    return Ok(OutputLock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let pid = std::fs::read_to_string(&path)
                        .unwrap_or_default()
                        .trim()
                        .parse::<u32>()
                        .ok();
                    match pid {
                        Some(pid) if process_alive(pid) => anyhow::bail!(
                            "another xxgk run (pid {pid}) is writing {}; lock file {}",
                            output.display(),
                            path.display()
                        ),
                        // The run that held it is gone (killed): take it over.
                        _ => std::fs::remove_file(&path)?,
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
        anyhow::bail!("could not take the lock {}", path.display())
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true // cannot tell: be safe, treat the lock as held
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizes(n: usize, size: usize) -> Vec<usize> {
        let items: Vec<usize> = (0..n).collect();
        let chunks: Vec<&[usize]> = tapered_chunks(&items, size).collect();
        // Every item once, in order.
        assert_eq!(chunks.concat(), items);
        chunks.iter().map(|c| c.len()).collect()
    }

    #[test]
    fn the_last_chunk_is_cut_in_halves_down_to_the_smallest() {
        assert_eq!(
            sizes(3000, 512),
            [512, 512, 512, 512, 512, 220, 110, 55, 28, 14, 13]
        );
        assert_eq!(sizes(1024, 512), [512, 256, 128, 64, 32, 16, 16]);
        assert_eq!(sizes(100, 512), [50, 25, 13, 12]);
    }

    #[test]
    fn few_files_are_one_chunk_and_none_are_no_chunk() {
        assert_eq!(sizes(11, 512), [11]);
        assert_eq!(sizes(16, 512), [16]);
        assert_eq!(sizes(0, 512), Vec::<usize>::new());
        assert_eq!(sizes(3, 1), [1, 1, 1]);
        assert_eq!(sizes(3, 0), [1, 1, 1]);
    }
}
