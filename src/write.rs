//! Stage 6: the dataset as Parquet.
//!
//! Four tables, each a folder of Parquet files under the dataset root:
//! `reports`, `cells`, `sections`, `checks` (see the spec's "The dataset").
//! Rows are written in the order records are handed over (the pipeline
//! hands them sorted by path), with zstd compression and Parquet's
//! dictionary encoding for the repetitive string columns. Files carry no
//! timestamps, so the same records give the same bytes.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow::array::{
    ArrayRef, BooleanBuilder, Date32Builder, Float64Builder, Int32Builder, Int64Builder,
    StringBuilder,
};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::schema::types::ColumnPath;
use rayon::prelude::*;

use crate::record::ReportRecord;

/// The extractor's version: a hash of the code and data that turn a page
/// into rows (see `build.rs`), so that it changes whenever extraction can
/// give different rows for the same page, and an incremental run then
/// extracts every page again.
pub const EXTRACTOR_VERSION: &str = env!("XXGK_EXTRACTOR_VERSION");
/// Bumped whenever a table's columns change.
pub const DATASET_VERSION: &str = "4";

/// A table of the dataset: its name, its schema, its rows for a batch of
/// records, and whether it is partitioned by year (`<table>/year=2024/`).
/// The two large tables are, so that a query on one year reads one year;
/// the others carry `year` themselves or are small.
type TableDef = (
    &'static str,
    fn() -> SchemaRef,
    fn(&[&ReportRecord]) -> RecordBatch,
    bool,
);

/// The dataset's tables, in the order the writer and the incremental
/// cursors keep them.
const DATASET: [TableDef; 7] = [
    ("reports", reports_schema, reports_batch, false),
    ("cells", cells_schema, cells_batch, true),
    ("sections", sections_schema, sections_batch, true),
    ("checks", checks_schema, checks_batch, false),
    ("indicators", indicators_schema, indicators_batch, false),
    ("facts", facts_schema, facts_batch, false),
    ("grid_cells", grid_cells_schema, grid_cells_batch, true),
];

pub const TABLES: [&str; 7] = [
    DATASET[0].0,
    DATASET[1].0,
    DATASET[2].0,
    DATASET[3].0,
    DATASET[4].0,
    DATASET[5].0,
    DATASET[6].0,
];

/// Whether `table` is partitioned by year.
pub fn is_partitioned(table: &str) -> bool {
    DATASET
        .iter()
        .any(|(name, _, _, partitioned)| *name == table && *partitioned)
}

/// The folder of a year's partition: `year=2024`, or Hive's name for an
/// unknown year, which DuckDB and polars read as null.
pub fn partition_dir(year: Option<i32>) -> String {
    match year {
        Some(y) => format!("year={y}"),
        None => "year=__HIVE_DEFAULT_PARTITION__".to_string(),
    }
}

/// Rows per row group: bounds the writer's memory on large corpora.
const ROW_GROUP_ROWS: usize = 256 * 1024;
/// A file's row group is closed once Parquet estimates it at this size
/// encoded (on disk; the memory it holds meanwhile is bounded by [`WRITER_BYTES`]).
const ROW_GROUP_BYTES: usize = 8 * 1024 * 1024;
/// Memory all open files together may hold, by Parquet's own estimate
/// (`ArrowWriter::memory_size`: encoded pages, dictionaries and values not
/// yet encoded). Each table has a file per year, and a small table's row
/// group can take the whole run to reach [`ROW_GROUP_BYTES`]: without a
/// shared bound the writer's memory grew with the corpus, by about 2 KB a
/// page. The encoded size (`in_progress_size`) is no bound: it stayed near
/// a fifth of the memory held. Past the budget, the largest row groups are
/// closed first.
const WRITER_BYTES: usize = 48 * 1024 * 1024;

/// A column, with its description in the field metadata (`description`),
/// which pyarrow, polars and DuckDB's parquet_schema() show.
fn field(name: &str, data_type: DataType, nullable: bool) -> Field {
    let f = Field::new(name, data_type, nullable);
    match describe(name) {
        Some(text) => f.with_metadata(std::collections::HashMap::from([(
            "description".to_string(),
            text.to_string(),
        )])),
        None => f,
    }
}

/// What each column holds (indicator columns are described in
/// [`crate::indicators::COLUMNS`]).
fn describe(name: &str) -> Option<&'static str> {
    let text = match name {
        "report_id" => "first 16 hex digits of the BLAKE3 hash of the input file's bytes",
        "path" => "the input file, relative to the input root, /-separated",
        "agency" => "the publishing agency as the page names it (simplified script)",
        "agency_key" => "the agency's name written the same way every year: spaces and brackets removed, 人民政府 as 政府",
        "year" => "the year reported on (not the year of publication)",
        "template" => "the template edition the tables follow: '2021' or '2019'",
        "status" => "ok, partial, no_tables, not_a_report, error or duplicate",
        "status_reason" => "why the status is not ok",
        "failed_stage" => "for status error: discover, read, decode or extract",
        "warnings" => "how the file was read, where a reader should know (malformed bytes, deep markup)",
        "province" | "prefecture" | "county" => "the division the agency sits in, named on its page (GB/T 2260); null when the page does not say",
        "province_code" | "prefecture_code" | "county_code" => "GB/T 2260 code of that division",
        "agency_level" => "省, 市, 县 or 乡镇",
        "agency_kind" => "人民政府, 局, 委员会, 管理委员会, 街道办事处, 办公室…",
        "title" => "the report's title",
        "published" => "publication date, from the page's metadata, a labelled date or the signature",
        "source_url" => "where the page was saved from, when it says",
        "script" => "simplified or traditional: the script the page was written in",
        "encoding" => "the encoding the bytes were decoded with",
        "encoding_source" => "bom, declared, declaration_contradicted, detected or default",
        "decode_errors" => "malformed bytes were replaced while decoding",
        "table_name" => "active_disclosure (part 2), requests (part 3) or review_litigation (part 4)",
        "row_key" => "the template row (see REPORT_TEMPLATE.md)",
        "col_key" => "the template column (see REPORT_TEMPLATE.md)",
        "value" => "the number read; null for blank, placeholder or a cell not read with certainty",
        "raw" => "the cell's text as written (for a cut run, the cut piece)",
        "unit" => "the unit written after the number: 元, 万元, 件",
        "flag" => "null when read as written; blank, placeholder, unreadable, resolved_from_run, ambiguous or missing",
        "section_no" => "0 for the preamble, 1-6 for the report's parts",
        "heading" => "the part's heading as written",
        "text" => "the part's narrative text (tables left out)",
        "rule" => "requests_balance, requests_row_total, requests_handled_sum, review_litigation_total, narrative_requests, cross_year_carried_over, cross_year_in_force",
        "expected" => "the side the rule states first (for example new_received + carried_over)",
        "actual" => "the side it must equal",
        "passed" => "whether the two sides are equal",
        "null_cells" => "null cells counted as 0 in this evaluation",
        "fact_key" => "items_published, policy_interpretations, requests_received or fees_charged; null for other figures",
        "figure" => "the figure as written in the narrative (1.2 of 1.2万次)",
        "fact_unit" => "its unit as written: 条, 件, 篇, 次, 万次, 元, 万元, %, 人次…",
        "approximate" => "written with 余, 多, 约, 近, 超过, 以上 or 左右",
        "sentence" => "the sentence the figure stands in",
        "n_facts" => "figures stated in the report's narrative (rows of facts)",
        "n_grid_cells" => "cells of the report's other tables (rows of grid_cells)",
        "table_no" => "the other table's place among the report's other tables, from 0",
        "row_no" => "the cell's row in its table, from 0 (row 0 is the header)",
        "col_no" => "the cell's column in its table, from 0 (the top-left slot of a merged cell)",
        "row_label" => "the text of the row's first column",
        "col_label" => "the text of the column's header (row 0)",
        "cell_text" => "the cell's text as written",
        _ => return crate::indicators::COLUMNS.iter().find(|(n, _)| *n == name).map(|(_, d)| *d),
    };
    Some(text)
}

pub fn reports_schema() -> SchemaRef {
    use DataType::*;
    Arc::new(Schema::new(vec![
        field("report_id", Utf8, false),
        field("path", Utf8, false),
        field("agency", Utf8, true),
        field("agency_key", Utf8, true),
        field("year", Int32, true),
        field("template", Utf8, true),
        field("status", Utf8, false),
        field("status_reason", Utf8, true),
        field("failed_stage", Utf8, true),
        field("warnings", Utf8, true),
        field("province", Utf8, true),
        field("province_code", Utf8, true),
        field("prefecture", Utf8, true),
        field("prefecture_code", Utf8, true),
        field("county", Utf8, true),
        field("county_code", Utf8, true),
        field("agency_level", Utf8, true),
        field("agency_kind", Utf8, true),
        field("title", Utf8, true),
        field("published", Date32, true),
        field("source_url", Utf8, true),
        field("script", Utf8, true),
        field("encoding", Utf8, true),
        field("encoding_source", Utf8, true),
        field("decode_errors", Boolean, true),
        field("bytes", Int64, false),
        field("n_cells", Int32, false),
        field("n_cells_null", Int32, false),
        field("n_sections", Int32, false),
        field("n_checks", Int32, false),
        field("n_checks_failed", Int32, false),
        field("n_facts", Int32, false),
        field("n_grid_cells", Int32, false),
    ]))
}

pub fn cells_schema() -> SchemaRef {
    use DataType::*;
    Arc::new(Schema::new(vec![
        field("report_id", Utf8, false),
        field("table_name", Utf8, false),
        field("row_key", Utf8, false),
        field("col_key", Utf8, false),
        field("value", Float64, true),
        field("raw", Utf8, true),
        field("unit", Utf8, true),
        field("flag", Utf8, true),
    ]))
}

pub fn sections_schema() -> SchemaRef {
    use DataType::*;
    Arc::new(Schema::new(vec![
        field("report_id", Utf8, false),
        field("section_no", Int32, false),
        field("heading", Utf8, true),
        field("text", Utf8, false),
    ]))
}

pub fn checks_schema() -> SchemaRef {
    use DataType::*;
    Arc::new(Schema::new(vec![
        field("report_id", Utf8, false),
        field("rule", Utf8, false),
        field("row_key", Utf8, true),
        field("col_key", Utf8, true),
        field("expected", Float64, false),
        field("actual", Float64, false),
        field("passed", Boolean, false),
        field("null_cells", Int32, false),
    ]))
}

fn days_since_epoch(d: chrono::NaiveDate) -> i32 {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch");
    (d - epoch).num_days() as i32
}

pub fn reports_batch(records: &[&ReportRecord]) -> RecordBatch {
    let mut id = StringBuilder::new();
    let mut path = StringBuilder::new();
    let mut agency = StringBuilder::new();
    let mut agency_key = StringBuilder::new();
    let mut year = Int32Builder::new();
    let mut region: [StringBuilder; 6] = Default::default();
    let mut agency_level = StringBuilder::new();
    let mut agency_kind = StringBuilder::new();
    let mut template = StringBuilder::new();
    let mut status = StringBuilder::new();
    let mut reason = StringBuilder::new();
    let mut failed_stage = StringBuilder::new();
    let mut warnings = StringBuilder::new();
    let mut title = StringBuilder::new();
    let mut published = Date32Builder::new();
    let mut url = StringBuilder::new();
    let mut script = StringBuilder::new();
    let mut encoding = StringBuilder::new();
    let mut encoding_source = StringBuilder::new();
    let mut decode_errors = BooleanBuilder::new();
    let mut bytes = Int64Builder::new();
    let mut n_cells = Int32Builder::new();
    let mut n_null = Int32Builder::new();
    let mut n_sections = Int32Builder::new();
    let mut n_checks = Int32Builder::new();
    let mut n_failed = Int32Builder::new();
    let mut n_facts = Int32Builder::new();
    let mut n_grid_cells = Int32Builder::new();
    for r in records {
        let ex = r.extraction();
        id.append_value(&r.report_id);
        path.append_value(&r.path);
        agency.append_option(ex.and_then(|e| e.meta.agency.as_deref()));
        agency_key.append_option(ex.and_then(|e| e.agency.key.as_deref()));
        year.append_option(ex.and_then(|e| e.meta.year));
        let place = ex.map(|e| &e.agency.region);
        let divisions = [
            place.and_then(|p| p.province),
            place.and_then(|p| p.prefecture),
            place.and_then(|p| p.county),
        ];
        for (i, d) in divisions.iter().enumerate() {
            region[2 * i].append_option(d.map(|d| d.name.as_str()));
            region[2 * i + 1].append_option(d.map(|d| d.code.as_str()));
        }
        agency_level.append_option(ex.and_then(|e| e.agency.level));
        agency_kind.append_option(ex.and_then(|e| e.agency.kind));
        template.append_option(ex.and_then(|e| e.template).map(|t| t.as_str()));
        status.append_value(r.status().as_str());
        reason.append_option(r.status_reason());
        failed_stage.append_option(match &r.outcome {
            crate::record::Outcome::Failed { stage, .. } => Some(*stage),
            _ => None,
        });
        let w = r.warnings();
        warnings.append_option((!w.is_empty()).then(|| w.join("; ")));
        title.append_option(ex.and_then(|e| e.meta.title.as_deref()));
        published.append_option(ex.and_then(|e| e.meta.published).map(days_since_epoch));
        url.append_option(ex.and_then(|e| e.meta.source_url.as_deref()));
        script.append_option(ex.map(|e| e.script.as_str()));
        encoding.append_option(r.encoding.as_ref().map(|e| e.name));
        encoding_source.append_option(r.encoding.as_ref().map(|e| e.source));
        decode_errors.append_option(r.encoding.as_ref().map(|e| e.had_errors));
        bytes.append_value(r.bytes as i64);
        n_cells.append_value(ex.map_or(0, |e| e.cells().count()) as i32);
        n_null
            .append_value(ex.map_or(0, |e| e.cells().filter(|c| c.value.is_none()).count()) as i32);
        n_sections.append_value(ex.map_or(0, |e| e.sections.len()) as i32);
        n_checks.append_value(r.checks().len() as i32);
        n_failed.append_value(r.checks().iter().filter(|c| !c.passed).count() as i32);
        n_facts.append_value(ex.map_or(0, |e| e.facts.len()) as i32);
        n_grid_cells.append_value(ex.map_or(0, grid_cell_count) as i32);
    }
    let mut columns: Vec<ArrayRef> = vec![
        Arc::new(id.finish()),
        Arc::new(path.finish()),
        Arc::new(agency.finish()),
        Arc::new(agency_key.finish()),
        Arc::new(year.finish()),
        Arc::new(template.finish()),
        Arc::new(status.finish()),
        Arc::new(reason.finish()),
        Arc::new(failed_stage.finish()),
        Arc::new(warnings.finish()),
    ];
    columns.extend(region.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
    columns.extend([
        Arc::new(agency_level.finish()) as ArrayRef,
        Arc::new(agency_kind.finish()),
        Arc::new(title.finish()),
        Arc::new(published.finish()),
        Arc::new(url.finish()),
        Arc::new(script.finish()),
        Arc::new(encoding.finish()),
        Arc::new(encoding_source.finish()),
        Arc::new(decode_errors.finish()),
        Arc::new(bytes.finish()),
        Arc::new(n_cells.finish()),
        Arc::new(n_null.finish()),
        Arc::new(n_sections.finish()),
        Arc::new(n_checks.finish()),
        Arc::new(n_failed.finish()),
        Arc::new(n_facts.finish()),
        Arc::new(n_grid_cells.finish()),
    ]);
    RecordBatch::try_new(reports_schema(), columns).expect("reports columns match their schema")
}

pub fn cells_batch(records: &[&ReportRecord]) -> RecordBatch {
    // Sized up front: growing the builders a chunk of pages at a time copied
    // their buffers over and over.
    let n: usize = records
        .iter()
        .filter_map(|r| r.extraction())
        .map(|ex| ex.cells().count())
        .sum();
    let keys = |bytes_per_row| StringBuilder::with_capacity(n, n * bytes_per_row);
    let mut id = keys(16);
    let mut table = keys(17);
    let mut row = keys(24);
    let mut col = keys(16);
    let mut value = Float64Builder::with_capacity(n);
    let mut raw = keys(2);
    let mut unit = keys(0);
    let mut flag = keys(0);
    for r in records {
        let Some(ex) = r.extraction() else { continue };
        for c in ex.cells() {
            id.append_value(&r.report_id);
            table.append_value(c.table.as_str());
            row.append_value(c.row_key);
            col.append_value(c.col_key);
            value.append_option(c.value);
            raw.append_option(c.raw.as_deref());
            unit.append_option(c.unit.as_deref());
            flag.append_option(c.flag.map(|f| f.as_str()));
        }
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(id.finish()),
        Arc::new(table.finish()),
        Arc::new(row.finish()),
        Arc::new(col.finish()),
        Arc::new(value.finish()),
        Arc::new(raw.finish()),
        Arc::new(unit.finish()),
        Arc::new(flag.finish()),
    ];
    RecordBatch::try_new(cells_schema(), columns).expect("cells columns match their schema")
}

pub fn sections_batch(records: &[&ReportRecord]) -> RecordBatch {
    let sections = || {
        records
            .iter()
            .filter_map(|r| r.extraction())
            .flat_map(|ex| &ex.sections)
    };
    let n = sections().count();
    let mut id = StringBuilder::with_capacity(n, n * 16);
    let mut no = Int32Builder::with_capacity(n);
    let mut heading = StringBuilder::with_capacity(n, n * 32);
    let mut text = StringBuilder::with_capacity(n, sections().map(|s| s.text.len()).sum());
    for r in records {
        let Some(ex) = r.extraction() else { continue };
        for s in &ex.sections {
            id.append_value(&r.report_id);
            no.append_value(i32::from(s.no));
            heading.append_option(s.heading.as_deref());
            text.append_value(&s.text);
        }
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(id.finish()),
        Arc::new(no.finish()),
        Arc::new(heading.finish()),
        Arc::new(text.finish()),
    ];
    RecordBatch::try_new(sections_schema(), columns).expect("sections columns match their schema")
}

pub fn checks_batch(records: &[&ReportRecord]) -> RecordBatch {
    checks_batch_of(
        records
            .iter()
            .flat_map(|r| r.checks().iter().map(move |c| (r.report_id.as_str(), c))),
    )
}

/// A `checks` batch from (report_id, check) pairs.
pub fn checks_batch_of<'a>(
    checks: impl Iterator<Item = (&'a str, &'a crate::validate::Check)>,
) -> RecordBatch {
    let mut id = StringBuilder::new();
    let mut rule = StringBuilder::new();
    let mut row = StringBuilder::new();
    let mut col = StringBuilder::new();
    let mut expected = Float64Builder::new();
    let mut actual = Float64Builder::new();
    let mut passed = BooleanBuilder::new();
    let mut nulls = Int32Builder::new();
    for (report_id, c) in checks {
        id.append_value(report_id);
        rule.append_value(c.rule);
        row.append_option(c.row_key);
        col.append_option(c.col_key);
        expected.append_value(c.expected);
        actual.append_value(c.actual);
        passed.append_value(c.passed);
        nulls.append_value(c.null_cells as i32);
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(id.finish()),
        Arc::new(rule.finish()),
        Arc::new(row.finish()),
        Arc::new(col.finish()),
        Arc::new(expected.finish()),
        Arc::new(actual.finish()),
        Arc::new(passed.finish()),
        Arc::new(nulls.finish()),
    ];
    RecordBatch::try_new(checks_schema(), columns).expect("checks columns match their schema")
}

pub fn indicators_schema() -> SchemaRef {
    use DataType::*;
    let mut fields = vec![
        field("report_id", Utf8, false),
        field("agency_key", Utf8, true),
        field("year", Int32, true),
        field("province", Utf8, true),
        field("prefecture", Utf8, true),
        field("county", Utf8, true),
    ];
    fields.extend(
        crate::indicators::COLUMNS
            .iter()
            .map(|(name, _)| field(name, Float64, true)),
    );
    Arc::new(Schema::new(fields))
}

/// Whether a report has a row in `indicators`: every report, even one
/// whose tables are missing (its figures are then null).
pub fn has_indicators(status: &str) -> bool {
    matches!(status, "ok" | "partial" | "no_tables")
}

pub fn indicators_batch(records: &[&ReportRecord]) -> RecordBatch {
    let mut id = StringBuilder::new();
    let mut key = StringBuilder::new();
    let mut year = Int32Builder::new();
    let mut places: [StringBuilder; 3] = Default::default();
    let mut values: Vec<Float64Builder> = crate::indicators::COLUMNS
        .iter()
        .map(|_| Float64Builder::new())
        .collect();
    for r in records {
        let Some(ex) = r
            .extraction()
            .filter(|_| has_indicators(r.status().as_str()))
        else {
            continue;
        };
        id.append_value(&r.report_id);
        key.append_option(ex.agency.key.as_deref());
        year.append_option(ex.meta.year);
        let region = &ex.agency.region;
        for (b, d) in places
            .iter_mut()
            .zip([region.province, region.prefecture, region.county])
        {
            b.append_option(d.map(|d| d.name.as_str()));
        }
        for (b, v) in values.iter_mut().zip(&ex.indicators) {
            b.append_option(*v);
        }
    }
    let mut columns: Vec<ArrayRef> = vec![
        Arc::new(id.finish()),
        Arc::new(key.finish()),
        Arc::new(year.finish()),
    ];
    columns.extend(places.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
    columns.extend(values.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
    RecordBatch::try_new(indicators_schema(), columns)
        .expect("indicators columns match their schema")
}

pub fn facts_schema() -> SchemaRef {
    use DataType::*;
    Arc::new(Schema::new(vec![
        field("report_id", Utf8, false),
        field("section_no", Int32, false),
        field("fact_key", Utf8, true),
        field("figure", Float64, false),
        field("fact_unit", Utf8, false),
        field("approximate", Boolean, false),
        field("sentence", Utf8, false),
    ]))
}

pub fn facts_batch(records: &[&ReportRecord]) -> RecordBatch {
    let mut id = StringBuilder::new();
    let mut no = Int32Builder::new();
    let mut key = StringBuilder::new();
    let mut figure = Float64Builder::new();
    let mut unit = StringBuilder::new();
    let mut approximate = BooleanBuilder::new();
    let mut sentence = StringBuilder::new();
    for r in records {
        let Some(ex) = r.extraction() else { continue };
        for f in &ex.facts {
            id.append_value(&r.report_id);
            no.append_value(i32::from(f.section_no));
            key.append_option(f.fact_key);
            figure.append_value(f.value);
            unit.append_value(&f.unit);
            approximate.append_value(f.approximate);
            sentence.append_value(&f.sentence);
        }
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(id.finish()),
        Arc::new(no.finish()),
        Arc::new(key.finish()),
        Arc::new(figure.finish()),
        Arc::new(unit.finish()),
        Arc::new(approximate.finish()),
        Arc::new(sentence.finish()),
    ];
    RecordBatch::try_new(facts_schema(), columns).expect("facts columns match their schema")
}

fn grid_cell_count(ex: &crate::extract::Extraction) -> usize {
    ex.grids.iter().map(|g| g.cells.len()).sum()
}

pub fn grid_cells_schema() -> SchemaRef {
    use DataType::*;
    Arc::new(Schema::new(vec![
        field("report_id", Utf8, false),
        field("section_no", Int32, false),
        field("table_no", Int32, false),
        field("row_no", Int32, false),
        field("col_no", Int32, false),
        field("row_label", Utf8, true),
        field("col_label", Utf8, true),
        field("cell_text", Utf8, false),
        field("value", Float64, true),
        field("unit", Utf8, true),
    ]))
}

pub fn grid_cells_batch(records: &[&ReportRecord]) -> RecordBatch {
    let mut id = StringBuilder::new();
    let mut section = Int32Builder::new();
    let mut table = Int32Builder::new();
    let mut row = Int32Builder::new();
    let mut col = Int32Builder::new();
    let mut row_label = StringBuilder::new();
    let mut col_label = StringBuilder::new();
    let mut text = StringBuilder::new();
    let mut value = Float64Builder::new();
    let mut unit = StringBuilder::new();
    for r in records {
        let Some(ex) = r.extraction() else { continue };
        for (t, grid) in ex.grids.iter().enumerate() {
            for c in &grid.cells {
                id.append_value(&r.report_id);
                section.append_value(i32::from(grid.section_no));
                table.append_value(t as i32);
                row.append_value(c.row as i32);
                col.append_value(c.col as i32);
                row_label.append_option(c.row_label.as_deref());
                col_label.append_option(c.col_label.as_deref());
                text.append_value(&c.text);
                value.append_option(c.value);
                unit.append_option(c.unit.as_deref());
            }
        }
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(id.finish()),
        Arc::new(section.finish()),
        Arc::new(table.finish()),
        Arc::new(row.finish()),
        Arc::new(col.finish()),
        Arc::new(row_label.finish()),
        Arc::new(col_label.finish()),
        Arc::new(text.finish()),
        Arc::new(value.finish()),
        Arc::new(unit.finish()),
    ];
    RecordBatch::try_new(grid_cells_schema(), columns)
        .expect("grid_cells columns match their schema")
}

/// Writer settings for a file of `table`, whose columns are `schema`.
/// Min/max statistics are kept on the per-report tables (`reports`,
/// `indicators`: a row a report, where they let a reader skip row groups)
/// and on every number, but not on the text columns of the per-row tables
/// (cells, sections, checks, facts, grid cells). There every row group
/// holds all of a column's values (the same row and column keys, the report
/// ids of a run of pages, free text), so the statistics would let no query
/// skip anything, and keeping them compared every value written: a fifth
/// of the writer's time. In those tables `report_id` is written
/// plain rather than dictionary-encoded: it repeats in runs, which zstd
/// packs as well (the files came out the same size), and interning every
/// row's id was another twentieth.
fn properties(table: &str, schema: &Schema) -> WriterProperties {
    let per_report = matches!(table, "reports" | "indicators");
    let text_columns = schema
        .fields()
        .iter()
        .filter(|f| !per_report && f.data_type() == &DataType::Utf8);
    text_columns
        .fold(WriterProperties::builder(), |b, f| {
            b.set_column_statistics_enabled(
                ColumnPath::from(f.name().as_str()),
                EnabledStatistics::None,
            )
        })
        .set_column_dictionary_enabled(ColumnPath::from("report_id"), per_report)
        .set_compression(Compression::ZSTD(
            ZstdLevel::try_new(3).expect("zstd level 3"),
        ))
        .set_dictionary_enabled(true)
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .set_created_by(format!("xxgk {}", env!("CARGO_PKG_VERSION")))
        .set_key_value_metadata(Some(vec![
            KeyValue::new(
                "xxgk.dataset_version".to_string(),
                DATASET_VERSION.to_string(),
            ),
            KeyValue::new(
                "xxgk.extractor_version".to_string(),
                EXTRACTOR_VERSION.to_string(),
            ),
        ]))
        .build()
}

/// Write checks made after the run (across years) as their own file of the
/// `checks` table.
pub fn write_checks_file(
    path: &Path,
    checks: &[(String, crate::validate::Check)],
) -> anyhow::Result<()> {
    let batch = checks_batch_of(checks.iter().map(|(id, c)| (id.as_str(), c)));
    let file = File::create(path)?;
    let handle = file.try_clone()?;
    let schema = checks_schema();
    let props = properties("checks", &schema);
    let mut w = ArrowWriter::try_new(file, schema, Some(props))?;
    w.write(&batch)?;
    w.close()?;
    handle.sync_all()?;
    Ok(())
}

/// Writes the tables of one dataset folder, batch by batch.
pub struct DatasetWriter {
    root: PathBuf,
    part: String,
    /// Per table, its open files by partition.
    tables: Vec<BTreeMap<Partition, OpenFile>>,
    /// [`WRITER_BYTES`]; smaller in tests.
    budget: usize,
    /// See [`DatasetWriter::busy_seconds`].
    busy: Duration,
}

/// Where a table's rows go: the table's own file, or a year's partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Partition {
    Whole,
    Year(Option<i32>),
}

/// A Parquet file being written, and a handle to sync it once closed.
type OpenFile = (ArrowWriter<File>, File);

fn open_file(path: &Path, table: &str, schema: SchemaRef) -> anyhow::Result<OpenFile> {
    std::fs::create_dir_all(path.parent().expect("a folder"))?;
    let file = File::create(path)?;
    let handle = file.try_clone()?;
    Ok((
        ArrowWriter::try_new(file, schema.clone(), Some(properties(table, &schema)))?,
        handle,
    ))
}

/// Table `t`'s file for `partition` among its open `files`, opened as
/// `<root>/<table>[/<partition>]/<part>.parquet` the first time.
fn file_in<'a>(
    files: &'a mut BTreeMap<Partition, OpenFile>,
    root: &Path,
    part: &str,
    t: usize,
    partition: Partition,
) -> anyhow::Result<&'a mut OpenFile> {
    let (table, schema, _, _) = DATASET[t];
    match files.entry(partition) {
        std::collections::btree_map::Entry::Occupied(open) => Ok(open.into_mut()),
        std::collections::btree_map::Entry::Vacant(slot) => {
            let dir = match partition {
                Partition::Year(year) => root.join(table).join(partition_dir(year)),
                Partition::Whole => root.join(table),
            };
            let path = dir.join(format!("{part}.parquet"));
            Ok(slot.insert(open_file(&path, table, schema())?))
        }
    }
}

/// Append a batch to one file, closing its row group once the encoded rows
/// held in memory pass [`ROW_GROUP_BYTES`]: memory stays flat however large
/// the corpus (section text is large per row).
fn append_to(w: &mut ArrowWriter<File>, batch: &RecordBatch) -> anyhow::Result<()> {
    w.write(batch)?;
    if w.in_progress_size() > ROW_GROUP_BYTES {
        w.flush()?;
    }
    Ok(())
}

impl DatasetWriter {
    /// Create `<root>/<table>/<part>.parquet` for each unpartitioned table;
    /// partitions are created as rows for their year arrive.
    pub fn create(root: &Path, part: &str) -> anyhow::Result<DatasetWriter> {
        let mut tables = Vec::new();
        for (table, schema, _, partitioned) in DATASET {
            let mut files = BTreeMap::new();
            if partitioned {
                std::fs::create_dir_all(root.join(table))?;
            } else {
                let path = root.join(table).join(format!("{part}.parquet"));
                files.insert(Partition::Whole, open_file(&path, table, schema())?);
            }
            tables.push(files);
        }
        Ok(DatasetWriter {
            root: root.to_path_buf(),
            part: part.to_string(),
            tables,
            budget: WRITER_BYTES,
            busy: Duration::ZERO,
        })
    }

    /// Append a batch to one file (see [`append_to`]), then keep the open
    /// row groups within the budget.
    fn append(
        &mut self,
        t: usize,
        partition: Partition,
        batch: &RecordBatch,
    ) -> anyhow::Result<()> {
        let (w, _) = file_in(&mut self.tables[t], &self.root, &self.part, t, partition)?;
        append_to(w, batch)?;
        self.bound_memory()
    }

    /// Close the largest row groups until those still open hold no more
    /// than half of the budget ([`WRITER_BYTES`]), once they pass it.
    fn bound_memory(&mut self) -> anyhow::Result<()> {
        let mut total = self.held_memory();
        if total <= self.budget {
            return Ok(());
        }
        while total > self.budget / 2 {
            let Some((w, _)) = self
                .tables
                .iter_mut()
                .flat_map(|files| files.values_mut())
                .max_by_key(|(w, _)| w.memory_size())
            else {
                break;
            };
            let size = w.memory_size();
            if size == 0 {
                break;
            }
            w.flush()?;
            total -= size;
        }
        Ok(())
    }

    /// The memory held by all open files' row groups (see [`WRITER_BYTES`]).
    fn held_memory(&self) -> usize {
        self.tables
            .iter()
            .flat_map(|files| files.values())
            .map(|(w, _)| w.memory_size())
            .sum()
    }

    /// Append the rows of `records` to every table.
    ///
    /// The tables are written in parallel, a task each, in the current
    /// rayon pool; a task builds and appends one batch at a time, its
    /// table's partitions in order, so the bytes written are the same
    /// however many threads run. Why: a run writes one chunk while it
    /// processes the next, and writing one table after the other bounded a
    /// run at about 10,000 pages a second from about 8 cores on
    /// (BENCHMARKS.md, notes 26 and 29). In parallel, the bound is the largest
    /// table's share of the writer's time (cells: about 60%).
    pub fn write(&mut self, records: &[ReportRecord]) -> anyhow::Result<()> {
        let mut lap = Instant::now();
        let all: Vec<&ReportRecord> = records.iter().collect();
        let mut by_year: BTreeMap<Option<i32>, Vec<&ReportRecord>> = BTreeMap::new();
        for r in records {
            by_year
                .entry(r.extraction().and_then(|e| e.meta.year))
                .or_default()
                .push(r);
        }
        // The time this call works, summed over the threads it works on:
        // not its wall time, since while it waits on its tasks its thread
        // may run other work of the pool (the next chunk's pages).
        let mut busy = lap.elapsed();
        let (root, part) = (&self.root, &self.part);
        busy += self
            .tables
            .par_iter_mut()
            .enumerate()
            .map(|(t, files)| {
                let started = Instant::now();
                let (_, _, rows, partitioned) = DATASET[t];
                let groups: Vec<(Partition, &[&ReportRecord])> = if partitioned {
                    by_year
                        .iter()
                        .map(|(year, group)| (Partition::Year(*year), group.as_slice()))
                        .collect()
                } else {
                    vec![(Partition::Whole, all.as_slice())]
                };
                for (partition, group) in groups {
                    let batch = rows(group);
                    // A table gets a file for a year only if it has rows.
                    if batch.num_rows() > 0 {
                        let (w, _) = file_in(files, root, part, t, partition)?;
                        append_to(w, &batch)?;
                    }
                }
                anyhow::Ok(started.elapsed())
            })
            .try_reduce(|| Duration::ZERO, |a, b| Ok(a + b))?;
        lap = Instant::now();
        self.bound_memory()?;
        self.busy += busy + lap.elapsed();
        Ok(())
    }

    /// The time [`DatasetWriter::write`] has worked so far, summed over the
    /// threads it worked on (the stages pass of `xxgk measure` reports it).
    pub fn busy_seconds(&self) -> f64 {
        self.busy.as_secs_f64()
    }

    /// Append one report's rows carried over from the previous dataset, one
    /// list of batches per table in [`TABLES`] order; `year` picks the
    /// partition.
    pub fn copy(
        &mut self,
        rows: &crate::previous::ReportRows,
        year: Option<i32>,
    ) -> anyhow::Result<()> {
        for (t, batches) in rows.iter().enumerate() {
            let partition = if DATASET[t].3 {
                Partition::Year(year)
            } else {
                Partition::Whole
            };
            for b in batches.iter().filter(|b| b.num_rows() > 0) {
                self.append(t, partition, b)?;
            }
        }
        Ok(())
    }

    /// Close every file (footers written, data synced to disk). A
    /// partitioned table with no rows still gets one empty file, so that a
    /// glob over it finds the table.
    ///
    /// The files are closed in parallel, in the current rayon pool: closing
    /// one encodes its last row group and waits on the disk, and a run ends
    /// with a file per table and year (about 30), which closed one after the
    /// other kept one core busy and the others idle.
    pub fn finish(mut self) -> anyhow::Result<()> {
        for t in 0..DATASET.len() {
            if self.tables[t].is_empty() {
                file_in(
                    &mut self.tables[t],
                    &self.root,
                    &self.part,
                    t,
                    Partition::Year(None),
                )?;
            }
        }
        let files: Vec<_> = self
            .tables
            .into_iter()
            .flat_map(|f| f.into_values())
            .collect();
        files.into_par_iter().try_for_each(|(w, file)| {
            w.close()?;
            file.sync_all()?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Outcome;

    /// Every seed's record, once per year of `years`: a partition a year of
    /// every partitioned table.
    fn seed_records(years: std::ops::Range<i32>) -> Vec<ReportRecord> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("data/")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        pages.sort();
        let mut out = Vec::new();
        for year in years {
            for page in &pages {
                let bytes = std::fs::read(page).expect("seed");
                let mut r =
                    crate::pipeline::process_bytes(&format!("{year}/{}", page.display()), &bytes);
                if let Outcome::Extracted { extraction, .. } = &mut r.outcome {
                    extraction.meta.year = Some(year);
                }
                r.report_id = format!("{}-{year}", r.report_id);
                out.push(r);
            }
        }
        out
    }

    /// The footer of every Parquet file of one table's folder.
    fn metadata_under(root: &Path) -> Vec<parquet::file::metadata::ParquetMetaData> {
        use parquet::file::reader::FileReader;
        crate::pipeline::parquet_files_under(root)
            .expect("parquet files")
            .into_iter()
            .map(|rel| {
                let file = File::open(root.join(rel)).expect("parquet file");
                let reader =
                    parquet::file::reader::SerializedFileReader::new(file).expect("parquet");
                reader.metadata().clone()
            })
            .collect()
    }

    #[test]
    fn open_row_groups_stay_within_the_budget_across_partitions() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut writer = DatasetWriter::create(dir.path(), "part-0").expect("writer");
        writer.budget = 64 * 1024;
        let records = seed_records(2000..2030);
        for r in &records {
            writer.write(std::slice::from_ref(r)).expect("write");
            let held = writer.held_memory();
            assert!(
                held <= writer.budget,
                "{held} bytes held in open row groups"
            );
        }
        writer.finish().expect("finish");
        // Nothing was lost to the early row groups: every cell is there,
        // in a file per year.
        let mut rows = 0;
        let mut files = 0;
        for metadata in metadata_under(&dir.path().join("cells")) {
            rows += metadata.file_metadata().num_rows();
            files += 1;
        }
        let cells: usize = records
            .iter()
            .filter_map(|r| r.extraction())
            .map(|e| e.cells().count())
            .sum();
        assert_eq!(files, 30);
        assert!(cells > 30 * 200, "the seeds hold tables");
        assert_eq!(rows as usize, cells);
    }

    /// The tables are written in parallel: the files must not depend on how
    /// many threads wrote them, nor on which table's task ran first.
    #[test]
    fn the_same_records_give_the_same_bytes_on_any_number_of_threads() {
        let records = seed_records(2019..2023);
        let written = |threads: usize| {
            let dir = tempfile::tempdir().expect("tempdir");
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("pool");
            pool.install(|| {
                let mut writer = DatasetWriter::create(dir.path(), "part-0").expect("writer");
                // Two reports a call, as chunks: several appends to each file.
                for pair in records.chunks(2) {
                    writer.write(pair).expect("write");
                }
                writer.finish().expect("finish");
            });
            let mut files = BTreeMap::new();
            for table in TABLES {
                for rel in crate::pipeline::parquet_files_under(&dir.path().join(table))
                    .expect("parquet files")
                {
                    let bytes = std::fs::read(dir.path().join(table).join(&rel)).expect("read");
                    files.insert(format!("{table}/{}", rel.display()), bytes);
                }
            }
            files
        };
        let one = written(1);
        // Every table, and a file a year for each partitioned one.
        assert_eq!(one.keys().filter(|k| k.starts_with("cells/")).count(), 4);
        assert_eq!(one.len(), 4 + 3 * 4);
        for threads in [2, 4] {
            let many = written(threads);
            assert_eq!(
                many.keys().collect::<Vec<_>>(),
                one.keys().collect::<Vec<_>>()
            );
            for (name, bytes) in &one {
                assert!(many[name] == *bytes, "{name} differs on {threads} threads");
            }
        }
    }

    /// What [`properties`] promises, read back from the files of the seeds:
    /// min/max on every column of the per-report tables and on the numbers
    /// of the per-row tables, none on the per-row tables' text, and
    /// `report_id` dictionary-encoded only where it is a row a report.
    #[test]
    fn statistics_and_dictionaries_follow_the_table_kind() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut writer = DatasetWriter::create(dir.path(), "part-0").expect("writer");
        writer.write(&seed_records(2020..2021)).expect("write");
        writer.finish().expect("finish");
        // (table, column) -> (has min/max, dictionary page)
        let mut seen = std::collections::BTreeMap::new();
        for table in ["reports", "cells", "checks"] {
            for metadata in metadata_under(&dir.path().join(table)) {
                for group in metadata.row_groups() {
                    for column in group.columns() {
                        let stats = column.statistics().and_then(|s| s.min_bytes_opt());
                        seen.insert(
                            (table, column.column_path().string()),
                            (stats.is_some(), column.dictionary_page_offset().is_some()),
                        );
                    }
                }
            }
        }
        let of = |table: &'static str, column: &str| seen[&(table, column.to_string())];
        assert_eq!(of("reports", "report_id"), (true, true));
        assert_eq!(of("reports", "path"), (true, true));
        assert_eq!(of("cells", "report_id"), (false, false));
        assert_eq!(of("cells", "row_key"), (false, true));
        assert_eq!(of("cells", "value"), (true, true));
        assert_eq!(of("checks", "rule"), (false, true));
        assert!(of("checks", "expected").0);
    }
}
