//! The Article 9 figures for the caller: over the leads the caller's unit may see (the joint
//! office sees all), counted by aggregate SQL over every one of them, with the training figures of the units it may see and the portal-wide
//! exchange figures. Viewing is audited. No HTTP types.

use app::pages::training_reports::DashboardTraining;
use domain::dashboard::{figures, Figures};
use domain::directory::{Directory, UnitKind};
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
    // Every lead the unit may see, counted by the database (no list, no cap).
    let jo_unit = dir
        .home_unit(UnitKind::JusticeBureau)
        .map(|u| u.code.clone())
        .unwrap_or_default();
    let inputs = store::leads::lead_figures(&state.db, &h.unit, h.joint_office, &jo_unit).await?;
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
        figures: figures(
            inputs.counts,
            &inputs.open_cases,
            &inputs.ack_ms,
            &inputs.feedback_ms,
            store::now_ms(),
            state.deadlines,
        ),
        dir,
        unit,
        joint_office,
        training,
        exchanges,
        plans,
    }))
}
