//! Demo public tips: one new, one answered by the joint office with the reporter's follow-up
//! and a second answer, one answered and closed, and one the joint office took up as a lead
//! as the report form does. Through the tip and lead use cases of real use (the
//! receipts are random, as always, and not kept).

use crate::leads::service::{self as leads, Report, ReportSubject};
use crate::tips::service::{self, OfficeCommand, TipError};

use super::{Demo, DemoError};

const STEP: &str = "tips";
const OFFICE: &str = "dz-justice-officer";

fn refused(e: TipError) -> DemoError {
    match e {
        TipError::Store(e) => DemoError::Store(e),
        other => DemoError::refused(STEP, other),
    }
}

/// A tip and what follows it: (from the office?, text) in order; closed at the end?
struct Thread {
    tip: &'static str,
    messages: &'static [(bool, &'static str)],
    close: bool,
}

const THREADS: [Thread; 3] = [
    Thread {
        tip: "我在区法院办理诉讼时，看到一名律师在法官办公室外多次递送礼品袋，时间大约是上周三下午。",
        messages: &[],
        close: false,
    },
    Thread {
        tip: "某律师事务所在宣传中声称与区检察院关系密切，可以“保证”取保候审，请有关部门核实。",
        messages: &[
            (true, "感谢您的反映。请问您是否能提供该宣传的具体时间、地点或截图？"),
            (false, "宣传是在该所的微信公众号上发布的，发布时间是本月初，我已保存截图。"),
            (true, "已收到，联合办公室将依照《暂行规定》转有关单位核查，核查情况会在此答复。"),
        ],
        close: false,
    },
    Thread {
        tip: "希望了解律师与法官在庭外能否一起参加行业培训活动，这样做是否符合规定？",
        messages: &[(
            true,
            "《暂行规定》第十二条规定，通过法官协会、检察官协会、警察协会与律师协会，建立司法人员与律师之间的正常履职和常态化工作交流机制。各协会组织的交流活动可在本平台“交流活动”栏目查看。本反映已答复，予以办结。",
        )],
        close: true,
    },
];

pub async fn seed(demo: &Demo<'_>) -> Result<(), DemoError> {
    let state = demo.state;
    let office = demo.caller(OFFICE)?;
    let name = demo.user(OFFICE)?.display_name.clone();
    for thread in &THREADS {
        let receipt = service::submit(state, &demo.visitor(), thread.tip)
            .await
            .map_err(refused)?;
        let tip = store::tips::find_by_receipt(&state.db, &state.receipt_key, &receipt)
            .await?
            .ok_or_else(|| DemoError::refused(STEP, "tip vanished"))?;
        for (from_office, text) in thread.messages {
            if *from_office {
                let answer = OfficeCommand::Answer {
                    text: text.to_string(),
                };
                service::run_office(state, &office, &name, tip.id, answer)
                    .await
                    .map_err(refused)?;
            } else {
                service::add_reporter_message(state, &tip, text)
                    .await
                    .map_err(refused)?;
            }
        }
        if thread.close {
            service::run_office(state, &office, &name, tip.id, OfficeCommand::Close)
                .await
                .map_err(refused)?;
        }
    }
    take_up(demo).await
}

/// A tip the joint office takes up as a lead of its own (R9: a lawyer, handled by the justice
/// bureau), as the report form does with `?tip=`.
async fn take_up(demo: &Demo<'_>) -> Result<(), DemoError> {
    let state = demo.state;
    let receipt = service::submit(
        state,
        &demo.visitor(),
        "有律师在朋友圈宣称可以通过法院内部关系让案件“加急立案”，并收取所谓的“加急费”。",
    )
    .await
    .map_err(refused)?;
    let tip = store::tips::find_by_receipt(&state.db, &state.receipt_key, &receipt)
        .await?
        .ok_or_else(|| DemoError::refused(STEP, "tip vanished"))?;
    let office = demo.caller(OFFICE)?;
    let dir = leads::directory(state).await?;
    let handler = leads::handler(&office, &dir)
        .ok_or_else(|| DemoError::refused(STEP, "the joint office handles no leads"))?;
    let tip = leads::open_tip(state, &handler, tip.id)
        .await?
        .ok_or_else(|| DemoError::refused(STEP, "tip not open"))?;
    let report = Report {
        subject: ReportSubject {
            kind: "lawyer".into(),
            name: "卫某".into(),
            firm: Some("dz-firm-2".into()),
            licence_no: Some("15001201610000004".into()),
            region: Some("重庆市大足区".into()),
            ..Default::default()
        },
        summary: "律师宣称可通过法院内部关系“加急立案”（群众反映）".into(),
        details: tip.body.clone(),
        conduct_kind: Some("intermediary_fraud".into()),
        ..Default::default()
    };
    // As `leads::report` with the form's tip, at the demo's instant.
    let lead =
        leads::build_lead(&dir, &handler, &report).map_err(|r| DemoError::refused(STEP, r))?;
    let actor = office.actor();
    let (id, _) = store::leads::create_lead_at(&state.db, &lead, &actor, demo.now).await?;
    store::tips::mark_converted(&state.db, tip.id, id, &actor).await?;
    Ok(())
}
