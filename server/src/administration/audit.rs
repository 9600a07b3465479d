//! The audit trail page (`/admin/audit?action=&actor=&object=&before=`): entries newest
//! first, in pages of 100, with the state of the hash chain.

use app::pages::admin::{AuditRow, AuditView};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use store::audit;
use store::users::Role;

use crate::page::{view, Page, PageError};
use crate::state::AppState;

/// `GET /admin/audit`.
pub async fn audit_page(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    page.role(Role::Admin)?;
    let q = page.query();
    let get = |k: &str| {
        q.iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.trim().chars().take(64).collect::<String>())
            .filter(|v| !v.is_empty())
    };
    const PAGE: i64 = 100;
    let filter = audit::Filter {
        action: get("action"),
        actor_login: get("actor"),
        object_id: get("object"),
        before_seq: get("before").and_then(|b| b.parse().ok()),
        limit: PAGE,
    };
    let entries = audit::list(&state.db, &filter).await?;
    // Only the entries since the last intact walk (and the entry it ended at) are read.
    let verdict = audit::verify_since_checkpoint(&state.db).await?;
    let chain = match verdict {
        audit::Verdict::Intact { entries, head } => {
            format!("哈希链完整 / chain intact: {entries} · {}", &head[..16])
        }
        audit::Verdict::Broken { seq, reason } => {
            format!("哈希链断裂 / chain BROKEN at {seq}: {reason}")
        }
    };
    let older = (entries.len() as i64 == PAGE)
        .then(|| entries.last().map(|e| e.seq))
        .flatten();
    let rows = entries
        .into_iter()
        .map(|e| AuditRow {
            seq: e.seq,
            at: crate::time::format_beijing(e.at),
            actor: e.actor_login.unwrap_or_default(),
            unit: e.actor_unit.unwrap_or_default(),
            action: e.action,
            object: match (e.object_type, e.object_id) {
                (Some(t), Some(i)) => format!("{t}:{i}"),
                (Some(t), None) => t,
                _ => String::new(),
            },
            detail: e.detail.unwrap_or_default(),
            client_addr: e.client_addr.unwrap_or_default(),
        })
        .collect();
    Ok(view(AuditView {
        entries: rows,
        action: filter.action.unwrap_or_default(),
        actor: filter.actor_login.unwrap_or_default(),
        object: filter.object_id.unwrap_or_default(),
        older,
        chain,
    })
    .into_response())
}
