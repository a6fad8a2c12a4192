//! `pipeline.toml`: what to read, where to write, how hard to work.
//! Relative paths are taken from the config file's folder, so a run does
//! not depend on the directory it is started from.

use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[derive(Default)]
pub struct Config {
    pub input: InputConfig,
    pub output: OutputConfig,
    pub run: RunConfig,
    pub exports: ExportsConfig,
}

/// Summary CSV files written with each dataset (`<output>/<dir>/*.csv`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ExportsConfig {
    pub enabled: bool,
    /// Folder inside the dataset root.
    pub dir: String,
    /// Start each file with a UTF-8 byte-order mark, so that Excel opens the
    /// Chinese text correctly.
    pub bom: bool,
    /// Which summaries: by_year, by_year_province, by_year_prefecture,
    /// agencies, missing_reports, data_quality.
    pub files: Vec<String>,
}

pub const EXPORTS: [&str; 6] = [
    "by_year",
    "by_year_province",
    "by_year_prefecture",
    "agencies",
    "missing_reports",
    "data_quality",
];

impl Default for ExportsConfig {
    fn default() -> Self {
        ExportsConfig {
            enabled: true,
            dir: "exports".to_string(),
            bom: true,
            files: EXPORTS.map(String::from).to_vec(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct InputConfig {
    /// Folder of saved report pages.
    pub root: PathBuf,
    /// Globs (matched against the path relative to `root`) of files to read.
    pub include: Vec<String>,
    /// Globs of files to leave out even when included.
    pub exclude: Vec<String>,
    /// Larger files are recorded as errors without being read.
    pub max_file_bytes: u64,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct OutputConfig {
    /// Folder of the dataset (`reports/`, `cells/`, `sections/`, `checks/`).
    pub root: PathBuf,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RunConfig {
    /// Threads the run keeps busy (extracting and writing share them); 0 means one per core.
    pub threads: usize,
    /// Exit with code 3 when more than this share of inputs failed.
    pub max_error_ratio: f64,
    /// Files handed to the workers at a time; bounds memory.
    pub chunk_files: usize,
}

impl Default for InputConfig {
    fn default() -> Self {
        InputConfig {
            root: PathBuf::from("data"),
            include: ["**/*.html", "**/*.htm", "**/*.shtml", "**/*.txt"]
                .map(String::from)
                .to_vec(),
            exclude: Vec::new(),
            max_file_bytes: 16 * 1024 * 1024,
        }
    }
}

impl Default for OutputConfig {
    fn default() -> Self {
        OutputConfig {
            root: PathBuf::from("out"),
        }
    }
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            threads: 0,
            max_error_ratio: 0.5,
            chunk_files: 512,
        }
    }
}

impl Config {
    /// Read a config file; relative paths in it are resolved against its folder.
    pub fn load(path: &Path) -> anyhow::Result<Config> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read config {}: {e}", path.display()))?;
        let mut config: Config = toml::from_str(&text)
            .map_err(|e| anyhow::anyhow!("invalid config {}: {e}", path.display()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        config.input.root = base.join(&config.input.root);
        config.output.root = base.join(&config.output.root);
        config.validate()?;
        Ok(config)
    }

    pub fn validate(&self) -> anyhow::Result<()> {
        anyhow::ensure!(
            !self.input.include.is_empty(),
            "input.include must name at least one glob"
        );
        anyhow::ensure!(
            (0.0..=1.0).contains(&self.run.max_error_ratio),
            "run.max_error_ratio must be between 0 and 1"
        );
        anyhow::ensure!(self.run.chunk_files > 0, "run.chunk_files must be positive");
        for f in &self.exports.files {
            anyhow::ensure!(
                EXPORTS.contains(&f.as_str()),
                "exports.files: unknown summary {f:?} (known: {})",
                EXPORTS.join(", ")
            );
        }
        anyhow::ensure!(
            self.input.max_file_bytes > 0,
            "input.max_file_bytes must be positive"
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_follow_the_config_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pipeline.toml");
        std::fs::write(&path, "[input]\nroot = \"pages\"\n[run]\nthreads = 2\n").unwrap();
        let c = Config::load(&path).unwrap();
        assert_eq!(c.input.root, dir.path().join("pages"));
        assert_eq!(c.output.root, dir.path().join("out"));
        assert_eq!(c.run.threads, 2);
        assert_eq!(c.input.max_file_bytes, 16 * 1024 * 1024);
    }

    #[test]
    fn unknown_keys_are_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pipeline.toml");
        std::fs::write(&path, "[input]\nrot = \"pages\"\n").unwrap();
        let err = Config::load(&path).unwrap_err().to_string();
        assert!(err.contains("rot"), "{err}");
    }
}
