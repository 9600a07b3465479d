//! The use cases of public tips: submitting, looking a tip up by its receipt (throttled per
//! client address, which is used for the throttle only and never stored with the tip), adding
//! a message, and the joint office's answers and closing. No HTTP types.

use domain::tips::{check_tip_text, TipRefused};
use store::sessions::Caller;
use store::tips::{self, Tip};
use store::StoreError;

use crate::state::AppState;

/// Receipt guesses allowed per client address in the throttle window.
const GUESS_LIMIT: i64 = 10;
/// Tips accepted per client address in the throttle window (15 minutes): enough for anyone
/// with something to report, too few to bury the queue.
pub const TIP_LIMIT: i64 = 10;

/// Why a tip use case did not happen.
#[derive(Debug)]
pub enum TipError {
    /// No such receipt (or tip): the same answer for both.
    NotFound,
    Refused(TipRefused),
    Store(StoreError),
}

impl From<StoreError> for TipError {
    fn from(e: StoreError) -> Self {
        TipError::Store(e)
    }
}

impl From<TipRefused> for TipError {
    fn from(r: TipRefused) -> Self {
        TipError::Refused(r)
    }
}

/// Records a tip; the receipt (shown once) is the only way back to it. Tips are counted per
/// client address (behind a trusted proxy, the forwarded one), which is kept for the count only.
pub async fn submit(state: &AppState, caller: &Caller, text: &str) -> Result<String, TipError> {
    // What cannot be a tip is refused first: it costs nothing and is not counted.
    let text = check_tip_text(text)?;
    let key = format!("tip-submit:{}", caller.client_key);
    if let Some(wait) = store::throttle::key_locked_for(&state.db, &key).await? {
        return Err(TipRefused::TooManyTips((wait + 59_999) / 60_000).into());
    }
    store::throttle::key_failure(&state.db, &key, TIP_LIMIT).await?;
    let (_, receipt) = tips::create_tip(&state.db, &state.receipt_key, &text).await?;
    Ok(receipt.0)
}

/// The tip of `receipt`, counting a wrong receipt against the caller's address.
pub async fn lookup(state: &AppState, caller: &Caller, receipt: &str) -> Result<Tip, TipError> {
    let key = format!("tip:{}", caller.client_key);
    if let Some(wait) = store::throttle::key_locked_for(&state.db, &key).await? {
        return Err(TipRefused::Throttled((wait + 59_999) / 60_000).into());
    }
    match tips::find_by_receipt(&state.db, &state.receipt_key, receipt).await? {
        Some(t) => Ok(t),
        None => {
            store::throttle::key_failure(&state.db, &key, GUESS_LIMIT).await?;
            Err(TipError::NotFound)
        }
    }
}

/// The reporter adds information to their tip.
pub async fn add_reporter_message(state: &AppState, tip: &Tip, text: &str) -> Result<(), TipError> {
    let text = check_tip_text(text)?;
    let anonymous = store::audit::Actor {
        login: Some("public".into()),
        ..Default::default()
    };
    if !tips::add_message(&state.db, tip.id, false, "反映人", &text, &anonymous).await? {
        return Err(TipRefused::Closed.into());
    }
    Ok(())
}

/// What the joint office does with a tip.
pub enum OfficeCommand {
    Answer { text: String },
    Close,
}

/// Runs an office command; an invalid answer changes nothing.
pub async fn run_office(
    state: &AppState,
    caller: &Caller,
    name: &str,
    id: i64,
    command: OfficeCommand,
) -> Result<(), TipError> {
    match command {
        OfficeCommand::Answer { text } => {
            let text = check_tip_text(&text)?;
            tips::add_message(&state.db, id, true, name, &text, &caller.actor()).await?;
        }
        OfficeCommand::Close => {
            tips::close(&state.db, id, &caller.actor()).await?;
        }
    }
    Ok(())
}
