//! Helpers shared by the integration tests: run the pipeline on a folder and
//! read the dataset back through arrow, as an analyst's tool would.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::{DataType, Float64Type, Int32Type};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use xxgk::config::Config;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn config(input: &Path, output: &Path, threads: usize) -> Config {
    let mut c = Config::load(&repo().join("pipeline.toml")).expect("repo config");
    c.input.root = input.to_path_buf();
    c.output.root = output.to_path_buf();
    c.run.threads = threads;
    c
}

/// Every Parquet file of one table, sorted by path.
pub fn parquet_files(out: &Path, table: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![out.join(table)];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "parquet") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

/// A table as rows of column name → value rendered as text ("" for null).
pub type Row = BTreeMap<String, String>;

pub fn read_table(out: &Path, table: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    for file in parquet_files(out, table) {
        let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(file).unwrap())
            .unwrap()
            .build()
            .unwrap();
        for batch in reader {
            rows.extend(rows_of(&batch.unwrap()));
        }
    }
    rows
}

fn rows_of(batch: &RecordBatch) -> Vec<Row> {
    let schema = batch.schema();
    (0..batch.num_rows())
        .map(|i| {
            schema
                .fields()
                .iter()
                .zip(batch.columns())
                .map(|(f, col)| (f.name().clone(), cell_text(col.as_ref(), i)))
                .collect()
        })
        .collect()
}

fn cell_text(col: &dyn Array, i: usize) -> String {
    if col.is_null(i) {
        return String::new();
    }
    match col.data_type() {
        DataType::Utf8 => col.as_string::<i32>().value(i).to_string(),
        DataType::Int32 => col.as_primitive::<Int32Type>().value(i).to_string(),
        DataType::Int64 => col
            .as_primitive::<arrow::datatypes::Int64Type>()
            .value(i)
            .to_string(),
        DataType::Float64 => col.as_primitive::<Float64Type>().value(i).to_string(),
        DataType::Boolean => col.as_boolean().value(i).to_string(),
        DataType::Date32 => {
            let days = col.as_primitive::<arrow::datatypes::Date32Type>().value(i);
            (chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()
                + chrono::Duration::days(days.into()))
            .to_string()
        }
        other => panic!("no text form for {other}"),
    }
}

/// The report row of the file at `path` (relative to the input root).
pub fn report<'a>(reports: &'a [Row], path: &str) -> &'a Row {
    reports
        .iter()
        .find(|r| r["path"] == path)
        .unwrap_or_else(|| panic!("no report for {path}"))
}

/// The cells of one report.
pub fn cells_of<'a>(cells: &'a [Row], report_id: &str) -> Vec<&'a Row> {
    cells
        .iter()
        .filter(|c| c["report_id"] == report_id)
        .collect()
}

pub fn cell<'a>(cells: &'a [Row], report_id: &str, table: &str, row: &str, col: &str) -> &'a Row {
    cells
        .iter()
        .find(|c| {
            c["report_id"] == report_id
                && c["table_name"] == table
                && c["row_key"] == row
                && c["col_key"] == col
        })
        .unwrap_or_else(|| panic!("no cell {table}.{row}.{col} in {report_id}"))
}
