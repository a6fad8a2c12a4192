//! Derives the extractor's version from the code and data that turn a page
//! into rows, so that an incremental run after any change to them extracts
//! every page again rather than keep rows the old code wrote.
//!
//! The version used to be a number bumped by hand; 45 commits changed what
//! extraction gives under the same number, and a nightly job that had
//! started before them kept their old rows for every unchanged page.
//! Hashing the sources errs the other way: a change to a comment also
//! re-reads the corpus once, which costs minutes, where a stale row costs
//! a wrong dataset.

use std::path::{Path, PathBuf};

/// Modules of the binary that never shape a row: the CLI, the summary CSVs
/// (rebuilt from the dataset on every run), `inspect`'s printing and the
/// stage timings. Checks across years are made again on every run too.
const NOT_EXTRACTION: &[&str] = &[
    "src/main.rs",
    "src/exports.rs",
    "src/inspect.rs",
    "src/bench.rs",
    "src/cross_year.rs",
];

/// Beside `src/`: the divisions that place an agency, and the locked
/// versions of the crates that decode, tokenize and convert script.
const DATA: &[&str] = &["data/reference/divisions.csv", "Cargo.lock"];

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut files = Vec::new();
    rust_files(&root, Path::new("src"), &mut files);
    files.retain(|f| !NOT_EXTRACTION.contains(&f.as_str()));
    files.extend(DATA.iter().map(|f| f.to_string()));
    files.sort();
    let mut hasher = blake3::Hasher::new();
    for file in &files {
        let bytes = std::fs::read(root.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        hasher.update(file.as_bytes());
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    println!(
        "cargo:rustc-env=XXGK_EXTRACTOR_VERSION={}",
        &hasher.finalize().to_hex()[..16]
    );
    println!("cargo:rerun-if-changed=src");
    for file in DATA {
        println!("cargo:rerun-if-changed={file}");
    }
}

/// The `.rs` files under `dir`, as `/`-separated paths relative to `root`.
fn rust_files(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(root.join(dir)).expect("src/ is readable") {
        let path = dir.join(entry.expect("src/ is readable").file_name());
        if root.join(&path).is_dir() {
            rust_files(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let parts: Vec<_> = path.iter().map(|p| p.to_string_lossy()).collect();
            out.push(parts.join("/"));
        }
    }
}
