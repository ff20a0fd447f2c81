//! GB/T 2260 administrative division codes: the fixed province-level list (checked strictly)
//! and the bundled table of county-level codes, current and retired (`regions.tsv`, generated
//! by `scripts/gen_regions.py`). A number keeps its address code for life, so a retired code
//! is as good as a current one.

use serde::Serialize;
use std::sync::OnceLock;

/// Province-level divisions (digits 1–2 of an address code), GB/T 2260.
pub const PROVINCES: &[(&str, &str)] = &[
    ("11", "北京市"),
    ("12", "天津市"),
    ("13", "河北省"),
    ("14", "山西省"),
    ("15", "内蒙古自治区"),
    ("21", "辽宁省"),
    ("22", "吉林省"),
    ("23", "黑龙江省"),
    ("31", "上海市"),
    ("32", "江苏省"),
    ("33", "浙江省"),
    ("34", "安徽省"),
    ("35", "福建省"),
    ("36", "江西省"),
    ("37", "山东省"),
    ("41", "河南省"),
    ("42", "湖北省"),
    ("43", "湖南省"),
    ("44", "广东省"),
    ("45", "广西壮族自治区"),
    ("46", "海南省"),
    ("50", "重庆市"),
    ("51", "四川省"),
    ("52", "贵州省"),
    ("53", "云南省"),
    ("54", "西藏自治区"),
    ("61", "陕西省"),
    ("62", "甘肃省"),
    ("63", "青海省"),
    ("64", "宁夏回族自治区"),
    ("65", "新疆维吾尔自治区"),
    ("71", "台湾省"),
    ("81", "香港特别行政区"),
    ("82", "澳门特别行政区"),
    ("83", "台湾地区"),
];

/// The bundled table: `code<TAB>name<TAB>retired-year` lines, sorted by code.
const TABLE: &str = include_str!("regions.tsv");

/// What the table says about a 6-digit address code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Region {
    pub code: String,
    /// The province-level division's name.
    pub province: &'static str,
    /// The division's own name, when the table knows the code.
    pub name: Option<&'static str>,
    /// The year the code was withdrawn (numbers issued before keep it).
    pub retired: Option<u16>,
}

/// The province-level name for a 2-digit code.
pub fn province(code: &[u8]) -> Option<&'static str> {
    PROVINCES
        .iter()
        .find(|(c, _)| c.as_bytes() == code)
        .map(|(_, n)| *n)
}

/// One row of the table: code, name, year retired.
type Row = (&'static str, &'static str, Option<u16>);

/// The table parsed once, sorted by code.
fn rows() -> &'static [Row] {
    static ROWS: OnceLock<Vec<Row>> = OnceLock::new();
    ROWS.get_or_init(|| {
        let mut rows: Vec<Row> = TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|line| {
                let mut cols = line.split('\t');
                let code = cols.next().unwrap_or("");
                let name = cols.next().unwrap_or("");
                (code, name, cols.next().and_then(|y| y.parse().ok()))
            })
            .collect();
        rows.sort_unstable_by_key(|r| r.0);
        rows
    })
}

/// Look a 6-digit code up in the bundled table: `Some((name, retired))` when it is known.
pub fn lookup(code: &str) -> Option<(&'static str, Option<u16>)> {
    let rows = rows();
    let i = rows.binary_search_by(|r| r.0.cmp(code)).ok()?;
    Some((rows[i].1, rows[i].2))
}

/// The region of a 6-digit address code, or `None` when its province is not a real one.
pub fn region(code: &str) -> Option<Region> {
    let province = province(code.as_bytes().get(..2)?)?;
    let found = lookup(code);
    Some(Region {
        code: code.to_owned(),
        province,
        name: found.map(|(n, _)| n),
        retired: found.and_then(|(_, r)| r),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provinces_are_strict_and_counties_come_from_the_table() {
        assert_eq!(province(b"11"), Some("北京市"));
        assert_eq!(province(b"10"), None);
        assert_eq!(province(b"99"), None);
        assert_eq!(lookup("110105"), Some(("朝阳区", None)));
        // Retired in 2010 (merged into 东城区), still valid for numbers issued before.
        assert_eq!(lookup("110103"), Some(("崇文区", Some(2009))));
        assert_eq!(lookup("119999"), None);
        let r = region("440524");
        assert_eq!(
            r.map(|r| (r.province, r.retired)),
            Some(("广东省", Some(1992)))
        );
    }

    #[test]
    fn every_table_code_has_a_real_province() {
        for line in TABLE.lines().filter(|l| !l.starts_with('#')) {
            let code = line.split('\t').next().unwrap_or("");
            assert!(
                code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()),
                "{line}"
            );
            assert!(province(&code.as_bytes()[..2]).is_some(), "{line}");
        }
    }
}
