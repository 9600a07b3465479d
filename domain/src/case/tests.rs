//! Table tests of the case rules.
use super::deadlines::DAY_MS;
use super::*;
use crate::directory::UnitKind;

fn outcome_of(body: &str, by: &str, o: Outcome) -> OutcomeOnFile {
    OutcomeOnFile {
        body: body.into(),
        recorded_by: by.into(),
        outcomes: vec![o],
    }
}

fn step(hop: i64, from: &str, to: &str, acked: bool, passed: bool) -> Step {
    Step {
        hop,
        sender: from.into(),
        receiver: to.into(),
        sent_at: 0,
        acknowledged_at: acked.then_some(1),
        passed_on_at: passed.then_some(2),
    }
}

fn r3(steps: Vec<Step>) -> CaseFacts {
    CaseFacts {
        discoverer: "dz-justice".into(),
        route: Some(vec![
            "dz-justice".into(),
            "dz-court".into(),
            "yc-court".into(),
        ]),
        steps,
        ..Default::default()
    }
}

#[test]
fn an_r3_case_moves_hop_by_hop() {
    use Action::*;
    let pass = |to: &str| PassOn { to: to.into() };
    // (facts, unit, joint office, expected actions)
    let cases: Vec<(CaseFacts, &str, bool, Vec<Action>)> = vec![
        (
            r3(vec![step(1, "dz-justice", "dz-court", false, false)]),
            "dz-court",
            false,
            vec![Acknowledge, Message],
        ),
        (
            r3(vec![step(1, "dz-justice", "dz-court", false, false)]),
            "yc-court",
            false,
            vec![],
        ),
        (
            r3(vec![step(1, "dz-justice", "dz-court", false, false)]),
            "dz-justice",
            false,
            vec![Message],
        ),
        (
            r3(vec![step(1, "dz-justice", "dz-court", true, false)]),
            "dz-court",
            false,
            vec![pass("yc-court"), Findings, NotVerified, Message],
        ),
        (
            r3(vec![
                step(1, "dz-justice", "dz-court", true, true),
                step(2, "dz-court", "yc-court", false, false),
            ]),
            "dz-court",
            false,
            vec![Findings, NotVerified, Message],
        ),
        (
            r3(vec![
                step(1, "dz-justice", "dz-court", true, true),
                step(2, "dz-court", "yc-court", false, false),
            ]),
            "yc-court",
            false,
            vec![Acknowledge, Message],
        ),
        (
            r3(vec![
                step(1, "dz-justice", "dz-court", true, true),
                step(2, "dz-court", "yc-court", true, false),
            ]),
            "yc-court",
            false,
            vec![Findings, NotVerified, Message],
        ),
        (
            CaseFacts {
                findings_by: vec!["yc-court".into()],
                ..r3(vec![
                    step(1, "dz-justice", "dz-court", true, true),
                    step(2, "dz-court", "yc-court", true, false),
                ])
            },
            "yc-court",
            false,
            vec![Findings, NotVerified, Outcome, Message],
        ),
        (
            CaseFacts {
                findings_by: vec!["yc-court".into()],
                outcomes: vec![outcome_of(
                    "yc-court",
                    "yc-court",
                    crate::case::Outcome::Discipline,
                )],
                ..r3(vec![
                    step(1, "dz-justice", "dz-court", true, true),
                    step(2, "dz-court", "yc-court", true, false),
                ])
            },
            "yc-court",
            false,
            vec![Findings, NotVerified, Outcome, Feedback, Message],
        ),
        (
            CaseFacts {
                findings_by: vec!["yc-court".into()],
                outcomes: vec![outcome_of(
                    "yc-court",
                    "yc-court",
                    crate::case::Outcome::Discipline,
                )],
                ..r3(vec![
                    step(1, "dz-justice", "dz-court", true, true),
                    step(2, "dz-court", "yc-court", true, false),
                ])
            },
            "dz-justice",
            false,
            vec![Message],
        ),
        (
            CaseFacts {
                findings_by: vec!["yc-court".into()],
                outcomes: vec![outcome_of(
                    "yc-court",
                    "yc-court",
                    crate::case::Outcome::Discipline,
                )],
                feedback_sent: true,
                ..r3(vec![
                    step(1, "dz-justice", "dz-court", true, true),
                    step(2, "dz-court", "yc-court", true, false),
                ])
            },
            "dz-justice",
            false,
            vec![Close, Message],
        ),
        (
            CaseFacts {
                closed: true,
                ..r3(vec![step(1, "dz-justice", "dz-court", true, true)])
            },
            "dz-justice",
            false,
            vec![Reopen, Message],
        ),
        (
            CaseFacts {
                closed: true,
                ..r3(vec![step(1, "dz-justice", "dz-court", true, true)])
            },
            "dz-court",
            false,
            vec![Message],
        ),
        (
            CaseFacts {
                discoverer: "dz-bar".into(),
                ..Default::default()
            },
            "dz-justice",
            true,
            vec![Route, Message],
        ),
        (
            CaseFacts {
                discoverer: "dz-bar".into(),
                ..Default::default()
            },
            "dz-bar",
            false,
            vec![Message],
        ),
        (
            CaseFacts {
                discoverer: "dz-bar".into(),
                ..Default::default()
            },
            "dz-court",
            false,
            vec![],
        ),
    ];
    for (i, (facts, unit, jo, want)) in cases.into_iter().enumerate() {
        assert_eq!(allowed_actions(&facts, unit, jo), want, "case {i}: {unit}");
    }
}

#[test]
fn internal_handling_needs_no_separate_feedback() {
    let mut f = CaseFacts {
        discoverer: "dz-court".into(),
        route: Some(vec!["dz-court".into()]),
        ..Default::default()
    };
    assert_eq!(
        allowed_actions(&f, "dz-court", false),
        vec![Action::Findings, Action::Message]
    );
    f.findings_by.push("dz-court".into());
    assert_eq!(
        allowed_actions(&f, "dz-court", false),
        vec![Action::Findings, Action::Outcome, Action::Message]
    );
    f.outcomes.push(outcome_of(
        "dz-court",
        "dz-court",
        crate::case::Outcome::Discipline,
    ));
    assert!(f.feedback_complete());
    assert_eq!(
        allowed_actions(&f, "dz-court", false),
        vec![
            Action::Findings,
            Action::Outcome,
            Action::Close,
            Action::Message
        ]
    );
}

#[test]
fn visibility_follows_the_route_as_it_is_walked() {
    let f = r3(vec![step(1, "dz-justice", "dz-court", false, false)]);
    assert!(visible_to(&f, "dz-justice", false));
    assert!(visible_to(&f, "dz-court", false));
    assert!(!visible_to(&f, "yc-court", false), "not yet reached");
    assert!(!visible_to(&f, "dz-procuratorate", false));
    assert!(
        visible_to(&f, "dz-procuratorate", true),
        "the joint office sees all"
    );
}

#[test]
fn deadlines_flag_late_units() {
    let d = Deadlines::default();
    let f = r3(vec![step(1, "dz-justice", "dz-court", false, false)]);
    assert!(overdue(&f, 3 * DAY_MS, d).is_empty());
    let late = overdue(&f, 3 * DAY_MS + 1, d);
    assert_eq!(
        late,
        vec![Overdue {
            what: "acknowledge".into(),
            unit: "dz-court".into(),
            since: 0
        }]
    );
    let f = r3(vec![step(1, "dz-justice", "dz-court", true, false)]);
    assert_eq!(overdue(&f, 5 * DAY_MS + 1, d)[0].what, "pass_on");
    let all = overdue(&f, 31 * DAY_MS, d);
    assert!(all
        .iter()
        .any(|o| o.what == "feedback" && o.unit == "yc-court"));
    let closed = CaseFacts { closed: true, ..f };
    assert!(overdue(&closed, 99 * DAY_MS, d).is_empty());
}

#[test]
fn codes_round_trip() {
    for d in Duty::ALL {
        assert_eq!(Duty::parse(d.as_str()), Some(d));
    }
    for k in ConductKind::ALL {
        assert_eq!(ConductKind::parse(k.as_str()), Some(k));
    }
    for o in Outcome::ALL {
        assert_eq!(Outcome::parse(o.as_str()), Some(o));
    }
}

fn party(code: &str, kind: UnitKind, in_portal: bool) -> Party {
    Party {
        code: code.into(),
        kind,
        in_portal,
    }
}

/// R3 to 荣昌 (`rc-court`), which has no lead handlers: the last hop goes by letter.
fn r3_rc(steps: Vec<Step>) -> CaseFacts {
    CaseFacts {
        discoverer: "dz-justice".into(),
        route: Some(vec![
            "dz-justice".into(),
            "dz-court".into(),
            "rc-court".into(),
        ]),
        parties: vec![
            party("dz-justice", UnitKind::JusticeBureau, true),
            party("dz-court", UnitKind::Court, true),
            party("rc-court", UnitKind::Court, false),
        ],
        subject: CaseSubject::JudicialPersonnel {
            org: Some("rc-court".into()),
        },
        steps,
        ..Default::default()
    }
}

#[test]
fn a_case_to_an_organ_outside_the_portal_can_finish() {
    use Action::*;
    let reply = || ExternalReply {
        from: "rc-court".into(),
    };
    let passed = vec![
        step(1, "dz-justice", "dz-court", true, true),
        step(2, "dz-court", "rc-court", false, false),
    ];
    let verified = CaseFacts {
        findings_by: vec!["dz-court".into()],
        ..r3_rc(passed.clone())
    };
    let replied = CaseFacts {
        findings_by: vec!["dz-court".into(), "rc-court".into()],
        outcomes: vec![outcome_of(
            "rc-court",
            "dz-court",
            crate::case::Outcome::Discipline,
        )],
        ..r3_rc(passed.clone())
    };
    let fed_back = CaseFacts {
        feedback_sent: true,
        ..replied.clone()
    };
    // (facts, unit, joint office, expected actions)
    let cases: Vec<(&CaseFacts, &str, bool, Vec<Action>)> = vec![
        // The letter's sender records the reply; the joint office may too.
        (
            &verified,
            "dz-court",
            false,
            vec![Findings, NotVerified, Outcome, reply(), Message],
        ),
        (&verified, "dz-justice", true, vec![reply(), Message]),
        (&verified, "dz-justice", false, vec![Message]),
        // After the reply the sender feeds back; the discoverer then closes.
        (
            &replied,
            "dz-court",
            false,
            vec![Findings, NotVerified, Outcome, reply(), Feedback, Message],
        ),
        (&replied, "dz-justice", true, vec![reply(), Message]),
        (&fed_back, "dz-justice", true, vec![reply(), Close, Message]),
    ];
    for (i, (facts, unit, jo, want)) in cases.into_iter().enumerate() {
        assert_eq!(allowed_actions(facts, unit, jo), want, "case {i}: {unit}");
    }
    assert_eq!(verified.receivers(), ["dz-court", "rc-court"]);
    assert_eq!(verified.unverified(), ["rc-court"]);
    assert!(fed_back.feedback_complete());
    assert_eq!(check_close(&fed_back), Ok(()));
    // The discoverer recording the final organ's letter itself has the feedback already.
    let own = CaseFacts {
        outcomes: vec![outcome_of(
            "rc-court",
            "dz-justice",
            crate::case::Outcome::Discipline,
        )],
        ..replied.clone()
    };
    assert!(own.feedback_complete());
    // No acknowledgement is expected of an organ outside the portal; feedback still is.
    let d = Deadlines::default();
    assert!(overdue(&verified, 10 * DAY_MS, d).is_empty());
    let late = overdue(&verified, 31 * DAY_MS, d);
    assert_eq!(late.len(), 1);
    assert_eq!(
        (late[0].what.as_str(), late[0].unit.as_str()),
        ("feedback", "rc-court")
    );
}

#[test]
fn every_receiver_verifies_or_says_why_not_before_closing() {
    let base = CaseFacts {
        outcomes: vec![outcome_of(
            "yc-court",
            "yc-court",
            crate::case::Outcome::Discipline,
        )],
        feedback_sent: true,
        ..r3(vec![
            step(1, "dz-justice", "dz-court", true, true),
            step(2, "dz-court", "yc-court", true, false),
        ])
    };
    // (findings by, reasons by, units still missing)
    let cases: Vec<(Vec<&str>, Vec<&str>, Vec<&str>)> = vec![
        (vec![], vec![], vec!["dz-court", "yc-court"]),
        (vec!["yc-court"], vec![], vec!["dz-court"]),
        (vec!["yc-court"], vec!["dz-court"], vec![]),
        (vec!["yc-court", "dz-court"], vec![], vec![]),
        (vec!["dz-justice"], vec![], vec!["dz-court", "yc-court"]),
    ];
    for (findings, reasons, missing) in cases {
        let f = CaseFacts {
            findings_by: findings.iter().map(|u| u.to_string()).collect(),
            not_verified_by: reasons.iter().map(|u| u.to_string()).collect(),
            ..base.clone()
        };
        let want: Vec<String> = missing.iter().map(|u| u.to_string()).collect();
        assert_eq!(f.unverified(), want, "{findings:?} {reasons:?}");
        let closing = check_close(&f);
        if want.is_empty() {
            assert_eq!(closing, Ok(()));
        } else {
            assert_eq!(closing, Err(CaseRefusal::VerificationMissing(want)));
        }
    }
    assert_eq!(base.verification("dz-court"), Verification::Missing);
}

#[test]
fn article_13_gives_each_body_its_own_sanctions() {
    use Outcome::*;
    use OutcomeRefusal as R;
    let judge = r3(vec![]);
    let judge = CaseFacts {
        subject: CaseSubject::JudicialPersonnel {
            org: Some("yc-court".into()),
        },
        parties: vec![
            party("dz-justice", UnitKind::JusticeBureau, true),
            party("dz-court", UnitKind::Court, true),
            party("yc-court", UnitKind::Court, true),
        ],
        ..judge
    };
    let lawyer = CaseFacts {
        discoverer: "dz-court".into(),
        route: Some(vec![
            "dz-court".into(),
            "dz-bar".into(),
            "dz-justice".into(),
        ]),
        subject: CaseSubject::Lawyer,
        parties: vec![
            party("dz-court", UnitKind::Court, true),
            party("dz-bar", UnitKind::BarAssociation, true),
            party("dz-justice", UnitKind::JusticeBureau, true),
        ],
        ..Default::default()
    };
    // (case, body, outcomes, referred to, expected)
    type Case<'a> = (&'a CaseFacts, &'a str, Vec<Outcome>, &'a str, Result<(), R>);
    let cases: Vec<Case> = vec![
        (&judge, "yc-court", vec![Discipline], "", Ok(())),
        (
            &judge,
            "dz-court",
            vec![Discipline],
            "",
            Err(R::DisciplineNotOwnOrgan),
        ),
        (
            &judge,
            "yc-court",
            vec![IndustrySanction],
            "",
            Err(R::SanctionNotBarAssociation),
        ),
        (
            &judge,
            "dz-justice",
            vec![AdministrativePenalty],
            "",
            Err(R::PenaltyNotJusticeBureau),
        ),
        (&judge, "yc-court", vec![NotSubstantiated], "", Ok(())),
        (
            &judge,
            "yc-court",
            vec![NotSubstantiated, Discipline],
            "",
            Err(R::NotSubstantiatedCombined),
        ),
        (
            &judge,
            "dz-court",
            vec![CriminalReferral],
            "",
            Err(R::ReferralAuthorityMissing),
        ),
        (
            &judge,
            "dz-court",
            vec![CriminalReferral],
            "区监察委员会",
            Ok(()),
        ),
        (
            &judge,
            "yc-court",
            vec![Discipline, CriminalReferral],
            "区监察委员会",
            Ok(()),
        ),
        (&lawyer, "dz-bar", vec![IndustrySanction], "", Ok(())),
        (
            &lawyer,
            "dz-justice",
            vec![AdministrativePenalty],
            "",
            Ok(()),
        ),
        (
            &lawyer,
            "dz-bar",
            vec![AdministrativePenalty],
            "",
            Err(R::PenaltyNotJusticeBureau),
        ),
        (
            &lawyer,
            "dz-justice",
            vec![IndustrySanction],
            "",
            Err(R::SanctionNotBarAssociation),
        ),
        (
            &lawyer,
            "dz-justice",
            vec![Discipline],
            "",
            Err(R::DisciplineNotOwnOrgan),
        ),
        (
            &lawyer,
            "dz-court",
            vec![CriminalReferral],
            "区公安局",
            Ok(()),
        ),
    ];
    for (i, (facts, body, outcomes, to, want)) in cases.into_iter().enumerate() {
        assert_eq!(
            check_outcomes(facts, body, &outcomes, to),
            want,
            "case {i}: {body} {outcomes:?}"
        );
    }
}

#[test]
fn both_bodies_record_their_own_outcome_on_a_lawyer_case() {
    // R7(b): the court's lead goes to the lawyers' association, then to the justice bureau.
    let f = CaseFacts {
        discoverer: "dz-court".into(),
        route: Some(vec![
            "dz-court".into(),
            "dz-bar".into(),
            "dz-justice".into(),
        ]),
        subject: CaseSubject::Lawyer,
        steps: vec![
            step(1, "dz-court", "dz-bar", true, true),
            step(2, "dz-bar", "dz-justice", true, false),
        ],
        findings_by: vec!["dz-bar".into(), "dz-justice".into()],
        ..Default::default()
    };
    assert!(allowed_actions(&f, "dz-bar", false).contains(&Action::Outcome));
    assert!(allowed_actions(&f, "dz-justice", false).contains(&Action::Outcome));
    // Only the final receiver's outcome is the one the discoverer waits for.
    let bar_only = CaseFacts {
        outcomes: vec![outcome_of(
            "dz-bar",
            "dz-bar",
            crate::case::Outcome::IndustrySanction,
        )],
        ..f.clone()
    };
    assert!(!bar_only.outcome_recorded());
    let both = CaseFacts {
        outcomes: vec![
            outcome_of("dz-bar", "dz-bar", crate::case::Outcome::IndustrySanction),
            outcome_of(
                "dz-justice",
                "dz-justice",
                crate::case::Outcome::AdministrativePenalty,
            ),
        ],
        ..f
    };
    assert!(both.outcome_recorded());
    assert!(allowed_actions(&both, "dz-justice", false).contains(&Action::Feedback));
}

#[test]
fn manual_and_internal_cases_have_a_clock() {
    let d = Deadlines::default();
    let manual = CaseFacts {
        discoverer: "dz-bar".into(),
        created_at: DAY_MS,
        ..Default::default()
    };
    // (facts, now, expected `what`s)
    let internal = CaseFacts {
        discoverer: "dz-court".into(),
        route: Some(vec!["dz-court".into()]),
        created_at: DAY_MS,
        ..Default::default()
    };
    let internal_done = CaseFacts {
        findings_by: vec!["dz-court".into()],
        outcomes: vec![outcome_of(
            "dz-court",
            "dz-court",
            crate::case::Outcome::Discipline,
        )],
        ..internal.clone()
    };
    let cases: Vec<(&CaseFacts, i64, Vec<&str>)> = vec![
        (&manual, 6 * DAY_MS, vec![]),
        (&manual, 6 * DAY_MS + 1, vec!["route"]),
        (&internal, 31 * DAY_MS, vec![]),
        (&internal, 31 * DAY_MS + 1, vec!["internal"]),
        (&internal_done, 99 * DAY_MS, vec![]),
    ];
    for (i, (facts, now, want)) in cases.into_iter().enumerate() {
        let got: Vec<String> = overdue(facts, now, d).into_iter().map(|o| o.what).collect();
        assert_eq!(got, want, "case {i}");
    }
}

#[test]
fn manual_routing_conflicts_and_receivers() {
    let about_office = CaseFacts {
        subject: CaseSubject::JudicialPersonnel {
            org: Some("dz-justice".into()),
        },
        ..Default::default()
    };
    assert!(routing_conflict(&about_office, "dz-justice"));
    let own_supervision = CaseFacts {
        discoverer: "dz-justice".into(),
        ..about_office.clone()
    };
    assert!(!routing_conflict(&own_supervision, "dz-justice"), "R8");
    assert!(!routing_conflict(&r3(vec![]), "dz-justice"));
    assert!(!routing_conflict(
        &CaseFacts {
            subject: CaseSubject::Lawyer,
            ..Default::default()
        },
        "dz-justice"
    ));
    for kind in UnitKind::ALL {
        assert_eq!(may_receive(kind), kind != UnitKind::LawFirm, "{kind:?}");
    }
}
