//! Random card texts, from a seed, that a real card could say.

pub use okpay_photo::specimen::Rng;
use okpay_photo::specimen::{CardText, Fonts};
use okpay_rules::validate::date::days_in_month;
use okpay_rules::validate::validity::{Term, expected_term};
use okpay_rules::validate::{Date, IdKind, check_char};

const SURNAMES: [&str; 24] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "欧阳", "司马", "诸葛", "上官",
];
const GIVEN: &str = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红梅林玉兰海燕晨宇浩然子涵欣怡梓轩雨萱";
const RARE: [char; 8] = ['琇', '曌', '䶮', '赟', '龑', '翀', '堃', '淼'];
const MINORITY: [&str; 6] = [
    "阿依古丽·买买提",
    "买买提·艾力",
    "古丽娜尔·吐尔逊",
    "扎西·多吉",
    "热依拉·阿不都",
    "艾尔肯·努尔",
];
const ETHNICITIES: [&str; 6] = ["汉", "回", "满", "维吾尔", "藏", "壮"];
const PLACES: [(&str, &str, &str); 5] = [
    ("110105", "北京市朝阳区", "北京市公安局朝阳分局"),
    ("310104", "上海市徐汇区", "上海市公安局徐汇分局"),
    ("440106", "广东省广州市天河区", "广州市公安局天河分局"),
    ("510107", "四川省成都市武侯区", "成都市公安局武侯区分局"),
    (
        "650102",
        "新疆乌鲁木齐市天山区",
        "乌鲁木齐市公安局天山区分局",
    ),
];
const STREETS: [&str; 6] = [
    "建国路",
    "中山东一路",
    "天河北路",
    "人民南路四段",
    "解放北路",
    "和平里大街",
];

/// A name: mostly common two- or three-character names, some with a rare character (when a
/// font has it), some compound surnames, some minority names with ·.
pub fn name(rng: &mut Rng, fonts: &Fonts) -> String {
    let given: Vec<char> = GIVEN.chars().collect();
    match rng.below(10) {
        0 => rng.pick(&MINORITY).to_string(),
        1 => {
            let rare = *rng.pick(&RARE);
            let rare = if fonts.has(rare) { rare } else { '琇' };
            format!("{}{}", rng.pick(&SURNAMES[..20]), rare)
        }
        n => {
            let surname = rng.pick(&SURNAMES);
            let len = if n < 5 { 1 } else { 2 };
            let g: String = (0..len).map(|_| *rng.pick(&given)).collect();
            format!("{surname}{g}")
        }
    }
}

/// A whole card: a valid number that agrees with the printed birth date and sex, and a
/// validity period of the length the law sets for the age at issue, issued before 2026-12.
pub fn card(rng: &mut Rng, fonts: &Fonts) -> CardText {
    let (region, place, authority) = *rng.pick(&PLACES);
    let year = 1950 + rng.below(56) as i32;
    let month = 1 + rng.below(12) as u8;
    let day = 1 + rng.below(usize::from(days_in_month(year, month))) as u8;
    let male = rng.below(2) == 0;
    let seq = rng.below(100) * 10
        + if male {
            1 + 2 * rng.below(5)
        } else {
            2 * rng.below(5)
        };
    let body = format!("{region}{year:04}{month:02}{day:02}{seq:03}");
    let mut digits = [0u8; 17];
    digits.copy_from_slice(body.as_bytes());
    let id_number = format!("{body}{}", char::from(check_char(&digits)));
    // Issued at an age from 16 on, in a year before 2027.
    let issue_year = (year + 16 + rng.below(40) as i32).min(2026);
    let (im, id) = (1 + rng.below(12) as u8, 1 + rng.below(28) as u8);
    let issued = Date::new(issue_year, im, id).unwrap_or_else(|| unreachable!());
    let born = Date::new(year, month, day).unwrap_or_else(|| unreachable!());
    let valid_from = format!("{issue_year:04}.{im:02}.{id:02}");
    let valid_to = match expected_term(IdKind::Resident, born.age_on(issued)) {
        Term::Years(t) => format!("{:04}.{im:02}.{id:02}", issue_year + i32::from(t)),
        Term::LongTerm => "长期".to_owned(),
    };
    let address = format!(
        "{place}{}{}号{}单元",
        rng.pick(&STREETS),
        1 + rng.below(300),
        1 + rng.below(6)
    );
    CardText {
        name: name(rng, fonts),
        sex: if male { "男" } else { "女" }.to_owned(),
        ethnicity: rng.pick(&ETHNICITIES).to_string(),
        birth: (year, month, day),
        address,
        id_number,
        authority: authority.to_owned(),
        valid_from,
        valid_to,
    }
}
