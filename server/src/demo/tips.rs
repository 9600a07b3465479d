//! Demo public tips: one new, one answered by the joint office with the reporter's follow-up
//! and a second answer, one answered and closed. Through the tip use cases of real use (the
//! receipts are random, as always, and not kept).

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
        let receipt = service::submit(state, thread.tip).await.map_err(refused)?;
        let tip = store::tips::find_by_receipt(&state.db, &receipt)
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
    Ok(())
}
