use super::*;

fn line(text: &str, x: f32, y: f32, w: f32) -> Line {
    Line {
        text: text.to_owned(),
        chars: text.chars().map(|c| (c, 0.95)).collect(),
        bbox: TextBox::level(x, y, w, 36.0, 0.9),
    }
}

fn portrait_lines() -> Vec<Line> {
    vec![
        line("姓名", 40.0, 50.0, 70.0),
        line("张三丰", 150.0, 46.0, 120.0),
        line("性别男", 40.0, 110.0, 140.0),
        line("民族汉", 250.0, 110.0, 110.0),
        line("出生1990年3月7日", 40.0, 170.0, 330.0),
        line("住址", 40.0, 230.0, 70.0),
        line("北京市东城区景山前街", 150.0, 230.0, 380.0),
        line("4号院2单元", 150.0, 275.0, 200.0),
        line("公民身份号码", 40.0, 440.0, 220.0),
        line("11010519900307002X", 300.0, 436.0, 420.0),
    ]
}

#[test]
fn the_portrait_side_and_its_fields() {
    let (side, f) = read_layout(&portrait_lines());
    assert_eq!(side, CardSide::Portrait);
    let text = |v: &Option<Field>| v.as_ref().map(|v| v.text.clone());
    assert_eq!(text(&f.name).as_deref(), Some("张三丰"));
    assert_eq!(text(&f.sex).as_deref(), Some("男"));
    assert_eq!(text(&f.ethnicity).as_deref(), Some("汉"));
    assert_eq!(text(&f.birth).as_deref(), Some("1990-03-07"));
    assert_eq!(
        text(&f.address).as_deref(),
        Some("北京市东城区景山前街4号院2单元")
    );
    assert_eq!(text(&f.id_number).as_deref(), Some("11010519900307002X"));
    // The name's box is the value's line, not its label's.
    let b = f.name.map(|n| n.bbox).unwrap_or_default();
    assert!(
        (b[0] - 150.0).abs() < 1.0 && (b[2] - 120.0).abs() < 1.0,
        "{b:?}"
    );
}

#[test]
fn a_value_read_with_its_label_in_one_line_is_the_same_value() {
    let lines = vec![
        line("姓名张三丰", 40.0, 50.0, 230.0),
        line("公民身份号码11010519900307002X", 40.0, 440.0, 680.0),
    ];
    let (side, f) = read_layout(&lines);
    assert_eq!(side, CardSide::Portrait);
    assert_eq!(f.name.map(|v| v.text).as_deref(), Some("张三丰"));
    assert_eq!(
        f.id_number.map(|v| v.text).as_deref(),
        Some("11010519900307002X")
    );
}

#[test]
fn a_name_read_in_traditional_characters_is_given_in_simplified_ones() {
    let (_, f) = read_layout(&[
        line("姓名黃麗", 40.0, 50.0, 200.0),
        line("性别女", 40.0, 110.0, 140.0),
    ]);
    assert_eq!(f.name.map(|v| v.text).as_deref(), Some("黄丽"));
}

#[test]
fn characters_two_lines_both_read_count_once() {
    // The date read as two lines grown into each other: "1973" and "3年2月13日" share the 3.
    let lines = vec![
        line("姓名", 40.0, 50.0, 70.0),
        line("出生", 40.0, 170.0, 70.0),
        line("1973", 150.0, 170.0, 80.0),
        line("3年2月13日", 215.0, 170.0, 140.0),
    ];
    let (_, f) = read_layout(&lines);
    assert_eq!(f.birth.map(|v| v.text).as_deref(), Some("1973-02-13"));
    // A label grown into its value's first character keeps it: they differ.
    let lines = vec![
        line("中华人民共和国", 300.0, 60.0, 400.0),
        line("签发机关", 150.0, 380.0, 130.0),
        line("乌鲁木齐市公安局", 270.0, 380.0, 320.0),
    ];
    let (_, f) = read_layout(&lines);
    assert_eq!(
        f.authority.map(|v| v.text).as_deref(),
        Some("乌鲁木齐市公安局")
    );
}

#[test]
fn the_emblem_side_with_a_dated_or_long_term_period() {
    let mut lines = vec![
        line("中华人民共和国", 300.0, 60.0, 400.0),
        line("居民身份证", 260.0, 140.0, 480.0),
        line("签发机关北京市公安局东城分局", 150.0, 380.0, 520.0),
        line("有效期限2015.03.07-2035.03.07", 150.0, 440.0, 560.0),
    ];
    let (side, f) = read_layout(&lines);
    assert_eq!(side, CardSide::Emblem);
    assert_eq!(
        f.authority.map(|v| v.text).as_deref(),
        Some("北京市公安局东城分局")
    );
    assert_eq!(f.valid_from.map(|v| v.text).as_deref(), Some("2015-03-07"));
    assert_eq!(f.valid_to.map(|v| v.text).as_deref(), Some("2035-03-07"));
    lines[3] = line("有效期限2015.03.07-长期", 150.0, 440.0, 460.0);
    let (_, f) = read_layout(&lines);
    assert_eq!(f.valid_to.map(|v| v.text).as_deref(), Some("长期"));
}

#[test]
fn a_misread_character_in_a_long_label_still_finds_it() {
    let lines = vec![
        line("中华人民共和国", 300.0, 60.0, 400.0),
        line("签发机天北京市公安局", 150.0, 380.0, 520.0),
    ];
    let (side, f) = read_layout(&lines);
    assert_eq!(side, CardSide::Emblem);
    assert_eq!(f.authority.map(|v| v.text).as_deref(), Some("北京市公安局"));
}

#[test]
fn text_without_the_labels_is_no_side() {
    let lines = vec![
        line("中国银行", 40.0, 50.0, 200.0),
        line("6222 0212 3456 7890", 40.0, 300.0, 500.0),
    ];
    assert_eq!(read_layout(&lines).0, CardSide::Unknown);
    assert_eq!(read_layout(&[]).0, CardSide::Unknown);
}

#[test]
fn dates_in_the_forms_printed() {
    assert_eq!(chinese_date("1990年3月7日").as_deref(), Some("1990-03-07"));
    assert_eq!(chinese_date("19900307").as_deref(), Some("1990-03-07"));
    assert_eq!(chinese_date("1990年2月30日"), None);
    assert_eq!(chinese_date("年月日"), None);
    let (a, b) = dotted_period("20150307-20350307");
    assert_eq!(
        (a.as_deref(), b.as_deref()),
        (Some("2015-03-07"), Some("2035-03-07"))
    );
    let (a, b) = dotted_period("2015.03.07-");
    assert_eq!((a.as_deref(), b), (Some("2015-03-07"), None));
}
