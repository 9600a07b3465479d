//! The Article 9 figures for the caller: over the leads the caller's unit may see (the joint
//! office sees all), with the training figures of the units it may see and the portal-wide
//! exchange figures. Viewing is audited. No HTTP types.

use app::pages::training_reports::DashboardTraining;
use domain::dashboard::{figures, Figures, LeadFacts};
use domain::directory::Directory;
use store::sessions::Caller;

use crate::error::AppError;
use crate::state::AppState;
use crate::training::reports::{dashboard_training, DashboardTrainingJson};

/// Everything the dashboard shows, for one caller.
pub struct Dashboard {
    pub figures: Figures,
    pub dir: Directory,
    pub unit: String,
    pub joint_office: bool,
    pub training: (DashboardTraining, DashboardTrainingJson),
    pub exchanges: store::events::ExchangeFigures,
    /// Per association, exchanges planned and held this year (Beijing), and the year.
    pub plans: (i32, Vec<store::events::PlanCount>),
}

/// The dashboard of a lead handler; `None` for anyone else. Audited as `dashboard.viewed`.
pub async fn load(state: &AppState, caller: &Caller) -> Result<Option<Dashboard>, AppError> {
    let dir = store::units::load_directory(&state.db).await?;
    let Some(h) = crate::leads::service::handler(caller, &dir) else {
        return Ok(None);
    };
    let leads = store::leads::list_visible(&state.db, &h.unit, h.joint_office, 100_000).await?;
    let facts: Vec<LeadFacts> = leads
        .into_iter()
        .map(|l| LeadFacts {
            created_at: l.created_at,
            status: l.status,
            rule: l.rule,
            discoverer: l.discoverer,
            route: l.route,
            steps: l.steps,
            feedback_at: l.feedback_at,
        })
        .collect();
    let viewed = store::audit::Event {
        action: "dashboard.viewed",
        object_type: Some("dashboard"),
        object_id: None,
        detail: None,
    };
    store::audit::record(&state.db, &caller.actor(), viewed).await?;
    let (unit, joint_office) = (h.unit.clone(), h.joint_office);
    let training = dashboard_training(state, &dir, &unit, joint_office).await?;
    let exchanges = store::events::exchange_figures(&state.db, store::now_ms()).await?;
    let year = domain::events::local_date(store::now_ms()).year;
    let plans = (year, store::events::plan_counts(&state.db, year).await?);
    Ok(Some(Dashboard {
        figures: figures(&facts, store::now_ms(), state.deadlines),
        dir,
        unit,
        joint_office,
        training,
        exchanges,
        plans,
    }))
}
