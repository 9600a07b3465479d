//! Lead routing: where a lead about improper contact between judicial personnel and lawyers goes.
//!
//! Articles 7 and 8 of 大足司发〔2021〕6号 say which unit a discovering unit notifies, and through
//! whom, depending on who found the lead and whom it is about. `shared/spec/lead-routing.md`
//! turns those articles into rules R1–R10, of which the first that matches applies; this module
//! is that table in code, so the server, the route preview and the browser all route alike.
//!
//! The regulation is silent on many combinations (a municipal organ's personnel reported by the
//! lawyers' association, an association or law firm as discoverer, …). For those the plan is
//! *manual*: it carries no route and explains why, and the joint office (the home justice
//! bureau) picks the receivers by hand. Inventing a route there would put words in the
//! regulation's mouth, so the code never does.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::directory::{region, Directory, Level, Unit, UnitKind};

/// Whom a lead is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject<'a> {
    /// Judicial personnel (Article 14), identified for routing by the code of their unit.
    JudicialPersonnel {
        /// Directory code of the unit the person works at.
        org: &'a str,
    },
    /// A lawyer (Article 3). Routing does not depend on the firm or the registration region.
    Lawyer,
}

/// The rules of `lead-routing.md`, in the order they are tried.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuleId {
    /// Justice bureau → home judicial organ.
    R1,
    /// Justice bureau → home organ → municipal organ ("报送").
    R2,
    /// Justice bureau → home organ → another district's organ ("移交").
    R3,
    /// Lawyers' association → home judicial organ.
    R4,
    /// Lawyers' association → home organ → another district's organ.
    R5,
    /// Lawyers' association, municipal organ: manual.
    R6,
    /// Home judicial organ, lawyer: via the justice bureau, or via the lawyers' association.
    R7,
    /// Personnel of the discoverer itself: internal handling.
    R8,
    /// Justice bureau or lawyers' association, lawyer: internal handling.
    R9,
    /// Anything else: manual.
    R10,
}

impl RuleId {
    /// All rules, in the order they are tried.
    pub const ALL: [RuleId; 10] = [
        RuleId::R1,
        RuleId::R2,
        RuleId::R3,
        RuleId::R4,
        RuleId::R5,
        RuleId::R6,
        RuleId::R7,
        RuleId::R8,
        RuleId::R9,
        RuleId::R10,
    ];

    /// The id as written in the spec and the API, e.g. `"R3"`.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::R1 => "R1",
            RuleId::R2 => "R2",
            RuleId::R3 => "R3",
            RuleId::R4 => "R4",
            RuleId::R5 => "R5",
            RuleId::R6 => "R6",
            RuleId::R7 => "R7",
            RuleId::R8 => "R8",
            RuleId::R9 => "R9",
            RuleId::R10 => "R10",
        }
    }

    /// The article the rule rests on, in English, exactly as in the table of `lead-routing.md`
    /// (the API returns it as `basis`).
    pub fn basis(self) -> &'static str {
        match self {
            RuleId::R1 => "Art. 7(1)",
            RuleId::R2 => "Art. 7(2)",
            RuleId::R3 => "Art. 7(3)",
            RuleId::R4 => "Art. 8 ¶1 with 7(1)",
            RuleId::R5 => "Art. 8 ¶1 with 7(3)",
            RuleId::R6 => "Art. 8 ¶1",
            RuleId::R7 => "Art. 8 ¶1",
            RuleId::R8 => "Art. 10",
            RuleId::R9 => "Art. 11, 13",
            RuleId::R10 => "Art. 6",
        }
    }

    /// The same basis as Chinese legal citation.
    pub fn basis_zh(self) -> &'static str {
        match self {
            RuleId::R1 => "第七条第（一）项",
            RuleId::R2 => "第七条第（二）项",
            RuleId::R3 => "第七条第（三）项",
            RuleId::R4 => "第八条第一款、第七条第（一）项",
            RuleId::R5 => "第八条第一款、第七条第（三）项",
            RuleId::R6 => "第八条第一款",
            RuleId::R7 => "第八条第一款",
            RuleId::R8 => "第十条",
            RuleId::R9 => "第十一条、第十三条",
            RuleId::R10 => "第六条",
        }
    }

    /// Parses the id written by [`RuleId::as_str`] (case-sensitive).
    pub fn parse(s: &str) -> Option<RuleId> {
        RuleId::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a lead goes, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutePlan {
    /// The rule that matched.
    pub rule: RuleId,
    /// True when the regulation does not settle the route and the joint office must choose the
    /// receivers by hand (R6, R10).
    pub manual: bool,
    /// Each allowed route as unit codes in hand-over order, the discoverer first. Two routes for
    /// R7 (the default first); empty when `manual`.
    pub routes: Vec<Vec<String>>,
    /// The explanation shown to the reporter and kept on the case file, in Chinese.
    pub reason_zh: String,
    /// The same explanation in English.
    pub reason_en: String,
}

/// Why a lead could not be routed at all. The portal words it in `app::refusals`; `Display`
/// is for logs and panics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteError {
    /// The discoverer or the subject's unit is not in the directory.
    UnknownUnit(String),
}

impl fmt::Display for RouteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RouteError::UnknownUnit(code) => {
                write!(f, "unknown unit code: {code}")
            }
        }
    }
}

impl std::error::Error for RouteError {}

/// Routes a lead found by the unit `discoverer` about `subject`, trying R1–R10 in order.
///
/// The regulation version the rules R1–R10 were written against (lead-routing.md); when a newer
/// version changes one of [`RULE_ARTICLES`], the rules are listed as needing review.
pub const WRITTEN_AGAINST: &str = "2021-06-11";

/// The articles the routing rules apply.
pub const RULE_ARTICLES: [u32; 6] = [6, 7, 8, 10, 11, 13];

/// An unknown discoverer or subject unit is an error (checked in that order); every other input
/// yields a plan, manual where the regulation is silent or the directory lacks a home unit the
/// route would pass through.
pub fn route_lead(
    dir: &Directory,
    discoverer: &str,
    subject: &Subject,
) -> Result<RoutePlan, RouteError> {
    let d = dir
        .get(discoverer)
        .ok_or_else(|| RouteError::UnknownUnit(discoverer.to_owned()))?;
    let org = match *subject {
        Subject::JudicialPersonnel { org } => Some(
            dir.get(org)
                .ok_or_else(|| RouteError::UnknownUnit(org.to_owned()))?,
        ),
        Subject::Lawyer => None,
    };
    let lawyer = org.is_none();
    let r = Router { dir, d };

    // The spec writes every rule from the home jurisdiction's point of view, so a discoverer
    // outside it matches none of R1–R9.
    let d_home = dir.is_home(d);
    let d_justice = d_home && d.kind == UnitKind::JusticeBureau;
    let d_bar = d_home && d.kind == UnitKind::BarAssociation;
    let d_organ = d_home && d.kind.is_judicial_organ();
    // R1–R6 are about personnel of a judicial organ other than the discoverer; anyone else's
    // personnel falls through to R8 or R10.
    let organ = org
        .filter(|o| o.kind.is_judicial_organ() && o.code != d.code)
        .map(|o| (o, r.place(o)));

    if let (true, Some((o, Place::Home))) = (d_justice, organ) {
        return Ok(r.direct(RuleId::R1, o));
    }
    if let (true, Some((o, Place::Municipal))) = (d_justice, organ) {
        return Ok(r.via_home(RuleId::R2, o));
    }
    if let (true, Some((o, Place::OtherDistrict))) = (d_justice, organ) {
        return Ok(r.via_home(RuleId::R3, o));
    }
    if let (true, Some((o, Place::Home))) = (d_bar, organ) {
        return Ok(r.direct(RuleId::R4, o));
    }
    if let (true, Some((o, Place::OtherDistrict))) = (d_bar, organ) {
        return Ok(r.via_home(RuleId::R5, o));
    }
    if let (true, Some((o, Place::Municipal))) = (d_bar, organ) {
        return Ok(r.bar_municipal(o));
    }
    if d_organ && lawyer {
        return Ok(r.organ_lawyer());
    }
    if let (true, Some(o)) = (d_home, org) {
        if o.code == d.code {
            return Ok(r.own_unit());
        }
    }
    if (d_justice || d_bar) && lawyer {
        return Ok(r.internal_lawyer());
    }
    Ok(r.unspecified(org))
}

/// Where a judicial organ sits relative to the home jurisdiction; R1–R6 turn on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    Home,
    Municipal,
    OtherDistrict,
}

/// The directory and the discoverer, so the plan builders need not pass them around.
struct Router<'d> {
    dir: &'d Directory,
    d: &'d Unit,
}

impl<'d> Router<'d> {
    fn place(&self, o: &Unit) -> Place {
        if self.dir.is_home(o) {
            Place::Home
        } else if o.level == Level::Municipal {
            Place::Municipal
        } else {
            Place::OtherDistrict
        }
    }

    fn plan(&self, rule: RuleId, routes: Vec<Vec<&Unit>>, zh: String, en: String) -> RoutePlan {
        RoutePlan {
            rule,
            manual: false,
            routes: routes
                .into_iter()
                .map(|route| route.into_iter().map(|u| u.code.clone()).collect())
                .collect(),
            reason_zh: zh,
            reason_en: en,
        }
    }

    /// A manual plan. Both reasons get the same closing sentence so the reporter always learns
    /// who will pick the receivers.
    fn manual(&self, rule: RuleId, why_zh: String, why_en: String) -> RoutePlan {
        let (office_zh, office_en) = match self.dir.home_unit(UnitKind::JusticeBureau) {
            Some(j) => (
                j.name_zh.clone(),
                format!("the joint office (the {})", j.name_en),
            ),
            None => (
                "本级司法行政部门".to_owned(),
                "the joint office (the home justice bureau)".to_owned(),
            ),
        };
        RoutePlan {
            rule,
            manual: true,
            routes: Vec::new(),
            reason_zh: format!("{why_zh}，转由{office_zh}人工确定接收单位。"),
            reason_en: format!("{why_en}; {office_en} will choose the receivers by hand."),
        }
    }

    fn home_name(&self) -> (String, String) {
        match region(&self.dir.home_region) {
            Some(r) => (r.name_zh.to_owned(), r.name_en.to_owned()),
            None => (self.dir.home_region.clone(), self.dir.home_region.clone()),
        }
    }

    /// Manual plan for a rule whose route would pass through a home unit the directory lacks.
    /// The regulation does name a route here, but without that unit no one could receive the
    /// hand-over, so a person has to decide.
    fn missing_home_unit(&self, rule: RuleId, kind: UnitKind) -> RoutePlan {
        let (home_zh, home_en) = self.home_name();
        self.manual(
            RuleId::R10,
            format!(
                "目录中没有{home_zh}{}，无法按{}确定通报路径",
                kind.label_zh(),
                rule.basis_zh()
            ),
            format!(
                "The directory has no {} of {home_en}, so the route of {} cannot be followed",
                lower_first(kind.label_en()),
                rule.basis()
            ),
        )
    }

    /// R1, R4: the discoverer notifies the subject's organ itself.
    fn direct(&self, rule: RuleId, o: &Unit) -> RoutePlan {
        let d = self.d;
        self.plan(
            rule,
            vec![vec![d, o]],
            format!(
                "由{}直接通报{}（{}）。",
                d.name_zh,
                o.name_zh,
                rule.basis_zh()
            ),
            format!(
                "The {} notifies the {} directly ({}).",
                d.name_en,
                o.name_en,
                rule.basis()
            ),
        )
    }

    /// R2, R3, R5: through the corresponding home organ H(O) ("同级相关司法机关").
    fn via_home(&self, rule: RuleId, o: &Unit) -> RoutePlan {
        let Some(h) = self.dir.home_unit(o.kind) else {
            return self.missing_home_unit(rule, o.kind);
        };
        // Art. 7(2) has the home organ "报送" (send up) to a municipal organ, 7(3) "移交" (hand
        // over) to a peer district's; the reason keeps the regulation's verb.
        let (verb_zh, verb_en) = match rule {
            RuleId::R2 => ("报送", "forwards the lead to"),
            _ => ("移交", "transfers the lead to"),
        };
        self.plan(
            rule,
            vec![vec![self.d, h, o]],
            format!(
                "先通报{}，再由其{verb_zh}{}（{}）。",
                h.name_zh,
                o.name_zh,
                rule.basis_zh()
            ),
            format!(
                "Notify the {} first; it then {verb_en} the {} ({}).",
                h.name_en,
                o.name_en,
                rule.basis()
            ),
        )
    }

    /// R6: Art. 8 ¶1 applies only items (1) and (3) of Art. 7 to the lawyers' association, so
    /// item (2)'s route for municipal organs is not theirs to take.
    fn bar_municipal(&self, o: &Unit) -> RoutePlan {
        self.manual(
            RuleId::R6,
            format!(
                "第八条第一款只规定律师协会参照第七条第（一）、（三）项执行，\
                 未规定律师协会发现市级司法机关（{}）人员线索的通报路径",
                o.name_zh
            ),
            format!(
                "Art. 8 ¶1 refers the lawyers' association only to items (1) and (3) of Art. 7, \
                 so the regulation does not say where it sends a lead about personnel of a \
                 municipal organ (the {})",
                o.name_en
            ),
        )
    }

    /// R7: the organ may notify the justice bureau, or the lawyers' association, which then
    /// reports to the justice bureau. The direct route comes first because it is the one the
    /// article names first and needs one hand-over fewer.
    fn organ_lawyer(&self) -> RoutePlan {
        let Some(j) = self.dir.home_unit(UnitKind::JusticeBureau) else {
            return self.missing_home_unit(RuleId::R7, UnitKind::JusticeBureau);
        };
        let Some(b) = self.dir.home_unit(UnitKind::BarAssociation) else {
            return self.missing_home_unit(RuleId::R7, UnitKind::BarAssociation);
        };
        let rule = RuleId::R7;
        self.plan(
            rule,
            vec![vec![self.d, j], vec![self.d, b, j]],
            format!(
                "可直接通报{j_zh}（默认）；也可通报{b_zh}，由其向{j_zh}报告（{}）。",
                rule.basis_zh(),
                j_zh = j.name_zh,
                b_zh = b.name_zh
            ),
            format!(
                "Either notify the {j_en} directly (the default), or notify the {b_en}, which \
                 then reports to the {j_en} ({}).",
                rule.basis(),
                j_en = j.name_en,
                b_en = b.name_en
            ),
        )
    }

    /// R8: a unit supervises its own staff (Art. 10), so nothing is handed over.
    fn own_unit(&self) -> RoutePlan {
        let d = self.d;
        let rule = RuleId::R8;
        self.plan(
            rule,
            vec![vec![d]],
            format!(
                "该人员属于{d_zh}，由{d_zh}自行调查核实并处理（{}）。",
                rule.basis_zh(),
                d_zh = d.name_zh
            ),
            format!(
                "The person works at the {d_en}, which verifies and handles the lead itself ({}).",
                rule.basis(),
                d_en = d.name_en
            ),
        )
    }

    /// R9: both the justice bureau and the lawyers' association supervise lawyers (Art. 11) and
    /// may sanction them (Art. 13), so the discoverer handles it; telling the other is left to
    /// a person because the regulation does not require it.
    fn internal_lawyer(&self) -> RoutePlan {
        let d = self.d;
        let other_kind = if d.kind == UnitKind::JusticeBureau {
            UnitKind::BarAssociation
        } else {
            UnitKind::JusticeBureau
        };
        let (other_zh, other_en) = match self.dir.home_unit(other_kind) {
            Some(u) => (u.name_zh.clone(), format!("the {}", u.name_en)),
            None => (
                format!("本级{}", other_kind.label_zh()),
                format!("the home {}", lower_first(other_kind.label_en())),
            ),
        };
        let rule = RuleId::R9;
        self.plan(
            rule,
            vec![vec![d]],
            format!(
                "由{}依职责自行调查核实并处理（{}）；如有需要，可另行通知{other_zh}。",
                d.name_zh,
                rule.basis_zh()
            ),
            format!(
                "The {} verifies and handles the lead itself ({}); it may notify {other_en} by \
                 hand if needed.",
                d.name_en,
                rule.basis()
            ),
        )
    }

    /// R10: says, as precisely as the inputs allow, which part of the regulation is silent.
    fn unspecified(&self, org: Option<&Unit>) -> RoutePlan {
        let d = self.d;
        let (home_zh, home_en) = self.home_name();
        let (zh, en) = if !self.dir.is_home(d) {
            (
                format!(
                    "{}不属于{home_zh}，本规定未明确其发现线索的通报路径",
                    d.name_zh
                ),
                format!(
                    "The {} is not a unit of {home_en}, and the regulation does not say where its \
                     leads go",
                    d.name_en
                ),
            )
        } else if let (true, Some(o)) = (d.kind.is_judicial_organ(), org) {
            (
                format!(
                    "本规定只规定司法机关发现律师线索的通报方式（第八条第一款），\
                     未明确司法机关发现其他单位（{}）人员线索的通报路径",
                    o.name_zh
                ),
                format!(
                    "The regulation only says where a judicial organ sends a lead about a lawyer \
                     (Art. 8 ¶1), not one about personnel of another unit (the {})",
                    o.name_en
                ),
            )
        } else if let (UnitKind::JusticeBureau | UnitKind::BarAssociation, Some(o)) = (d.kind, org)
        {
            (
                format!(
                    "{}不是法院、检察院或公安机关，本规定第七条、第八条未明确此类线索的通报路径",
                    o.name_zh
                ),
                format!(
                    "The {} is not a court, procuratorate or public-security organ, and Articles 7 \
                     and 8 do not say where such a lead goes",
                    o.name_en
                ),
            )
        } else {
            (
                format!("本规定未明确{}发现线索的通报路径", d.kind.label_zh()),
                format!(
                    "The regulation does not say where a {} sends the leads it finds",
                    lower_first(d.kind.label_en())
                ),
            )
        };
        self.manual(RuleId::R10, zh, en)
    }
}

/// Unit-kind labels start with a capital for headings; mid-sentence they must not.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::{seed_units, HOME_REGION};

    fn dir() -> Directory {
        Directory::new(seed_units(), HOME_REGION)
    }

    fn dir_without(code: &str) -> Directory {
        let units = seed_units()
            .into_iter()
            .filter(|u| u.code != code)
            .collect();
        Directory::new(units, HOME_REGION)
    }

    fn subject(org: Option<&str>) -> Subject<'_> {
        match org {
            Some(org) => Subject::JudicialPersonnel { org },
            None => Subject::Lawyer,
        }
    }

    fn jp(org: &str) -> Subject<'_> {
        Subject::JudicialPersonnel { org }
    }

    const LAWYER: Option<&str> = None;

    /// (discoverer, subject org or `LAWYER`, rule, routes), written by hand from the spec.
    type Row = (
        &'static str,
        Option<&'static str>,
        RuleId,
        &'static [&'static [&'static str]],
    );

    // One row a line reads as the table of lead-routing.md; rustfmt would split each row apart.
    #[rustfmt::skip]
    const ROWS: &[Row] = &[
        // R1: justice bureau, home organ of each kind.
        ("dz-justice", Some("dz-court"), RuleId::R1, &[&["dz-justice", "dz-court"]]),
        ("dz-justice", Some("dz-procuratorate"), RuleId::R1, &[&["dz-justice", "dz-procuratorate"]]),
        ("dz-justice", Some("dz-psb"), RuleId::R1, &[&["dz-justice", "dz-psb"]]),
        // R2: justice bureau, every municipal organ, through the home organ of the same kind.
        ("dz-justice", Some("cq-high-court"), RuleId::R2, &[&["dz-justice", "dz-court", "cq-high-court"]]),
        ("dz-justice", Some("cq-court-1"), RuleId::R2, &[&["dz-justice", "dz-court", "cq-court-1"]]),
        ("dz-justice", Some("cq-court-5"), RuleId::R2, &[&["dz-justice", "dz-court", "cq-court-5"]]),
        ("dz-justice", Some("cq-procuratorate"), RuleId::R2, &[&["dz-justice", "dz-procuratorate", "cq-procuratorate"]]),
        ("dz-justice", Some("cq-procuratorate-1"), RuleId::R2, &[&["dz-justice", "dz-procuratorate", "cq-procuratorate-1"]]),
        ("dz-justice", Some("cq-psb"), RuleId::R2, &[&["dz-justice", "dz-psb", "cq-psb"]]),
        // R3: justice bureau, other districts' organs.
        ("dz-justice", Some("yc-court"), RuleId::R3, &[&["dz-justice", "dz-court", "yc-court"]]),
        ("dz-justice", Some("rc-procuratorate"), RuleId::R3, &[&["dz-justice", "dz-procuratorate", "rc-procuratorate"]]),
        ("dz-justice", Some("tl-psb"), RuleId::R3, &[&["dz-justice", "dz-psb", "tl-psb"]]),
        ("dz-justice", Some("yc-psb"), RuleId::R3, &[&["dz-justice", "dz-psb", "yc-psb"]]),
        // R4: lawyers' association, home organs.
        ("dz-bar", Some("dz-court"), RuleId::R4, &[&["dz-bar", "dz-court"]]),
        ("dz-bar", Some("dz-procuratorate"), RuleId::R4, &[&["dz-bar", "dz-procuratorate"]]),
        ("dz-bar", Some("dz-psb"), RuleId::R4, &[&["dz-bar", "dz-psb"]]),
        // R5: lawyers' association, other districts' organs.
        ("dz-bar", Some("yc-procuratorate"), RuleId::R5, &[&["dz-bar", "dz-procuratorate", "yc-procuratorate"]]),
        ("dz-bar", Some("rc-court"), RuleId::R5, &[&["dz-bar", "dz-court", "rc-court"]]),
        ("dz-bar", Some("tl-psb"), RuleId::R5, &[&["dz-bar", "dz-psb", "tl-psb"]]),
        // R6: lawyers' association, municipal organs: manual.
        ("dz-bar", Some("cq-high-court"), RuleId::R6, &[]),
        ("dz-bar", Some("cq-court-1"), RuleId::R6, &[]),
        ("dz-bar", Some("cq-procuratorate-1"), RuleId::R6, &[]),
        ("dz-bar", Some("cq-psb"), RuleId::R6, &[]),
        // R7: home organs, lawyer: direct to the justice bureau first, via the bar second.
        ("dz-court", LAWYER, RuleId::R7, &[&["dz-court", "dz-justice"], &["dz-court", "dz-bar", "dz-justice"]]),
        ("dz-procuratorate", LAWYER, RuleId::R7, &[&["dz-procuratorate", "dz-justice"], &["dz-procuratorate", "dz-bar", "dz-justice"]]),
        ("dz-psb", LAWYER, RuleId::R7, &[&["dz-psb", "dz-justice"], &["dz-psb", "dz-bar", "dz-justice"]]),
        // R8: own staff, whichever home unit found it (R8 precedes R10 in the table).
        ("dz-justice", Some("dz-justice"), RuleId::R8, &[&["dz-justice"]]),
        ("dz-bar", Some("dz-bar"), RuleId::R8, &[&["dz-bar"]]),
        ("dz-court", Some("dz-court"), RuleId::R8, &[&["dz-court"]]),
        ("dz-procuratorate", Some("dz-procuratorate"), RuleId::R8, &[&["dz-procuratorate"]]),
        ("dz-psb", Some("dz-psb"), RuleId::R8, &[&["dz-psb"]]),
        ("dz-judges-assoc", Some("dz-judges-assoc"), RuleId::R8, &[&["dz-judges-assoc"]]),
        // R9: justice bureau or lawyers' association, lawyer.
        ("dz-justice", LAWYER, RuleId::R9, &[&["dz-justice"]]),
        ("dz-bar", LAWYER, RuleId::R9, &[&["dz-bar"]]),
        // R10: a judicial organ about another unit's personnel.
        ("dz-court", Some("dz-procuratorate"), RuleId::R10, &[]),
        ("dz-psb", Some("yc-court"), RuleId::R10, &[]),
        ("dz-procuratorate", Some("cq-court-1"), RuleId::R10, &[]),
        ("dz-court", Some("dz-firm-1"), RuleId::R10, &[]),
        // R10: associations other than the bar, and law firms, as discoverers.
        ("dz-judges-assoc", Some("dz-court"), RuleId::R10, &[]),
        ("dz-judges-assoc", LAWYER, RuleId::R10, &[]),
        ("dz-police-assoc", Some("dz-psb"), RuleId::R10, &[]),
        ("dz-prosecutors-assoc", LAWYER, RuleId::R10, &[]),
        ("dz-firm-1", Some("dz-court"), RuleId::R10, &[]),
        ("dz-firm-1", LAWYER, RuleId::R10, &[]),
        // R10: discoverers outside the home jurisdiction, even about their own staff.
        ("yc-justice", Some("yc-court"), RuleId::R10, &[]),
        ("yc-justice", Some("dz-court"), RuleId::R10, &[]),
        ("yc-justice", LAWYER, RuleId::R10, &[]),
        ("yc-justice", Some("yc-justice"), RuleId::R10, &[]),
        ("yc-court", LAWYER, RuleId::R10, &[]),
        ("cq-justice", Some("cq-court-1"), RuleId::R10, &[]),
        ("cq-bar", Some("dz-court"), RuleId::R10, &[]),
        // R10: subjects in units that are not judicial organs, other than the discoverer.
        ("dz-justice", Some("dz-bar"), RuleId::R10, &[]),
        ("dz-justice", Some("yc-justice"), RuleId::R10, &[]),
        ("dz-justice", Some("cq-justice"), RuleId::R10, &[]),
        ("dz-bar", Some("dz-justice"), RuleId::R10, &[]),
        ("dz-bar", Some("yc-justice"), RuleId::R10, &[]),
    ];

    fn check(dir: &Directory, row: &Row) {
        let (d, org, rule, routes) = *row;
        let plan =
            route_lead(dir, d, &subject(org)).unwrap_or_else(|e| panic!("{d} / {org:?}: {e}"));
        let expected: Vec<Vec<String>> = routes
            .iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        assert_eq!(plan.rule, rule, "{d} / {org:?}: {plan:?}");
        assert_eq!(plan.routes, expected, "{d} / {org:?}");
        assert_eq!(
            plan.manual,
            matches!(rule, RuleId::R6 | RuleId::R10),
            "{d} / {org:?}"
        );
    }

    #[test]
    fn table_of_cases() {
        let dir = dir();
        for row in ROWS {
            check(&dir, row);
        }
    }

    #[test]
    fn table_covers_every_rule() {
        for rule in RuleId::ALL {
            assert!(ROWS.iter().any(|r| r.2 == rule), "{rule}");
        }
    }

    #[test]
    fn missing_home_procuratorate_makes_r3_like_case_manual() {
        let dir = dir_without("dz-procuratorate");
        for row in [
            (
                "dz-justice",
                Some("yc-procuratorate"),
                RuleId::R10,
                &[] as &[&[&str]],
            ),
            ("dz-justice", Some("cq-procuratorate-1"), RuleId::R10, &[]),
            ("dz-bar", Some("rc-procuratorate"), RuleId::R10, &[]),
            // Other kinds are unaffected.
            (
                "dz-justice",
                Some("yc-court"),
                RuleId::R3,
                &[&["dz-justice", "dz-court", "yc-court"]],
            ),
            (
                "dz-bar",
                Some("tl-psb"),
                RuleId::R5,
                &[&["dz-bar", "dz-psb", "tl-psb"]],
            ),
        ] {
            check(&dir, &row);
        }
        let plan = route_lead(
            &dir,
            "dz-justice",
            &Subject::JudicialPersonnel {
                org: "yc-procuratorate",
            },
        )
        .unwrap();
        assert!(
            plan.reason_zh.contains("目录中没有大足区人民检察院"),
            "{}",
            plan.reason_zh
        );
        assert!(
            plan.reason_zh.contains("第七条第（三）项"),
            "{}",
            plan.reason_zh
        );
        assert!(plan.reason_en.contains("Art. 7(3)"), "{}", plan.reason_en);
    }

    #[test]
    fn missing_bar_or_justice_bureau_makes_r7_manual() {
        let no_bar = dir_without("dz-bar");
        check(&no_bar, &("dz-court", LAWYER, RuleId::R10, &[]));
        check(
            &no_bar,
            &("dz-justice", LAWYER, RuleId::R9, &[&["dz-justice"]]),
        );
        let no_justice = dir_without("dz-justice");
        check(&no_justice, &("dz-psb", LAWYER, RuleId::R10, &[]));
        check(&no_justice, &("dz-bar", LAWYER, RuleId::R9, &[&["dz-bar"]]));
        let plan = route_lead(&no_justice, "dz-psb", &Subject::Lawyer).unwrap();
        assert!(
            plan.reason_zh.contains("本级司法行政部门"),
            "{}",
            plan.reason_zh
        );
    }

    #[test]
    fn unknown_codes_are_errors() {
        let dir = dir();
        assert_eq!(
            route_lead(&dir, "nowhere", &Subject::Lawyer),
            Err(RouteError::UnknownUnit("nowhere".into()))
        );
        assert_eq!(
            route_lead(
                &dir,
                "dz-justice",
                &Subject::JudicialPersonnel { org: "xx-court" }
            ),
            Err(RouteError::UnknownUnit("xx-court".into()))
        );
        // The discoverer is checked first.
        assert_eq!(
            route_lead(&dir, "a", &Subject::JudicialPersonnel { org: "b" }),
            Err(RouteError::UnknownUnit("a".into()))
        );
        // The words users read are in app::refusals; Display names the code for logs.
        let msg = RouteError::UnknownUnit("xx".into()).to_string();
        assert!(msg.contains("unknown unit code") && msg.contains("xx"));
    }

    #[test]
    fn every_plan_is_well_formed() {
        let dir = dir();
        let codes: Vec<&str> = dir.units().iter().map(|u| u.code.as_str()).collect();
        let subjects = codes
            .iter()
            .map(|c| Subject::JudicialPersonnel { org: c })
            .chain([Subject::Lawyer]);
        for d in &codes {
            for s in subjects.clone() {
                let plan = route_lead(&dir, d, &s).unwrap();
                let ctx = format!("{d} / {s:?}: {plan:?}");
                assert!(
                    !plan.reason_zh.is_empty() && !plan.reason_en.is_empty(),
                    "{ctx}"
                );
                assert_eq!(
                    plan.manual,
                    matches!(plan.rule, RuleId::R6 | RuleId::R10),
                    "{ctx}"
                );
                if plan.manual {
                    assert!(plan.routes.is_empty(), "{ctx}");
                    assert!(plan.reason_zh.contains("人工确定接收单位"), "{ctx}");
                    assert!(plan.reason_en.contains("by hand"), "{ctx}");
                } else {
                    assert!(!plan.routes.is_empty(), "{ctx}");
                    for route in &plan.routes {
                        assert_eq!(route.first().map(String::as_str), Some(*d), "{ctx}");
                        assert!(route.iter().all(|c| codes.contains(&c.as_str())), "{ctx}");
                        for (i, c) in route.iter().enumerate() {
                            assert!(!route[i + 1..].contains(c), "{ctx}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn reasons_read_like_the_regulation() {
        let dir = dir();
        let r3 = route_lead(&dir, "dz-justice", &jp("yc-court")).unwrap();
        assert_eq!(
            r3.reason_zh,
            "先通报重庆市大足区人民法院，再由其移交重庆市永川区人民法院（第七条第（三）项）。"
        );
        assert!(r3.reason_en.contains("Dazu District People's Court"));
        assert!(r3.reason_en.contains("(Art. 7(3))"));

        let r2 = route_lead(&dir, "dz-justice", &jp("cq-court-1")).unwrap();
        assert_eq!(
            r2.reason_zh,
            "先通报重庆市大足区人民法院，再由其报送重庆市第一中级人民法院（第七条第（二）项）。"
        );

        let r1 = route_lead(&dir, "dz-justice", &jp("dz-psb")).unwrap();
        assert_eq!(
            r1.reason_zh,
            "由重庆市大足区司法局直接通报重庆市大足区公安局（第七条第（一）项）。"
        );

        let r6 = route_lead(&dir, "dz-bar", &jp("cq-psb")).unwrap();
        assert!(
            r6.reason_zh.contains("第七条第（一）、（三）项"),
            "{}",
            r6.reason_zh
        );
        assert!(r6.reason_zh.contains("重庆市大足区司法局人工确定接收单位"));
        assert!(r6.reason_en.contains("items (1) and (3)"));

        let r7 = route_lead(&dir, "dz-court", &Subject::Lawyer).unwrap();
        assert!(
            r7.reason_zh.contains("重庆市大足区司法局")
                && r7.reason_zh.contains("重庆市大足区律师协会")
        );
        assert!(r7.reason_en.contains("Dazu District Lawyers' Association"));

        let r10 = route_lead(&dir, "dz-firm-1", &Subject::Lawyer).unwrap();
        assert!(r10.reason_zh.contains("未明确"), "{}", r10.reason_zh);
        assert!(r10.reason_en.contains("does not say"), "{}", r10.reason_en);
        assert!(r10.reason_en.contains("law firm"), "{}", r10.reason_en);

        let away = route_lead(&dir, "yc-justice", &jp("yc-court")).unwrap();
        assert!(
            away.reason_zh.contains("不属于大足区"),
            "{}",
            away.reason_zh
        );
    }

    #[test]
    fn rule_ids_and_bases() {
        let expected = [
            (RuleId::R1, "R1", "Art. 7(1)", "第七条第（一）项"),
            (RuleId::R2, "R2", "Art. 7(2)", "第七条第（二）项"),
            (RuleId::R3, "R3", "Art. 7(3)", "第七条第（三）项"),
            (
                RuleId::R4,
                "R4",
                "Art. 8 ¶1 with 7(1)",
                "第八条第一款、第七条第（一）项",
            ),
            (
                RuleId::R5,
                "R5",
                "Art. 8 ¶1 with 7(3)",
                "第八条第一款、第七条第（三）项",
            ),
            (RuleId::R6, "R6", "Art. 8 ¶1", "第八条第一款"),
            (RuleId::R7, "R7", "Art. 8 ¶1", "第八条第一款"),
            (RuleId::R8, "R8", "Art. 10", "第十条"),
            (RuleId::R9, "R9", "Art. 11, 13", "第十一条、第十三条"),
            (RuleId::R10, "R10", "Art. 6", "第六条"),
        ];
        for (rule, id, basis, basis_zh) in expected {
            assert_eq!(rule.as_str(), id);
            assert_eq!(rule.to_string(), id);
            assert_eq!(rule.basis(), basis);
            assert_eq!(rule.basis_zh(), basis_zh);
            assert_eq!(RuleId::parse(id), Some(rule));
        }
        for bad in ["", "R0", "R11", "r1", " R1", "R1 "] {
            assert_eq!(RuleId::parse(bad), None, "{bad:?}");
        }
    }
}
