//! The unit directory: courts, procuratorates, public-security bureaus, justice bureaus,
//! associations and (demo) law firms, with the kind, level and region that lead routing needs.
//!
//! The seed list below is the directory of `shared/spec/interfaces.md`; it is loaded into the
//! database on first start and read back from there, so administrators can edit it later.

use serde::{Deserialize, Serialize};

/// What kind of body a unit is. Routing treats courts, procuratorates and public security as
/// judicial organs ("司法机关").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Court,
    Procuratorate,
    PublicSecurity,
    JusticeBureau,
    BarAssociation,
    JudgesAssociation,
    ProsecutorsAssociation,
    PoliceAssociation,
    LawFirm,
}

impl UnitKind {
    /// All kinds, in display order.
    pub const ALL: [UnitKind; 9] = [
        UnitKind::Court,
        UnitKind::Procuratorate,
        UnitKind::PublicSecurity,
        UnitKind::JusticeBureau,
        UnitKind::BarAssociation,
        UnitKind::JudgesAssociation,
        UnitKind::ProsecutorsAssociation,
        UnitKind::PoliceAssociation,
        UnitKind::LawFirm,
    ];

    /// Stable code stored in the database and used in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Court => "court",
            UnitKind::Procuratorate => "procuratorate",
            UnitKind::PublicSecurity => "public_security",
            UnitKind::JusticeBureau => "justice_bureau",
            UnitKind::BarAssociation => "bar_association",
            UnitKind::JudgesAssociation => "judges_association",
            UnitKind::ProsecutorsAssociation => "prosecutors_association",
            UnitKind::PoliceAssociation => "police_association",
            UnitKind::LawFirm => "law_firm",
        }
    }

    /// Parses the code written by [`UnitKind::as_str`].
    pub fn parse(s: &str) -> Option<UnitKind> {
        UnitKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Courts, procuratorates and public-security organs: the "司法机关" of Articles 6–8.
    pub fn is_judicial_organ(self) -> bool {
        matches!(
            self,
            UnitKind::Court | UnitKind::Procuratorate | UnitKind::PublicSecurity
        )
    }

    /// The exchange associations of Article 12 (the lawyers' association included).
    pub fn is_association(self) -> bool {
        matches!(
            self,
            UnitKind::BarAssociation
                | UnitKind::JudgesAssociation
                | UnitKind::ProsecutorsAssociation
                | UnitKind::PoliceAssociation
        )
    }

    /// Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            UnitKind::Court => "人民法院",
            UnitKind::Procuratorate => "人民检察院",
            UnitKind::PublicSecurity => "公安机关",
            UnitKind::JusticeBureau => "司法行政部门",
            UnitKind::BarAssociation => "律师协会",
            UnitKind::JudgesAssociation => "法官协会",
            UnitKind::ProsecutorsAssociation => "检察官协会",
            UnitKind::PoliceAssociation => "警察协会",
            UnitKind::LawFirm => "律师事务所",
        }
    }

    /// English label.
    pub fn label_en(self) -> &'static str {
        match self {
            UnitKind::Court => "People's court",
            UnitKind::Procuratorate => "People's procuratorate",
            UnitKind::PublicSecurity => "Public security organ",
            UnitKind::JusticeBureau => "Judicial administrative department",
            UnitKind::BarAssociation => "Lawyers' association",
            UnitKind::JudgesAssociation => "Judges' association",
            UnitKind::ProsecutorsAssociation => "Prosecutors' association",
            UnitKind::PoliceAssociation => "Police association",
            UnitKind::LawFirm => "Law firm",
        }
    }
}

/// Municipal (重庆市) or district (区县) level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Municipal,
    District,
}

impl Level {
    /// Stable code stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Municipal => "municipal",
            Level::District => "district",
        }
    }

    /// Parses the code written by [`Level::as_str`].
    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "municipal" => Some(Level::Municipal),
            "district" => Some(Level::District),
            _ => None,
        }
    }
}

/// One unit of the directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// Stable code such as `dz-court`.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub kind: UnitKind,
    pub level: Level,
    /// Region code: `cq` (municipal), `dz`, `yc`, `rc`, `tl`.
    pub region: String,
    /// Code of the parent unit, where the hierarchy is certain.
    pub parent: Option<String>,
}

/// A region of the directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    pub code: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
}

/// The regions the directory knows.
pub const REGIONS: [Region; 5] = [
    Region {
        code: "cq",
        name_zh: "重庆市",
        name_en: "Chongqing Municipality",
    },
    Region {
        code: "dz",
        name_zh: "大足区",
        name_en: "Dazu District",
    },
    Region {
        code: "yc",
        name_zh: "永川区",
        name_en: "Yongchuan District",
    },
    Region {
        code: "rc",
        name_zh: "荣昌区",
        name_en: "Rongchang District",
    },
    Region {
        code: "tl",
        name_zh: "铜梁区",
        name_en: "Tongliang District",
    },
];

/// The home jurisdiction ("本级") of this deployment.
pub const HOME_REGION: &str = "dz";

/// Looks a region up by code.
pub fn region(code: &str) -> Option<&'static Region> {
    REGIONS.iter().find(|r| r.code == code)
}

/// A set of units with look-ups, as routing and the UI need it.
#[derive(Clone, Debug, Default)]
pub struct Directory {
    units: Vec<Unit>,
    /// Region code of the home jurisdiction.
    pub home_region: String,
}

impl Directory {
    /// Builds a directory over `units` with `home_region` as the home jurisdiction.
    pub fn new(units: Vec<Unit>, home_region: impl Into<String>) -> Self {
        Directory {
            units,
            home_region: home_region.into(),
        }
    }

    /// All units, in the order given.
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// The unit with `code`.
    pub fn get(&self, code: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.code == code)
    }

    /// Whether `unit` belongs to the home jurisdiction (district level, home region).
    pub fn is_home(&self, unit: &Unit) -> bool {
        unit.level == Level::District && unit.region == self.home_region
    }

    /// The home district's unit of `kind`, if the directory has one.
    pub fn home_unit(&self, kind: UnitKind) -> Option<&Unit> {
        self.units
            .iter()
            .find(|u| u.kind == kind && self.is_home(u))
    }
}

fn unit(
    code: &str,
    name_zh: &str,
    name_en: &str,
    kind: UnitKind,
    level: Level,
    region: &str,
    parent: Option<&str>,
) -> Unit {
    Unit {
        code: code.into(),
        name_zh: name_zh.into(),
        name_en: name_en.into(),
        kind,
        level,
        region: region.into(),
        parent: parent.map(Into::into),
    }
}

/// The seed directory of `interfaces.md`: loaded on first start.
pub fn seed_units() -> Vec<Unit> {
    use Level::*;
    use UnitKind::*;
    let mut v = Vec::new();
    for r in REGIONS.iter().filter(|r| r.code != "cq") {
        let (zh, en) = (r.name_zh, r.name_en.trim_end_matches(" District"));
        v.push(unit(
            &format!("{}-court", r.code),
            &format!("重庆市{zh}人民法院"),
            &format!("{en} District People's Court"),
            Court,
            District,
            r.code,
            None,
        ));
        v.push(unit(
            &format!("{}-procuratorate", r.code),
            &format!("重庆市{zh}人民检察院"),
            &format!("{en} District People's Procuratorate"),
            Procuratorate,
            District,
            r.code,
            None,
        ));
        v.push(unit(
            &format!("{}-psb", r.code),
            &format!("重庆市{zh}公安局"),
            &format!("{en} District Public Security Bureau"),
            PublicSecurity,
            District,
            r.code,
            None,
        ));
        v.push(unit(
            &format!("{}-justice", r.code),
            &format!("重庆市{zh}司法局"),
            &format!("{en} District Justice Bureau"),
            JusticeBureau,
            District,
            r.code,
            None,
        ));
    }
    v.push(unit(
        "dz-bar",
        "重庆市大足区律师协会",
        "Dazu District Lawyers' Association",
        BarAssociation,
        District,
        "dz",
        None,
    ));
    v.push(unit(
        "dz-judges-assoc",
        "重庆市大足区法官协会",
        "Dazu District Judges' Association",
        JudgesAssociation,
        District,
        "dz",
        None,
    ));
    v.push(unit(
        "dz-prosecutors-assoc",
        "重庆市大足区检察官协会",
        "Dazu District Prosecutors' Association",
        ProsecutorsAssociation,
        District,
        "dz",
        None,
    ));
    v.push(unit(
        "dz-police-assoc",
        "重庆市大足区警察协会",
        "Dazu District Police Association",
        PoliceAssociation,
        District,
        "dz",
        None,
    ));
    v.push(unit(
        "cq-high-court",
        "重庆市高级人民法院",
        "Chongqing High People's Court",
        Court,
        Municipal,
        "cq",
        None,
    ));
    v.push(unit(
        "cq-court-1",
        "重庆市第一中级人民法院",
        "Chongqing No. 1 Intermediate People's Court",
        Court,
        Municipal,
        "cq",
        Some("cq-high-court"),
    ));
    v.push(unit(
        "cq-court-5",
        "重庆市第五中级人民法院",
        "Chongqing No. 5 Intermediate People's Court",
        Court,
        Municipal,
        "cq",
        Some("cq-high-court"),
    ));
    v.push(unit(
        "cq-procuratorate",
        "重庆市人民检察院",
        "Chongqing Municipal People's Procuratorate",
        Procuratorate,
        Municipal,
        "cq",
        None,
    ));
    v.push(unit(
        "cq-procuratorate-1",
        "重庆市人民检察院第一分院",
        "First Branch, Chongqing Municipal People's Procuratorate",
        Procuratorate,
        Municipal,
        "cq",
        Some("cq-procuratorate"),
    ));
    v.push(unit(
        "cq-psb",
        "重庆市公安局",
        "Chongqing Municipal Public Security Bureau",
        PublicSecurity,
        Municipal,
        "cq",
        None,
    ));
    v.push(unit(
        "cq-justice",
        "重庆市司法局",
        "Chongqing Municipal Justice Bureau",
        JusticeBureau,
        Municipal,
        "cq",
        None,
    ));
    v.push(unit(
        "cq-bar",
        "重庆市律师协会",
        "Chongqing Lawyers' Association",
        BarAssociation,
        Municipal,
        "cq",
        None,
    ));
    v.push(unit(
        "dz-firm-1",
        "示例律师事务所（大足，演示）",
        "Example Law Firm (Dazu, demo)",
        LawFirm,
        District,
        "dz",
        None,
    ));
    v.push(unit(
        "dz-firm-2",
        "示例律师事务所二（大足，演示）",
        "Second Example Law Firm (Dazu, demo)",
        LawFirm,
        District,
        "dz",
        None,
    ));
    v.push(unit(
        "yc-firm-1",
        "示例律师事务所（永川，演示）",
        "Example Law Firm (Yongchuan, demo)",
        LawFirm,
        District,
        "yc",
        None,
    ));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_has_every_code_of_the_interface_once() {
        let units = seed_units();
        let codes: Vec<&str> = units.iter().map(|u| u.code.as_str()).collect();
        for code in [
            "dz-court",
            "yc-court",
            "rc-court",
            "tl-court",
            "dz-procuratorate",
            "yc-procuratorate",
            "rc-procuratorate",
            "tl-procuratorate",
            "dz-psb",
            "yc-psb",
            "rc-psb",
            "tl-psb",
            "dz-justice",
            "yc-justice",
            "rc-justice",
            "tl-justice",
            "dz-bar",
            "dz-judges-assoc",
            "dz-prosecutors-assoc",
            "dz-police-assoc",
            "cq-high-court",
            "cq-court-1",
            "cq-court-5",
            "cq-procuratorate",
            "cq-procuratorate-1",
            "cq-psb",
            "cq-justice",
            "cq-bar",
            "dz-firm-1",
            "dz-firm-2",
            "yc-firm-1",
        ] {
            assert_eq!(codes.iter().filter(|c| **c == code).count(), 1, "{code}");
        }
        assert_eq!(codes.len(), 31);
    }

    #[test]
    fn home_units_are_found_by_kind() {
        let dir = Directory::new(seed_units(), HOME_REGION);
        assert_eq!(dir.home_unit(UnitKind::Court).unwrap().code, "dz-court");
        assert_eq!(
            dir.home_unit(UnitKind::JusticeBureau).unwrap().code,
            "dz-justice"
        );
        assert_eq!(
            dir.home_unit(UnitKind::BarAssociation).unwrap().code,
            "dz-bar"
        );
        assert!(!dir.is_home(dir.get("cq-court-1").unwrap()));
        assert!(!dir.is_home(dir.get("yc-court").unwrap()));
    }

    #[test]
    fn kinds_round_trip() {
        for k in UnitKind::ALL {
            assert_eq!(UnitKind::parse(k.as_str()), Some(k));
        }
    }
}
