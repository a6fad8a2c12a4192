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
