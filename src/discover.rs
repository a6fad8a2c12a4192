//! Stage 1: find the input files.
//!
//! The walk runs in parallel (`ignore`'s walker), follows symbolic links
//! and reports loops instead of following them forever. Its result is
//! sorted by relative path, so everything after it is independent of the
//! file system's order.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use globset::{GlobSet, GlobSetBuilder};

/// A file to read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct InputFile {
    /// Relative to the input root, `/`-separated.
    pub rel: String,
    pub path: PathBuf,
    pub size: u64,
    /// Modification time, nanoseconds since the epoch (0 if unknown).
    pub mtime_ns: u64,
}

/// Something the walk could not read (a loop, a permission error).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct WalkError {
    pub rel: String,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<InputFile>,
    pub errors: Vec<WalkError>,
}

fn globset(patterns: &[String]) -> anyhow::Result<GlobSet> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        // Sites save `.HTML` and `.Shtml` as often as `.html`.
        let glob = globset::GlobBuilder::new(p).case_insensitive(true).build();
        b.add(glob.map_err(|e| anyhow::anyhow!("bad glob {p:?}: {e}"))?);
    }
    Ok(b.build()?)
}

/// Walk `root` with `threads` threads, keeping files that match `include`
/// and not `exclude`.
pub fn discover(
    root: &Path,
    include: &[String],
    exclude: &[String],
    threads: usize,
) -> anyhow::Result<Discovered> {
    anyhow::ensure!(
        root.is_dir(),
        "input folder {} does not exist",
        root.display()
    );
    let include = globset(include)?;
    let exclude = globset(exclude)?;
    let found = Mutex::new(Discovered::default());
    let walker = ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .hidden(true)
        .follow_links(true)
        .threads(threads)
        .build_parallel();
    walker.run(|| {
        let (include, exclude, found) = (&include, &exclude, &found);
        Box::new(move |entry| {
            match entry {
                Ok(entry) => {
                    if entry.file_type().is_some_and(|t| t.is_file()) {
                        let rel = relative(root, entry.path());
                        if include.is_match(&rel) && !exclude.is_match(&rel) {
                            let meta = entry.metadata().ok();
                            let size = meta.as_ref().map_or(0, |m| m.len());
                            let mtime_ns = meta.as_ref().map_or(0, crate::previous::mtime_ns);
                            let file = InputFile {
                                rel,
                                path: entry.into_path(),
                                size,
                                mtime_ns,
                            };
                            found.lock().expect("walk lock").files.push(file);
                        }
                    }
                }
                Err(err) => {
                    let rel = error_path(&err)
                        .map(|p| relative(root, &p))
                        .unwrap_or_default();
                    let reason = err.to_string();
                    found
                        .lock()
                        .expect("walk lock")
                        .errors
                        .push(WalkError { rel, reason });
                }
            }
            ignore::WalkState::Continue
        })
    });
    let mut found = found.into_inner().expect("walk lock");
    found.files.sort();
    found.errors.sort();
    found.errors.dedup();
    Ok(found)
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Partial(errs) => errs.iter().find_map(error_path),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_globs() -> Vec<String> {
        crate::config::InputConfig::default().include
    }

    #[test]
    fn finds_pages_sorted_and_skips_others() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/c")).unwrap();
        for f in [
            "b/c/z.html",
            "a.txt",
            "b/page.SHTML",
            "b/x.shtml",
            "notes.md",
            "img.png",
            "b/y.htm",
        ] {
            std::fs::write(root.join(f), "x").unwrap();
        }
        let d = discover(root, &default_globs(), &[], 2).unwrap();
        let rels: Vec<&str> = d.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(
            rels,
            [
                "a.txt",
                "b/c/z.html",
                "b/page.SHTML",
                "b/x.shtml",
                "b/y.htm"
            ]
        );
        assert!(d.errors.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_reported_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("sub")).unwrap();
        std::fs::write(root.join("sub/r.html"), "x").unwrap();
        std::os::unix::fs::symlink(root, root.join("sub/loop")).unwrap();
        let d = discover(root, &default_globs(), &[], 2).unwrap();
        assert_eq!(d.files.len(), 1);
        assert_eq!(d.errors.len(), 1);
        assert!(d.errors[0].reason.contains("loop"), "{:?}", d.errors);
    }
}
