//! The previous dataset as the cache of an incremental run.
//!
//! A manifest beside the data (`manifest.json`) records, for every input of
//! the last run, its size, modification time and content id. An input whose
//! size and time are unchanged is not read again; one whose time moved is
//! hashed, and if its content is the same its rows are not extracted again
//! either. Those rows are copied from the previous Parquet files by cursors
//! that only move forward: both datasets are in path order, so the rows of
//! the unchanged inputs come in the same order in both, and memory holds one
//! batch per table whatever the corpus size.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::Context;

use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::Int32Type;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use serde::{Deserialize, Serialize};

pub const MANIFEST_FILE: &str = "manifest.json";

/// What the last run knew of each input.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub extractor_version: String,
    pub dataset_version: String,
    /// By input path.
    pub files: BTreeMap<String, FileEntry>,
    /// The data files the run wrote (see [`data_files`]), so that the next
    /// run notices one deleted, swapped or added: without it, a dataset
    /// left as it is would keep a lost file lost until an input changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_files: Option<BTreeMap<String, DataFile>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileEntry {
    pub size: u64,
    pub mtime_ns: u64,
    pub report_id: String,
    /// For a duplicate: the input that holds its data (reused only with it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
    /// The run could not read the file: the next run reads it again
    /// whatever its size and time, since the cause may have passed (a share
    /// that was down) and its data would be missing until then.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unread: bool,
    /// The `input.max_file_bytes` the file was refused over: a run under
    /// another limit takes it again, one under the same limit does not (a
    /// giant file would otherwise cost every warm run its fast path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused_over: Option<u64>,
}

impl FileEntry {
    /// Whether a file of this size and modification time is the one
    /// recorded, and was read or refused under this `max_bytes`: a run
    /// takes it as unchanged without reading it.
    pub fn same_stat(&self, size: u64, mtime_ns: u64, max_bytes: u64) -> bool {
        !self.unread
            && self.refused_over.is_none_or(|limit| limit == max_bytes)
            && self.size == size
            && self.mtime_ns == mtime_ns
    }
}

impl Manifest {
    pub fn read(dataset: &Path) -> Option<Manifest> {
        let text = std::fs::read_to_string(dataset.join(MANIFEST_FILE)).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// A manifest the current extractor can reuse.
    pub fn read_current(dataset: &Path) -> Option<Manifest> {
        Manifest::read(dataset).filter(|m| {
            m.extractor_version == crate::write::EXTRACTOR_VERSION
                && m.dataset_version == crate::write::DATASET_VERSION
        })
    }
}

/// One table of the previous dataset, read forward.
struct Cursor {
    files: Vec<PathBuf>,
    reader: Option<ParquetRecordBatchReader>,
    batch: Option<RecordBatch>,
    row: usize,
}

impl Cursor {
    /// The run's part files in `dir` (none if it does not exist).
    fn open(dir: &Path) -> anyhow::Result<Cursor> {
        let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(entries) => entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
                // Only the run's own part files: cross-year checks lie beside them.
                .filter(|p| {
                    p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with("part-"))
                })
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e.into()),
        };
        files.sort();
        files.reverse(); // popped from the end
        Ok(Cursor {
            files,
            reader: None,
            batch: None,
            row: 0,
        })
    }

    /// The batch holding the next row, loading more as needed.
    fn current(&mut self) -> anyhow::Result<Option<&RecordBatch>> {
        loop {
            if self.batch.as_ref().is_some_and(|b| self.row < b.num_rows()) {
                return Ok(self.batch.as_ref());
            }
            self.batch = None;
            self.row = 0;
            if let Some(reader) = self.reader.as_mut() {
                if let Some(b) = reader.next() {
                    self.batch = Some(b?);
                    continue;
                }
            }
            let Some(file) = self.files.pop() else {
                return Ok(None);
            };
            self.reader =
                Some(ParquetRecordBatchReaderBuilder::try_new(File::open(file)?)?.build()?);
        }
    }

    /// The next `n` rows of report `id`, skipping rows of reports that are
    /// not carried over (changed or deleted inputs).
    fn take(&mut self, id: &str, n: usize) -> anyhow::Result<Vec<RecordBatch>> {
        let mut out = Vec::new();
        let mut left = n;
        while left > 0 {
            if self.current()?.is_none() {
                anyhow::bail!("previous dataset ends before the rows of report {id}");
            }
            let batch = self.batch.as_ref().expect("current batch");
            let ids = batch.column(0).as_string::<i32>();
            let start = self.row;
            if ids.value(start) != id {
                self.row += 1;
                continue;
            }
            let mut end = start;
            while end < batch.num_rows() && end - start < left && ids.value(end) == id {
                end += 1;
            }
            out.push(batch.slice(start, end - start));
            left -= end - start;
            self.row = end;
        }
        Ok(out)
    }
}

/// The previous dataset could not be read as the manifest describes it (a
/// part file truncated or deleted, rows missing): the run extracts every
/// input again rather than fail every night until someone runs `--full`.
#[derive(Debug)]
pub struct Unreadable(pub String);

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the previous dataset could not be read: {}", self.0)
    }
}

impl std::error::Error for Unreadable {}

fn unreadable(e: anyhow::Error) -> anyhow::Error {
    anyhow::Error::new(Unreadable(format!("{e:#}")))
}

/// A data file as its run wrote it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct DataFile {
    /// As its footer says.
    pub rows: i64,
    /// Its length: a file of another run (a backup restored over it) most
    /// likely holds the same rows in another length.
    pub bytes: u64,
}

/// Every Parquet file under the dataset's table folders, by its path from
/// `dataset` (with `/`).
///
/// Only footers are read (a few kilobytes a file): this is what a run
/// records of the dataset it writes, and what the next run checks before it
/// leaves that dataset as it is.
pub fn data_files(dataset: &Path) -> anyhow::Result<BTreeMap<String, DataFile>> {
    let mut out = BTreeMap::new();
    for table in crate::write::TABLES {
        let dir = dataset.join(table);
        if !dir.is_dir() {
            continue;
        }
        for rel in crate::pipeline::parquet_files_under(&dir)? {
            let path = dir.join(&rel);
            let file = File::open(&path)
                .map_err(anyhow::Error::from)
                .and_then(|f| {
                    let bytes = f.metadata()?.len();
                    let footer = ParquetRecordBatchReaderBuilder::try_new(f)?;
                    let rows = footer.metadata().file_metadata().num_rows();
                    Ok(DataFile { rows, bytes })
                })
                .with_context(|| path.display().to_string())?;
            let key: Vec<String> = std::iter::once(table.to_string())
                .chain(rel.iter().map(|c| c.to_string_lossy().into_owned()))
                .collect();
            out.insert(key.join("/"), file);
        }
    }
    Ok(out)
}

/// The previous dataset holds the data files its run recorded, each whole
/// (a footer that opens) and with the rows it was written with: the check
/// a run makes before it leaves a dataset as it is because no input changed.
/// A file cut short, deleted, added since, or replaced by one of other rows
/// or length is [`Unreadable`] (a replacement of the same rows and length,
/// which would take a read of every byte to find, is not). A manifest that
/// recorded no files (`None`) has its footers checked alone.
pub fn check_data_files(
    dataset: &Path,
    recorded: Option<&BTreeMap<String, DataFile>>,
) -> anyhow::Result<()> {
    let found = data_files(dataset).map_err(unreadable)?;
    let Some(recorded) = recorded else {
        return Ok(());
    };
    let differs = |what: String| Err(anyhow::Error::new(Unreadable(what)));
    for (file, written) in recorded {
        match found.get(file) {
            None => return differs(format!("{file} is gone")),
            Some(now) if now != written => {
                return differs(format!(
                    "{file} holds {} rows in {} bytes, not the {} rows in {} bytes written",
                    now.rows, now.bytes, written.rows, written.bytes
                ))
            }
            Some(_) => {}
        }
    }
    if let Some(file) = found.keys().find(|f| !recorded.contains_key(*f)) {
        return differs(format!("{file} was not written by the last run"));
    }
    Ok(())
}

/// The rows of the previous dataset, handed out report by report.
pub struct PreviousRows {
    dataset: PathBuf,
    /// Per table (in [`crate::write::TABLES`] order), a cursor per
    /// partition: `None` for a table's own folder, `Some(year)` for a year.
    cursors: Vec<BTreeMap<Option<Option<i32>>, Cursor>>,
}

/// The rows one report holds in each table, in the writer's table order.
pub type ReportRows = [Vec<RecordBatch>; 7];

impl PreviousRows {
    pub fn open(dataset: &Path) -> anyhow::Result<PreviousRows> {
        Ok(PreviousRows {
            dataset: dataset.to_path_buf(),
            cursors: crate::write::TABLES
                .iter()
                .map(|_| BTreeMap::new())
                .collect(),
        })
    }

    fn take_from(
        &mut self,
        t: usize,
        year: Option<i32>,
        id: &str,
        n: usize,
    ) -> anyhow::Result<Vec<RecordBatch>> {
        if n == 0 {
            return Ok(Vec::new());
        }
        let table = crate::write::TABLES[t];
        let key = crate::write::is_partitioned(table).then_some(year);
        let cursor = match self.cursors[t].entry(key) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => {
                let dir = match key {
                    Some(year) => self
                        .dataset
                        .join(table)
                        .join(crate::write::partition_dir(year)),
                    None => self.dataset.join(table),
                };
                e.insert(Cursor::open(&dir)?)
            }
        };
        cursor.take(id, n)
    }

    /// Every row of report `id` (input `path`), in table order, and the
    /// report's year (its partition). An error is [`Unreadable`].
    pub fn take(&mut self, id: &str, path: &str) -> anyhow::Result<(ReportRows, Option<i32>)> {
        self.take_rows(id, path).map_err(unreadable)
    }

    fn take_rows(&mut self, id: &str, path: &str) -> anyhow::Result<(ReportRows, Option<i32>)> {
        // The reports row says how many rows the report has elsewhere.
        let report = loop {
            let row = self.take_from(0, None, id, 1)?;
            let row = row.into_iter().next().context("no reports row")?;
            if report_text(&row, "path")? == Some(path) {
                break row;
            }
        };
        let count = |name: &str| -> anyhow::Result<usize> {
            Ok(report_int(&report, name)?.unwrap_or(0).max(0) as usize)
        };
        let year = report_int(&report, "year")?;
        let status = report_text(&report, "status")?.unwrap_or_default();
        let n_indicators = usize::from(crate::write::has_indicators(status));
        let (n_cells, n_sections, n_checks) =
            (count("n_cells")?, count("n_sections")?, count("n_checks")?);
        let (n_facts, n_grid_cells) = (count("n_facts")?, count("n_grid_cells")?);
        let rows = [
            vec![report.clone()],
            self.take_from(1, year, id, n_cells)?,
            self.take_from(2, year, id, n_sections)?,
            self.take_from(3, year, id, n_checks)?,
            self.take_from(4, year, id, n_indicators)?,
            self.take_from(5, year, id, n_facts)?,
            self.take_from(6, year, id, n_grid_cells)?,
        ];
        Ok((rows, year))
    }
}

/// A text field of a report's row in the `reports` table (null as None).
pub fn report_text<'b>(report: &'b RecordBatch, name: &str) -> anyhow::Result<Option<&'b str>> {
    let col = report
        .column_by_name(name)
        .with_context(|| format!("no {name} column"))?;
    let text = col.as_string_opt::<i32>().context(name.to_string())?;
    Ok((!col.is_null(0)).then(|| text.value(0)))
}

/// An integer field of a report's row in the `reports` table (null as None).
pub fn report_int(report: &RecordBatch, name: &str) -> anyhow::Result<Option<i32>> {
    let col = report
        .column_by_name(name)
        .with_context(|| format!("no {name} column"))?;
    let ints = col
        .as_primitive_opt::<Int32Type>()
        .context(name.to_string())?;
    Ok((!col.is_null(0)).then(|| ints.value(0)))
}

/// How an input that is extracted again stands against the previous run
/// (unchanged ones are carried over, not extracted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    New,
    Changed,
}

/// Counts for the run summary.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ChangeCounts {
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub deleted: usize,
}

/// Nanoseconds since the epoch of a file's modification time (0 if unknown).
pub fn mtime_ns(meta: &std::fs::Metadata) -> u64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64)
}

#[cfg(test)]
mod tests {
    use super::FileEntry;

    #[test]
    fn an_input_not_read_is_never_taken_as_unchanged() {
        let read = FileEntry {
            size: 16_385,
            mtime_ns: 7,
            report_id: "ade5f204a3ba6d88".into(),
            duplicate_of: None,
            unread: false,
            refused_over: None,
        };
        assert!(read.same_stat(16_385, 7, 10_000));
        assert!(!read.same_stat(16_385, 8, 10_000));
        // A read error: tried again on every run.
        let unread = FileEntry {
            unread: true,
            ..read.clone()
        };
        assert!(!unread.same_stat(16_385, 7, 10_000));
        // Refused over 10,000 bytes: taken again only under another limit.
        let refused = FileEntry {
            refused_over: Some(10_000),
            ..read
        };
        assert!(refused.same_stat(16_385, 7, 10_000));
        assert!(!refused.same_stat(16_385, 7, 16_777_216));
    }
}
