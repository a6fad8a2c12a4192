//! xxgk: a batch ETL for the yearly government information-disclosure
//! reports (政府信息公开工作年度报告) that every Chinese agency publishes.
//!
//! Data flows one way through one module per stage, each a plain function
//! from typed input to typed output:
//!
//! | stage | function | in → out |
//! |---|---|---|
//! | discover | [`discover::discover`] | folder → sorted [`discover::InputFile`]s |
//! | decode | [`decode::decode`] | bytes → [`decode::Decoded`] text |
//! | parse | [`parse::parse`] | text → [`document::Document`] of blocks and grids |
//! | extract | [`extract::extract`] | document → [`extract::Extraction`] |
//! | validate | [`validate::validate`] | extraction → [`validate::Check`]s |
//! | write | [`write::DatasetWriter`] | [`record::ReportRecord`]s → Parquet |
//!
//! [`pipeline`] holds the orchestration, threads and I/O, with [`previous`]
//! reading the last dataset for incremental runs; [`template`] holds the
//! report template's rows, columns and keys; [`regions`], [`indicators`]
//! and [`cross_year`] serve analysts; [`bench`] times the stages for
//! `scripts/bench`. The summary CSV exports live in the
//! binary (`src/exports.rs`), which alone links polars.

pub mod bench;
pub mod config;
pub mod cross_year;
pub mod decode;
pub mod discover;
pub mod document;
pub mod extract;
pub mod indicators;
pub mod inspect;
pub mod parse;
pub mod pipeline;
pub mod previous;
pub mod record;
pub mod regions;
pub mod template;
pub mod text;
pub mod validate;
pub mod write;
