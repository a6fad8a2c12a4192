//! The whole pipeline on the bundled sample (`data/`), read back from Parquet.
//! Expected values are read off the pages themselves (see each comment).

mod common;

use common::*;
use std::sync::OnceLock;

struct Dataset {
    _dir: tempfile::TempDir,
    out: std::path::PathBuf,
    summary: xxgk::pipeline::RunSummary,
}

/// One run shared by the tests of this file.
fn dataset() -> &'static Dataset {
    static DS: OnceLock<Dataset> = OnceLock::new();
    DS.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let summary =
            xxgk::pipeline::run(&config(&repo().join("data"), &out, 2), Default::default())
                .unwrap();
        Dataset {
            _dir: dir,
            out,
            summary,
        }
    })
}

const SEED_000: &str = "000_c26d84461eef8b9b.txt";
const SEED_001: &str = "001_fe15402ac693f5ed.txt";
const SEED_002: &str = "002_2f7acd81927c9392.txt";
const SEED_003: &str = "003_40a1cdd5dd6550b0.txt";
const SEED_004: &str = "004_75f5e1dd19ed0e46.txt";

#[test]
fn seeds_000_and_004_give_all_200_cells_as_zero() {
    let ds = dataset();
    let reports = read_table(&ds.out, "reports");
    let cells = read_table(&ds.out, "cells");
    for seed in [SEED_000, SEED_004] {
        let r = report(&reports, seed);
        assert_eq!(r["status"], "ok", "{seed}");
        assert_eq!(r["template"], "2021");
        let mine = cells_of(&cells, &r["report_id"]);
        assert_eq!(mine.len(), 200, "{seed}");
        assert!(
            mine.iter().all(|c| c["value"] == "0"),
            "{seed}: every cell is 0 on the page"
        );
    }
    // Seed 004 writes its cells run together (`规章000`, `0000000`): cut, and flagged so.
    let r = report(&reports, SEED_004);
    let c = cell(&cells, &r["report_id"], "requests", "new_received", "total");
    assert_eq!(
        (c["raw"].as_str(), c["flag"].as_str()),
        ("0", "resolved_from_run")
    );
}

#[test]
fn agency_and_year_of_the_seeds() {
    let reports = read_table(&dataset().out, "reports");
    let expect = [
        (SEED_000, "涡阳县招商服务中心", "2024"),
        (SEED_001, "余姚市人民政府招商中心", "2023"),
        (SEED_002, "蓉江新区政务服务和大数据发展中心", "2024"),
        (SEED_003, "郎溪县科技工信局", "2024"),
        (SEED_004, "桐柏县产业集聚区管理委员会", "2023"),
    ];
    for (seed, agency, year) in expect {
        let r = report(&reports, seed);
        assert_eq!(
            (r["agency"].as_str(), r["year"].as_str()),
            (agency, year),
            "{seed}"
        );
    }
    // 发布时间:2025-01-16 10:40 (seed 000); the signature 2024年1月17日 (seed 001).
    assert_eq!(report(&reports, SEED_000)["published"], "2025-01-16");
    assert_eq!(report(&reports, SEED_001)["published"], "2024-01-17");
}

#[test]
fn seed_001_has_no_tables_and_six_sections() {
    let ds = dataset();
    let r = report(&read_table(&ds.out, "reports"), SEED_001).clone();
    assert_eq!(r["status"], "no_tables");
    let sections: Vec<Row> = read_table(&ds.out, "sections")
        .into_iter()
        .filter(|s| s["report_id"] == r["report_id"])
        .collect();
    let numbers: Vec<&str> = sections.iter().map(|s| s["section_no"].as_str()).collect();
    assert_eq!(numbers, ["0", "1", "2", "3", "4", "5", "6"]);
    assert_eq!(sections[1]["heading"], "一、总体情况");
    assert!(sections[1]["text"].starts_with("2023年,在市委市政府的指导下"));
    assert!(sections[1]["text"].contains("公开政务信息113条"));
    assert_eq!(sections[5]["heading"], "五、存在的主要问题及改进情况");
    assert!(sections[6]["text"].starts_with("无。"));
    assert!(read_table(&ds.out, "cells")
        .iter()
        .all(|c| c["report_id"] != r["report_id"]));
}

#[test]
fn seed_002_values_and_blanks() {
    let ds = dataset();
    let r = report(&read_table(&ds.out, "reports"), SEED_002).clone();
    let cells = read_table(&ds.out, "cells");
    let id = &r["report_id"];
    assert_eq!(
        cell(&cells, id, "active_disclosure", "licensing", "decisions")["value"],
        "1491"
    );
    assert_eq!(
        cell(&cells, id, "requests", "new_received", "natural_person")["value"],
        "6"
    );
    assert_eq!(
        cell(&cells, id, "requests", "total_handled", "natural_person")["value"],
        "6"
    );
    // The page leaves these cells empty: null, not 0.
    let blank = cell(&cells, id, "requests", "new_received", "total");
    assert_eq!(
        (
            blank["value"].as_str(),
            blank["raw"].as_str(),
            blank["flag"].as_str()
        ),
        ("", "", "blank")
    );
    let blanks = cells_of(&cells, id)
        .iter()
        .filter(|c| c["flag"] == "blank")
        .count();
    assert_eq!(blanks, 175 - 2);
    // And so the row total does not hold, which the checks record.
    let checks = read_table(&ds.out, "checks");
    let failed: Vec<_> = checks
        .iter()
        .filter(|c| &c["report_id"] == id && c["passed"] == "false")
        .collect();
    assert!(failed
        .iter()
        .any(|c| c["rule"] == "requests_row_total" && c["row_key"] == "new_received"));
}

#[test]
fn seed_003_traditional_does_not_fail_the_run() {
    let reports = read_table(&dataset().out, "reports");
    let r = report(&reports, SEED_003);
    assert_eq!(r["script"], "traditional");
    assert_eq!(r["status"], "partial");
}

#[test]
fn html_samples() {
    let ds = dataset();
    let reports = read_table(&ds.out, "reports");
    let cells = read_table(&ds.out, "cells");
    // GBK, Word-exported, with the figures of Pingtan's 2022 report.
    let r = report(&reports, "html/pingtan_2022_word_gb2312.html");
    assert_eq!(
        (r["status"].as_str(), r["encoding"].as_str()),
        ("ok", "GBK")
    );
    let id = &r["report_id"];
    assert_eq!(
        cell(&cells, id, "active_disclosure", "fees", "fee_amount")["value"],
        "9116.36"
    );
    assert_eq!(
        cell(&cells, id, "requests", "other_other", "commercial")["value"],
        "2"
    );
    assert_eq!(
        cell(
            &cells,
            id,
            "review_litigation",
            "litigation_direct",
            "total"
        )["value"],
        "1"
    );
    // The 2019 template, GBK with no declaration (cut from shanghai_gov_office_2019.html).
    let r = report(
        &reports,
        "html/shanghai_office_2019_cut_gbk_undeclared.html",
    );
    assert_eq!(
        (r["template"].as_str(), r["encoding_source"].as_str()),
        ("2019", "detected")
    );
    let id = &r["report_id"];
    let amount = cell(
        &cells,
        id,
        "active_disclosure",
        "procurement",
        "procurement_amount",
    );
    assert_eq!(
        (amount["value"].as_str(), amount["unit"].as_str()),
        ("251000", "元")
    );
    assert_eq!(
        cell(&cells, id, "requests", "new_received", "total")["value"],
        "859"
    );
    assert_eq!(
        cell(
            &cells,
            id,
            "requests",
            "unavailable_not_held",
            "natural_person"
        )["value"],
        "252"
    );
    assert_eq!(
        cell(&cells, id, "requests", "total_handled", "total")["value"],
        "805"
    );
    assert_eq!(
        cell(&cells, id, "requests", "other_handling", "natural_person")["flag"],
        "blank"
    );
    assert_eq!(
        cell(&cells, id, "review_litigation", "review", "upheld")["value"],
        "5"
    );
    assert_eq!(
        cell(
            &cells,
            id,
            "review_litigation",
            "litigation_direct",
            "upheld"
        )["value"],
        "8"
    );
    assert_eq!(
        cell(
            &cells,
            id,
            "review_litigation",
            "litigation_direct",
            "corrected"
        )["flag"],
        "blank"
    );
    assert_eq!(
        report(&reports, "html/column_list_page.html")["status"],
        "not_a_report"
    );
    assert_eq!(
        report(&reports, "html/tables_as_images.html")["status"],
        "no_tables"
    );
}

#[test]
fn every_input_has_one_report_row_and_the_summary_agrees() {
    let ds = dataset();
    let reports = read_table(&ds.out, "reports");
    assert_eq!(reports.len(), ds.summary.files);
    let mut paths: Vec<&str> = reports.iter().map(|r| r["path"].as_str()).collect();
    let sorted = {
        let mut p = paths.clone();
        p.sort();
        p
    };
    assert_eq!(paths, sorted, "rows in path order");
    paths.dedup();
    assert_eq!(paths.len(), reports.len());
    assert_eq!(ds.summary.cells, read_table(&ds.out, "cells").len());
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ds.out.join("run_summary.json")).unwrap())
            .unwrap();
    assert_eq!(json["files"], reports.len());
}
