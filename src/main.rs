use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// mimalloc, not glibc's malloc: under glibc the run's resident memory grew
/// with the corpus while its live heap stayed flat (massif over a
/// 20,000-page shard: 110-147 MB live throughout, the allocator's own share
/// growing to 300 MB), from the holes that freed page buffers and Arrow's
/// aligned buffers leave in glibc's arenas.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Transparent huge pages off for this process. mimalloc reserves a 1 GiB
/// arena, asks for huge pages on it (`MADV_HUGEPAGE`), and hands memory back
/// as it goes; every 2 MiB stretch touched afresh was then zeroed whole by
/// the kernel, for buffers that used a few KiB of it, and counted whole in
/// the run's resident memory. Without them the peak memory of a 100,000-page
/// run fell from 452-465 to 361-388 MiB and the kernel's share of a run's
/// CPU samples by a third to a half; the wall time moved within this VM's
/// noise (note 28 in scripts/BENCHMARKS.notes.md). The process flag, not
/// mimalloc's `no_thp` build option, so that systems whose huge pages are
/// on for every mapping (`always`) are covered too.
#[cfg(target_os = "linux")]
fn disable_transparent_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE reads its integer arguments only. It fails
    // on kernels older than 3.15, which then keep their huge pages: no harm.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
fn disable_transparent_huge_pages() {}

#[cfg(feature = "exports")]
mod exports;
use xxgk::config::Config;

/// Turn saved 政府信息公开工作年度报告 pages into a Parquet dataset.
#[derive(Parser)]
#[command(name = "xxgk", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Extract every page under the input folder into the dataset.
    Run(RunArgs),
    /// Combine the datasets of `run --shard K/N` into one dataset.
    Merge {
        /// The merged dataset's folder.
        #[arg(long)]
        output: PathBuf,
        /// The shards' dataset folders.
        #[arg(required = true)]
        shards: Vec<PathBuf>,
    },
    /// Show what was read from one page: metadata, tables, sections, checks.
    Inspect {
        /// A saved report page (HTML or text).
        file: PathBuf,
    },
    /// Time the stages over a folder of pages (for scripts/bench): a
    /// parse-only pass and a pass timing every stage, as JSON.
    Measure {
        /// Folder of pages.
        #[arg(long)]
        input: PathBuf,
        /// Worker threads, 0 for one per core.
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// Run each pass this many times over a block and keep the fastest.
        #[arg(long, default_value_t = 1)]
        repeat: usize,
        /// Pages in a block: every pass runs over one block before the next.
        #[arg(long, default_value_t = 2000)]
        block: usize,
    },
}

#[derive(clap::Args, Default)]
struct RunArgs {
    /// Config file; its relative paths are taken from its folder.
    #[arg(long, default_value = "pipeline.toml")]
    config: PathBuf,
    /// Folder of saved pages (overrides input.root).
    #[arg(long)]
    input: Option<PathBuf>,
    /// Dataset folder (overrides output.root).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Threads the run keeps busy, 0 for one per core (overrides run.threads).
    #[arg(long)]
    threads: Option<usize>,
    /// Extract every input again, ignoring the previous dataset.
    #[arg(long)]
    full: bool,
    /// Process shard K of N of the inputs (1-based, as 2/8), for one corpus
    /// on N machines; combine the shards' datasets with `xxgk merge`.
    #[arg(long, value_parser = xxgk::pipeline::Shard::parse)]
    shard: Option<xxgk::pipeline::Shard>,
}

/// Exit codes: 0 done; 1 the run could not complete; 2 usage or config
/// error; 3 done, but more inputs failed than run.max_error_ratio allows.
const EXIT_FAILED: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_TOO_MANY_ERRORS: u8 = 3;

fn main() -> ExitCode {
    disable_transparent_huge_pages();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(xxgk::pipeline::log_writer)
        .init();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command.unwrap_or(Command::Run(RunArgs {
        config: "pipeline.toml".into(),
        ..RunArgs::default()
    })) {
        Command::Run(args) => run(args),
        Command::Merge { output, shards } => {
            match xxgk::pipeline::merge(&shards, &output, &|staging| {
                write_exports(staging, &xxgk::config::ExportsConfig::default())
            }) {
                Ok(summary) => {
                    eprintln!("{}", summary.line());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("xxgk: {e:#}");
                    ExitCode::from(EXIT_FAILED)
                }
            }
        }
        Command::Measure {
            input,
            threads,
            repeat,
            block,
        } => match measure(&input, threads, repeat, block) {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("xxgk: {e:#}");
                ExitCode::from(EXIT_USAGE)
            }
        },
        Command::Inspect { file } => match std::fs::read(&file) {
            Ok(bytes) => {
                let record = xxgk::pipeline::process_bytes(&file.display().to_string(), &bytes);
                print!("{}", xxgk::inspect::render(&record));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("xxgk: cannot read {}: {e}", file.display());
                ExitCode::from(EXIT_USAGE)
            }
        },
    }
}

fn run(args: RunArgs) -> ExitCode {
    let config = match load_config(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("xxgk: {e:#}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let options = xxgk::pipeline::RunOptions {
        progress: true,
        full: args.full,
        shard: args.shard,
    };
    let exports = |staging: &Path| write_exports(staging, &config.exports);
    match xxgk::pipeline::run_with(&config, options, &exports) {
        Ok(summary) => {
            eprintln!("{}", summary.line());
            if summary.error_ratio() > config.run.max_error_ratio {
                eprintln!(
                    "xxgk: {} of {} inputs failed, more than run.max_error_ratio = {}",
                    summary.failed_files(),
                    summary.files,
                    config.run.max_error_ratio
                );
                return ExitCode::from(EXIT_TOO_MANY_ERRORS);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("xxgk: {e:#}");
            ExitCode::from(EXIT_FAILED)
        }
    }
}

fn load_config(args: &RunArgs) -> anyhow::Result<Config> {
    let mut config = if args.config.exists() {
        Config::load(&args.config)?
    } else if args.config == Path::new("pipeline.toml") && args.input.is_some() {
        Config::default()
    } else {
        anyhow::bail!("config file {} not found", args.config.display());
    };
    if let Some(input) = &args.input {
        config.input.root = input.clone();
    }
    if let Some(output) = &args.output {
        config.output.root = output.clone();
    }
    if let Some(threads) = args.threads {
        config.run.threads = threads;
    }
    config.validate()?;
    Ok(config)
}

/// Write the summary CSVs into a staged dataset (a build without the
/// `exports` feature writes none).
fn write_exports(staging: &Path, config: &xxgk::config::ExportsConfig) -> anyhow::Result<()> {
    #[cfg(feature = "exports")]
    exports::write(staging, config)?;
    #[cfg(not(feature = "exports"))]
    let _ = (staging, config);
    Ok(())
}

/// The measuring passes of [`xxgk::bench`] over one folder, as JSON.
fn measure(input: &Path, threads: usize, repeat: usize, block: usize) -> anyhow::Result<String> {
    let threads = if threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        threads
    };
    let defaults = xxgk::config::InputConfig::default();
    let found = xxgk::discover::discover(input, &defaults.include, &defaults.exclude, threads)?;
    let scratch = tempfile_dir()?;
    let passes = xxgk::bench::measure(&found.files, threads, block, repeat, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(serde_json::to_string_pretty(&passes?)?)
}

/// A fresh folder for a measuring pass's dataset.
fn tempfile_dir() -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("xxgk-measure-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
