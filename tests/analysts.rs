//! What analysts get beyond the template's cells: agencies placed in their
//! regions, indicators, and checks across years.

mod common;

use common::*;

fn run_on(input: &std::path::Path, out: &std::path::Path) -> xxgk::pipeline::RunSummary {
    xxgk::pipeline::run(&config(input, out, 2), Default::default()).unwrap()
}

#[test]
fn every_sample_agency_is_placed_where_its_page_says() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_on(&repo().join("data"), &out);
    let reports = read_table(&out, "reports");
    let place = |path: &str| {
        let r = report(&reports, path);
        (
            r["province"].clone(),
            r["prefecture"].clone(),
            r["county"].clone(),
            r["county_code"].clone(),
        )
    };
    let s = |a: &str, b: &str, c: &str, d: &str| {
        (a.to_string(), b.to_string(), c.to_string(), d.to_string())
    };
    assert_eq!(
        place("000_c26d84461eef8b9b.txt"),
        s("安徽省", "亳州市", "涡阳县", "341621")
    );
    assert_eq!(
        place("001_fe15402ac693f5ed.txt"),
        s("浙江省", "宁波市", "余姚市", "330281")
    );
    // 蓉江新区 is no division; the page writes 赣州蓉江新区.
    assert_eq!(
        place("002_2f7acd81927c9392.txt"),
        s("江西省", "赣州市", "", "")
    );
    assert_eq!(
        place("003_40a1cdd5dd6550b0.txt"),
        s("安徽省", "宣城市", "郎溪县", "341821")
    );
    assert_eq!(
        place("004_75f5e1dd19ed0e46.txt"),
        s("河南省", "南阳市", "桐柏县", "411330")
    );
    assert_eq!(
        place("html/shanghai_office_2019_cut_gbk_undeclared.html"),
        s("上海市", "", "", "")
    );
    assert_eq!(
        place("html/tables_as_images.html"),
        s("安徽省", "宣城市", "郎溪县", "341821")
    );
    // 平潭综合实验区's pages name no division: unknown, not guessed.
    assert_eq!(
        place("html/pingtan_2022_word_gb2312.html"),
        s("", "", "", "")
    );
    let r = report(&reports, "004_75f5e1dd19ed0e46.txt");
    assert_eq!(
        (r["agency_level"].as_str(), r["agency_kind"].as_str()),
        ("县", "管理委员会")
    );
    // One key for the agency across its years.
    let keys: Vec<&str> = reports
        .iter()
        .filter(|r| r["path"].contains("pingtan"))
        .map(|r| r["agency_key"].as_str())
        .collect();
    assert_eq!(keys, ["平潭综合实验区"; 3]);
}

#[test]
fn a_seeded_break_between_years_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let page =
        std::fs::read_to_string(repo().join("tests/corpus/pages/pingtan_2022.cms.utf8.html"))
            .unwrap();
    std::fs::write(input.join("2022.html"), &page).unwrap();
    // The next year's page claims 5 requests carried over; 2022 carried none forward.
    let row = "<tr><td colspan=3>二、上年结转政府信息公开申请数量</td><td >1</td><td >0</td><td >0</td><td >0</td><td >0</td><td >0</td><td >1</td></tr>";
    assert!(page.contains(row));
    let next = page.replace("2022", "2023").replace(
        row,
        &row.replace("<td >1</td><td >0</td>", "<td >5</td><td >0</td>")
            .replace("<td >1</td></tr>", "<td >5</td></tr>"),
    );
    std::fs::write(input.join("2023.html"), next).unwrap();
    let out = dir.path().join("out");
    let summary = run_on(&input, &out);
    let reports = read_table(&out, "reports");
    let id_2023 = report(&reports, "2023.html")["report_id"].clone();
    let checks = read_table(&out, "checks");
    let cross: Vec<&Row> = checks
        .iter()
        .filter(|c| c["rule"].starts_with("cross_year"))
        .collect();
    let carried = cross
        .iter()
        .find(|c| c["rule"] == "cross_year_carried_over")
        .expect("a cross-year check");
    assert_eq!(carried["report_id"], id_2023);
    assert_eq!(
        (
            carried["expected"].as_str(),
            carried["actual"].as_str(),
            carried["passed"].as_str()
        ),
        ("0", "5", "false")
    );
    // In force: 2022's 698 + 88 issued − 55 repealed ≠ 698 written again for 2023.
    let in_force = cross
        .iter()
        .find(|c| c["rule"] == "cross_year_in_force")
        .unwrap();
    assert_eq!(
        (in_force["expected"].as_str(), in_force["passed"].as_str()),
        ("731", "false")
    );
    assert!(summary.checks_failed >= 2);
}

#[test]
fn a_year_held_twice_is_compared_through_the_copy_read_best() {
    // Pingtan's 2022 report as the sample's Word page and, added on the
    // next run, as the archive's text dump (whose run `8855698` leaves its
    // normative documents null). The checks across years compare the Word
    // page, as the summaries count it, on the run that adds the dump and on
    // the run after, which carries both reports over from the dataset.
    let cross_year = |out: &std::path::Path| {
        let reports = read_table(out, "reports");
        let path_of = |id: &str| {
            reports
                .iter()
                .find(|r| r["report_id"] == id)
                .map(|r| r["path"].clone())
                .unwrap()
        };
        let mut checks: Vec<(String, String, String, String)> = read_table(out, "checks")
            .iter()
            .filter(|c| c["rule"].starts_with("cross_year"))
            .map(|c| {
                (
                    path_of(&c["report_id"]),
                    c["rule"].clone(),
                    c["expected"].clone(),
                    c["passed"].clone(),
                )
            })
            .collect();
        checks.sort();
        checks
    };
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    for path in [
        "html/pingtan_2022_word_gb2312.html",
        "pingtan/pingtan_zhqgwh_2021.txt",
        "pingtan/pingtan_zhqgwh_2023.txt",
    ] {
        std::fs::create_dir_all(input.join(path).parent().unwrap()).unwrap();
        std::fs::copy(repo().join("data").join(path), input.join(path)).unwrap();
    }
    let out = dir.path().join("out");
    run_on(&input, &out);
    let once = cross_year(&out);
    let s = |a: &str, b: &str, c: &str| {
        (
            a.to_string(),
            b.to_string(),
            c.to_string(),
            "true".to_string(),
        )
    };
    // 2021's dump carried 1 request forward, 2022's page carried 1 over;
    // 2022 carried none forward, 2023's dump carried none over.
    assert_eq!(
        once,
        [
            s(
                "html/pingtan_2022_word_gb2312.html",
                "cross_year_carried_over",
                "1"
            ),
            s(
                "pingtan/pingtan_zhqgwh_2023.txt",
                "cross_year_carried_over",
                "0"
            ),
        ]
    );
    std::fs::copy(
        repo().join("../shared/corpus/real/pingtan_zhqgwh_2022.txt"),
        input.join("pingtan/pingtan_zhqgwh_2022.txt"),
    )
    .unwrap();
    let summary = run_on(&input, &out);
    assert_eq!(summary.changes.new, 1);
    assert_eq!(cross_year(&out), once);
    let summary = run_on(&input, &out);
    assert_eq!(summary.changes.new, 0);
    assert_eq!(cross_year(&out), once);
}

#[test]
fn indicators_of_the_sample() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_on(&repo().join("data"), &out);
    let reports = read_table(&out, "reports");
    let indicators = read_table(&out, "indicators");
    let of = |path: &str| {
        let id = &report(&reports, path)["report_id"];
        indicators
            .iter()
            .find(|r| &r["report_id"] == id)
            .unwrap()
            .clone()
    };
    let p = of("html/pingtan_2022_word_gb2312.html");
    assert_eq!(
        (
            p["requests_received"].as_str(),
            p["requests_handled"].as_str()
        ),
        ("75", "75")
    );
    assert_eq!(p["granted_share"], "0.4");
    assert_eq!(p["review_correction_rate"], "0.5");
    assert_eq!(p["normative_in_force"], "698");
    // Pingtan 2021's dump: in force is 69/3/665 or another cut of `693665`: null.
    assert_eq!(
        of("pingtan/pingtan_zhqgwh_2021.txt")["normative_in_force"],
        ""
    );
    // Seed 000 says it received no request, and its table agrees.
    let checks = read_table(&out, "checks");
    let id = &report(&reports, "000_c26d84461eef8b9b.txt")["report_id"];
    let narrative = checks
        .iter()
        .find(|c| &c["report_id"] == id && c["rule"] == "narrative_requests")
        .unwrap();
    assert_eq!(
        (narrative["expected"].as_str(), narrative["passed"].as_str()),
        ("0", "true")
    );
    // A list page has no indicators row.
    let id = &report(&reports, "html/column_list_page.html")["report_id"];
    assert!(indicators.iter().all(|r| &r["report_id"] != id));
}

#[test]
fn facts_of_the_seeds() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_on(&repo().join("data"), &out);
    let reports = read_table(&out, "reports");
    let facts = read_table(&out, "facts");
    let of = |path: &str| -> Vec<&Row> {
        let id = &report(&reports, path)["report_id"];
        facts.iter().filter(|f| &f["report_id"] == id).collect()
    };
    // Items published, as part 1 of each seed states them.
    let expected = [
        ("000_c26d84461eef8b9b.txt", "164", "false"),
        ("001_fe15402ac693f5ed.txt", "113", "false"),
        ("002_2f7acd81927c9392.txt", "200", "true"),
        ("003_40a1cdd5dd6550b0.txt", "151", "false"),
        ("004_75f5e1dd19ed0e46.txt", "120", "true"),
    ];
    for (path, figure, approximate) in expected {
        let items: Vec<&Row> = of(path)
            .into_iter()
            .filter(|f| f["fact_key"] == "items_published")
            .collect();
        assert_eq!(items.len(), 1, "{path}");
        assert_eq!(
            (
                items[0]["figure"].as_str(),
                items[0]["approximate"].as_str()
            ),
            (figure, approximate),
            "{path}"
        );
    }
    // No phone number, postcode, year or document number is a fact (numbers
    // that stand in the seeds' contact lines, dates and 〔2021〕30号 citations).
    let not_facts = [
        "558",
        "7230906",
        "233600",
        "563",
        "7012656",
        "242100",
        "7031842",
        "711",
        "109",
        "2020",
        "2021",
        "2023",
        "2024",
        "2025",
        "3418210040",
        "7502513",
    ];
    for f in facts.iter().filter(|f| {
        reports
            .iter()
            .any(|r| r["report_id"] == f["report_id"] && r["path"].starts_with("00"))
    }) {
        assert!(!not_facts.contains(&f["figure"].as_str()), "{f:?}");
    }
    // Seed 003's 政策解读类8条 is the one policy-interpretation figure.
    let interp: Vec<&str> = of("003_40a1cdd5dd6550b0.txt")
        .iter()
        .filter(|f| f["fact_key"] == "policy_interpretations")
        .map(|f| f["figure"].as_str())
        .collect();
    assert_eq!(interp, ["8"]);
}

#[test]
fn seed_000_task_table_as_grid_cells() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_on(&repo().join("data"), &out);
    let reports = read_table(&out, "reports");
    let grid = read_table(&out, "grid_cells");
    let id = &report(&reports, "000_c26d84461eef8b9b.txt")["report_id"];
    // Only seed 000 has a table beyond the template's (part 6's task list).
    assert!(grid.iter().all(|c| &c["report_id"] == id));
    // The dump's 89 cell lines: 4 header cells, 11 task groups of 4 cells
    // and 14 rows of 3 under a group's merged first column.
    assert_eq!(grid.len(), 4 + 11 * 4 + 14 * 3);
    let at = |row: &str, col: &str| {
        grid.iter()
            .find(|c| c["row_no"] == row && c["col_no"] == col)
            .unwrap_or_else(|| panic!("no cell {row},{col}"))
    };
    let header: Vec<&str> = (0..4)
        .map(|c| at("0", &c.to_string())["cell_text"].as_str())
        .collect();
    assert_eq!(header, ["工作任务", "具体内容", "责任股室", "完成时限"]);
    assert!(grid
        .iter()
        .all(|c| c["section_no"] == "6" && c["value"].is_empty()));
    let last = at("25", "3");
    assert_eq!(last["cell_text"], "长期推进");
    assert_eq!(last["row_label"], "十一、围绕机制完善抓好监督保障。");
    assert_eq!(last["col_label"], "完成时限");
    // 二、's second row: its own content, the group's label carried.
    let row4 = at("4", "1");
    assert!(row4["cell_text"].starts_with("提升解读材料质量"));
    assert_eq!(row4["row_label"], "二、围绕提质增效抓好政策解读。");
    let n_grid: usize = report(&reports, "000_c26d84461eef8b9b.txt")["n_grid_cells"]
        .parse()
        .unwrap();
    assert_eq!(n_grid, grid.len());
}
