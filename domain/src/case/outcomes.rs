//! Article 13: "分别由司法机关、司法行政部门和律师协会 … 进行行政处罚、行业处分。涉嫌犯罪的，依法移送问题线索".
//! Each body imposes its own sanctions, so an outcome is checked against the body that
//! records it (or whose letter is recorded, for an organ outside the portal):
//!
//! | outcome | who may record it |
//! |---|---|
//! | not substantiated | any body that verified; never together with another outcome |
//! | discipline (依纪依规处理) | the subject's own organ, for judicial personnel |
//! | administrative penalty | a justice bureau, for a lawyer |
//! | industry sanction | a lawyers' association, for a lawyer |
//! | referral of a suspected crime (移送) | any receiving body, naming the authority |

use crate::directory::UnitKind;

use super::{CaseFacts, CaseSubject, Outcome};

/// Why Article 13 refuses a set of outcomes from a body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutcomeRefusal {
    /// "Not substantiated" together with a sanction or referral.
    NotSubstantiatedCombined,
    /// Discipline by a body that is not the subject's own organ (or of a lawyer).
    DisciplineNotOwnOrgan,
    /// An administrative penalty by a body that is not a justice bureau, or not of a lawyer.
    PenaltyNotJusticeBureau,
    /// An industry sanction by a body that is not a lawyers' association, or not of a lawyer.
    SanctionNotBarAssociation,
    /// A referral without the authority it went to.
    ReferralAuthorityMissing,
}

/// Checks `outcomes` recorded as the outcome of `body` on this case. `referred_to` names the
/// authority of a criminal referral. An empty list is the caller's concern (nothing to check).
pub fn check_outcomes(
    facts: &CaseFacts,
    body: &str,
    outcomes: &[Outcome],
    referred_to: &str,
) -> Result<(), OutcomeRefusal> {
    if outcomes.contains(&Outcome::NotSubstantiated) && outcomes.len() > 1 {
        return Err(OutcomeRefusal::NotSubstantiatedCombined);
    }
    let kind = facts.kind_of(body);
    let lawyer = facts.subject == CaseSubject::Lawyer;
    for o in outcomes {
        match o {
            Outcome::NotSubstantiated => {}
            Outcome::Discipline => {
                let own = matches!(&facts.subject, CaseSubject::JudicialPersonnel { org: Some(org) } if org == body);
                if !own {
                    return Err(OutcomeRefusal::DisciplineNotOwnOrgan);
                }
            }
            Outcome::AdministrativePenalty => {
                if !lawyer || kind != Some(UnitKind::JusticeBureau) {
                    return Err(OutcomeRefusal::PenaltyNotJusticeBureau);
                }
            }
            Outcome::IndustrySanction => {
                if !lawyer || kind != Some(UnitKind::BarAssociation) {
                    return Err(OutcomeRefusal::SanctionNotBarAssociation);
                }
            }
            Outcome::CriminalReferral => {
                if referred_to.trim().is_empty() {
                    return Err(OutcomeRefusal::ReferralAuthorityMissing);
                }
            }
        }
    }
    Ok(())
}
