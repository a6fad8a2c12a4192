//! What processing one input file yields: the unit the writer writes and
//! `inspect` prints.

use crate::extract::Extraction;
use crate::validate::Check;

/// Everything known about one input file after all stages.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRecord {
    /// First 16 hex digits of the BLAKE3 hash of the file's bytes: the same
    /// content has the same id in every run, wherever it is stored.
    pub report_id: String,
    /// Relative to the input root, `/`-separated.
    pub path: String,
    pub bytes: u64,
    pub encoding: Option<Encoding>,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Encoding {
    pub name: &'static str,
    pub source: &'static str,
    /// Malformed bytes were replaced while decoding.
    pub had_errors: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Extracted {
        extraction: Box<Extraction>,
        checks: Vec<Check>,
    },
    /// A stage could not go on; the run does.
    Failed { stage: &'static str, reason: String },
    /// Same bytes as the input at `of` (which carries the data).
    Duplicate { of: String },
}

impl ReportRecord {
    pub fn extraction(&self) -> Option<&Extraction> {
        match &self.outcome {
            Outcome::Extracted { extraction, .. } => Some(extraction),
            _ => None,
        }
    }

    pub fn checks(&self) -> &[Check] {
        match &self.outcome {
            Outcome::Extracted { checks, .. } => checks,
            _ => &[],
        }
    }

    pub fn status(&self) -> crate::extract::Status {
        match &self.outcome {
            Outcome::Extracted { extraction, .. } => extraction.status,
            Outcome::Failed { .. } => crate::extract::Status::Error,
            Outcome::Duplicate { .. } => crate::extract::Status::Duplicate,
        }
    }

    /// What a reader of the data should know about how the file was read.
    pub fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        if let Some(e) = self.encoding.as_ref().filter(|e| e.had_errors) {
            w.push(format!(
                "malformed bytes replaced while decoding as {}",
                e.name
            ));
        }
        if let Some(ex) = self.extraction() {
            w.extend(ex.warnings.iter().cloned());
        }
        w
    }

    /// Why the report is not `ok`, in words.
    pub fn status_reason(&self) -> Option<String> {
        match &self.outcome {
            Outcome::Extracted { extraction, .. } => extraction.status_reason.clone(),
            Outcome::Failed { stage, reason } => Some(format!("{stage}: {reason}")),
            Outcome::Duplicate { of } => Some(format!("same content as {of}")),
        }
    }
}

/// The stable id of a file's content.
pub fn report_id(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..16].to_string()
}

/// The statuses of a report with figures, best read first. A crawl may hold
/// one agency's year twice in bytes that differ (a page and its text dump, a
/// portal's repost); the summaries and the cross-year checks count one copy,
/// the one whose [`Standing`] is least.
pub const STATUS_PREFERENCE: [&str; 3] = ["ok", "partial", "no_tables"];

/// How well a report was read, ordered best first: its status in
/// [`STATUS_PREFERENCE`], then the most cells read, then the fewest failing
/// checks. Ties go to the first path, which the caller compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Standing {
    status_rank: usize,
    cells_read: std::cmp::Reverse<usize>,
    checks_failed: usize,
}

impl Standing {
    /// From the figures the `reports` table keeps for a report.
    pub fn new(status: &str, cells_read: usize, checks_failed: usize) -> Standing {
        Standing {
            status_rank: STATUS_PREFERENCE
                .iter()
                .position(|s| *s == status)
                .unwrap_or(STATUS_PREFERENCE.len()),
            cells_read: std::cmp::Reverse(cells_read),
            checks_failed,
        }
    }

    pub fn of(record: &ReportRecord) -> Standing {
        let cells_read = record
            .extraction()
            .map_or(0, |e| e.cells().filter(|c| c.value.is_some()).count());
        let failed = record.checks().iter().filter(|c| !c.passed).count();
        Standing::new(record.status().as_str(), cells_read, failed)
    }
}

#[cfg(test)]
mod tests {
    use super::Standing;

    #[test]
    fn the_copy_read_best_stands_first() {
        // Pingtan 2022: the Word page read whole against its text dump,
        // whose run `8855698` leaves 3 cells of part 1 null.
        let page = Standing::new("ok", 200, 0);
        let dump = Standing::new("partial", 197, 0);
        assert!(page < dump);
        // Status comes before the cells read.
        assert!(Standing::new("partial", 10, 0) < Standing::new("no_tables", 200, 0));
        assert!(Standing::new("ok", 200, 1) < Standing::new("ok", 199, 0));
        assert!(Standing::new("ok", 200, 0) < Standing::new("ok", 200, 2));
        assert!(Standing::new("no_tables", 0, 0) < Standing::new("error", 0, 0));
    }
}
