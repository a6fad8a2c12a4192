//! The State Council's report template: its tables, rows, columns and the
//! dataset keys for them (`../shared/spec/REPORT_TEMPLATE.md` is the contract).
//!
//! Labels are matched through *signatures*: short substrings of the
//! normalised label (see [`crate::text::normalize_label`]) that occur in that
//! row's label and in no other label of the same table. Signatures are
//! matched, not whole labels, because real pages abbreviate, break and
//! decorate labels (`3.危及"三安全一稳定"`, `(三)不予公开1.属于国家秘密`).

/// Which edition of the template a report follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Template {
    /// 国办公开办函〔2021〕30号: reports on 2021 and later.
    T2021,
    /// 国办公开办函〔2019〕60号: reports on 2019 and 2020.
    T2019,
}

impl Template {
    pub fn as_str(self) -> &'static str {
        match self {
            Template::T2021 => "2021",
            Template::T2019 => "2019",
        }
    }
}

/// The three template tables (parts 2, 3 and 4 of a report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableName {
    ActiveDisclosure,
    Requests,
    ReviewLitigation,
}

impl TableName {
    pub const ALL: [TableName; 3] = [
        TableName::ActiveDisclosure,
        TableName::Requests,
        TableName::ReviewLitigation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TableName::ActiveDisclosure => "active_disclosure",
            TableName::Requests => "requests",
            TableName::ReviewLitigation => "review_litigation",
        }
    }

    /// The report section (part) that holds this table.
    pub fn section_no(self) -> u8 {
        match self {
            TableName::ActiveDisclosure => 2,
            TableName::Requests => 3,
            TableName::ReviewLitigation => 4,
        }
    }
}

/// One row of a template table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowSpec {
    pub key: &'static str,
    /// The label as the template prints it (simplified script).
    pub label: &'static str,
    /// Substrings of the normalised label that identify the row.
    pub signatures: &'static [&'static str],
    /// Column keys of this row, in page order.
    pub cols: &'static [&'static str],
}

/// The rows of one table in one template edition, in page order.
#[derive(Debug, Clone, Copy)]
pub struct TableSpec {
    pub table: TableName,
    pub template: Template,
    pub rows: &'static [RowSpec],
}

impl TableSpec {
    /// Number of cells this table has in this edition.
    pub fn n_cells(&self) -> usize {
        self.rows.iter().map(|r| r.cols.len()).sum()
    }

    pub fn row(&self, key: &str) -> Option<&'static RowSpec> {
        self.rows.iter().find(|r| r.key == key)
    }
}

const ISSUED_REPEALED_IN_FORCE: &[&str] = &["issued", "repealed", "in_force"];
const DECISIONS: &[&str] = &["decisions"];
const PRODUCED_PUBLISHED_TOTAL: &[&str] = &["produced", "published", "public_total"];
const PREV_CHANGE_DECISIONS: &[&str] = &["prev_year_items", "change", "decisions"];

const fn row(
    key: &'static str,
    label: &'static str,
    signatures: &'static [&'static str],
    cols: &'static [&'static str],
) -> RowSpec {
    RowSpec {
        key,
        label,
        signatures,
        cols,
    }
}

pub const ACTIVE_2021: &[RowSpec] = &[
    row("regulations", "规章", &["规章"], ISSUED_REPEALED_IN_FORCE),
    row(
        "normative_documents",
        "行政规范性文件",
        &["规范性文件"],
        ISSUED_REPEALED_IN_FORCE,
    ),
    row("licensing", "行政许可", &["行政许可"], DECISIONS),
    row("penalty", "行政处罚", &["行政处罚"], DECISIONS),
    row("coercion", "行政强制", &["行政强制"], DECISIONS),
    row(
        "fees",
        "行政事业性收费",
        &["行政事业性收费"],
        &["fee_amount"],
    ),
];

pub const ACTIVE_2019: &[RowSpec] = &[
    row("regulations", "规章", &["规章"], PRODUCED_PUBLISHED_TOTAL),
    row(
        "normative_documents",
        "规范性文件",
        &["规范性文件"],
        PRODUCED_PUBLISHED_TOTAL,
    ),
    row(
        "licensing",
        "行政许可",
        &["行政许可"],
        PREV_CHANGE_DECISIONS,
    ),
    row(
        "other_services",
        "其他对外管理服务事项",
        &["其他对外管理服务事项"],
        PREV_CHANGE_DECISIONS,
    ),
    row("penalty", "行政处罚", &["行政处罚"], PREV_CHANGE_DECISIONS),
    row("coercion", "行政强制", &["行政强制"], PREV_CHANGE_DECISIONS),
    row(
        "fees",
        "行政事业性收费",
        &["行政事业性收费"],
        &["prev_year_items", "change"],
    ),
    row(
        "procurement",
        "政府集中采购",
        &["政府集中采购"],
        &["procurement_items", "procurement_amount"],
    ),
];

/// Applicant-type columns of the requests table, in page order.
pub const REQUEST_COLS: &[&str] = &[
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_services",
    "other_org",
    "total",
];

macro_rules! request_rows {
    ($($key:literal, $label:literal, [$($sig:literal),+];)*) => {
        &[$(row($key, $label, &[$($sig),+], REQUEST_COLS)),*]
    };
}

/// Rows shared by both editions before the （六）其他处理 block.
const REQUEST_ROWS_HEAD: &[RowSpec] = request_rows! {
    "new_received", "一、本年新收政府信息公开申请数量", ["本年新收"];
    "carried_over", "二、上年结转政府信息公开申请数量", ["上年结转"];
    "granted", "（一）予以公开", ["予以公开"];
    "partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ["部分公开"];
    "denied_state_secret", "1.属于国家秘密", ["国家秘密"];
    "denied_prohibited_by_law", "2.其他法律行政法规禁止公开", ["行政法规禁止"];
    "denied_security_stability", "3.危及“三安全一稳定”", ["三安全一稳定"];
    "denied_third_party_rights", "4.保护第三方合法权益", ["第三方合法权益"];
    "denied_internal_affairs", "5.属于三类内部事务信息", ["三类内部事务"];
    "denied_process_information", "6.属于四类过程性信息", ["四类过程性"];
    "denied_enforcement_files", "7.属于行政执法案卷", ["行政执法案卷"];
    "denied_administrative_query", "8.属于行政查询事项", ["行政查询事项"];
    "unavailable_not_held", "1.本机关不掌握相关政府信息", ["不掌握"];
    "unavailable_needs_creation", "2.没有现成信息需要另行制作", ["另行制作"];
    "unavailable_still_unclear", "3.补正后申请内容仍不明确", ["仍不明确"];
    "not_processed_petition", "1.信访举报投诉类申请", ["信访举报投诉"];
    "not_processed_repeated", "2.重复申请", ["重复申请"];
    "not_processed_publication", "3.要求提供公开出版物", ["公开出版物"];
    "not_processed_mass_repeated", "4.无正当理由大量反复申请", ["大量反复", "大量反覆"];
    // A second signature early in the label: a PDF's text wraps it
    // (`5.要求行政机关确认或重新` / `出具已获取信息`).
    "not_processed_confirm_reissue", "5.要求行政机关确认或重新出具已获取信息", ["重新出具", "行政机关确认"];
};

const REQUEST_ROWS_TAIL: &[RowSpec] = request_rows! {
    "total_handled", "（七）总计", ["(七)总计", "(七)合计", "七、总计"];
    "carried_forward", "四、结转下年度继续办理", ["结转下年度"];
};

const REQUEST_ROWS_OTHER_2021: &[RowSpec] = request_rows! {
    "other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", ["逾期不补正", "无正当理由逾期"];
    "other_unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", ["缴纳费用", "收费通知"];
    "other_other", "3.其他", ["3.其他"];
};

const REQUEST_ROWS_OTHER_2019: &[RowSpec] = request_rows! {
    "other_handling", "（六）其他处理", ["其他处理"];
};

const fn concat3<const N: usize>(a: &[RowSpec], b: &[RowSpec], c: &[RowSpec]) -> [RowSpec; N] {
    let empty = row("", "", &[], &[]);
    let mut out = [empty; N];
    let mut i = 0;
    while i < a.len() {
        out[i] = a[i];
        i += 1;
    }
    let mut j = 0;
    while j < b.len() {
        out[i + j] = b[j];
        j += 1;
    }
    let mut k = 0;
    while k < c.len() {
        out[i + j + k] = c[k];
        k += 1;
    }
    out
}

pub const REQUESTS_2021: &[RowSpec] = &concat3::<25>(
    REQUEST_ROWS_HEAD,
    REQUEST_ROWS_OTHER_2021,
    REQUEST_ROWS_TAIL,
);
pub const REQUESTS_2019: &[RowSpec] = &concat3::<23>(
    REQUEST_ROWS_HEAD,
    REQUEST_ROWS_OTHER_2019,
    REQUEST_ROWS_TAIL,
);

/// Result columns of the review/litigation table, in page order.
pub const REVIEW_COLS: &[&str] = &["upheld", "corrected", "other", "pending", "total"];

/// Part 4 prints one data row of 15 numbers: these three rows side by side.
pub const REVIEW_ROWS: &[RowSpec] = &[
    row("review", "行政复议", &["行政复议"], REVIEW_COLS),
    row(
        "litigation_direct",
        "行政诉讼 / 未经复议直接起诉",
        &["未经复议直接起诉"],
        REVIEW_COLS,
    ),
    row(
        "litigation_after_review",
        "行政诉讼 / 复议后起诉",
        &["复议后起诉"],
        REVIEW_COLS,
    ),
];

/// The rows of `table` in `template`.
pub fn spec(table: TableName, template: Template) -> TableSpec {
    let rows = match (table, template) {
        (TableName::ActiveDisclosure, Template::T2021) => ACTIVE_2021,
        (TableName::ActiveDisclosure, Template::T2019) => ACTIVE_2019,
        (TableName::Requests, Template::T2021) => REQUESTS_2021,
        (TableName::Requests, Template::T2019) => REQUESTS_2019,
        (TableName::ReviewLitigation, _) => REVIEW_ROWS,
    };
    TableSpec {
        table,
        template,
        rows,
    }
}

/// Labels that only one edition prints, for telling them apart by content
/// rather than by the year (a 2020 report may use the 2021 edition early).
pub const MARKERS_2021: &[&str] = &[
    "本年制发件数",
    "现行有效件数",
    "本年废止件数",
    "逾期不补正",
    "缴纳费用",
];
pub const MARKERS_2019: &[&str] = &[
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "其他对外管理服务事项",
    "政府集中采购",
];

/// Requests-table outcome rows summed by rule `requests_handled_sum`.
pub fn outcome_rows(template: Template) -> impl Iterator<Item = &'static RowSpec> {
    spec(TableName::Requests, template).rows.iter().filter(|r| {
        !matches!(
            r.key,
            "new_received" | "carried_over" | "total_handled" | "carried_forward"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_2021_template_has_200_cells() {
        let n: usize = TableName::ALL
            .iter()
            .map(|&t| spec(t, Template::T2021).n_cells())
            .sum();
        assert_eq!(n, 10 + 25 * 7 + 15);
    }

    #[test]
    fn the_2019_template_rows_follow_the_spec() {
        let req = spec(TableName::Requests, Template::T2019);
        assert_eq!(req.rows.len(), 23);
        assert!(req.row("other_handling").is_some());
        assert!(req.row("other_other").is_none());
        assert_eq!(
            spec(TableName::ActiveDisclosure, Template::T2019).n_cells(),
            3 * 6 + 2 + 2
        );
    }

    #[test]
    fn signatures_are_unique_within_a_table() {
        for table in TableName::ALL {
            for template in [Template::T2021, Template::T2019] {
                let s = spec(table, template);
                for a in s.rows {
                    for b in s.rows {
                        if a.key == b.key {
                            continue;
                        }
                        for sig in a.signatures {
                            assert!(
                                !crate::text::normalize_label(b.label).contains(sig),
                                "{sig} of {} also matches {}",
                                a.key,
                                b.key
                            );
                        }
                    }
                }
            }
        }
    }
}
