//! The use cases of identity, for the pages and the API alike: signing in (throttled, audited,
//! the same cost for unknown logins), signing out, changing one's password, revoking a token.
//! No HTTP types; refusals are typed (`domain::identity`) and worded in `app::refusals`.

use domain::identity::{PasswordRefused, SignInRefused};
use store::audit::{self, Event};
use store::passwords::{verify_password, Verified};
use store::sessions::{self, Caller, Kind, Secret};
use store::users::User;
use store::{throttle, Db, StoreError};

/// Why a sign-in did not happen.
#[derive(Debug)]
pub enum SignInError {
    Refused(SignInRefused),
    Store(StoreError),
}

impl From<StoreError> for SignInError {
    fn from(e: StoreError) -> Self {
        SignInError::Store(e)
    }
}

/// Checks a login and password with throttling, creates a session or token, and audits both
/// outcomes. Unknown logins cost the same as wrong passwords. A login longer than
/// [`throttle::LOGIN_MAX_CHARS`] is refused before anything is counted or looked up; every
/// other attempt is counted before its password is checked (see `store::throttle`), and the
/// check waits for one of the bounded hashing slots (`StoreError::Busy` when none is free).
pub async fn sign_in(
    db: &Db,
    login: &str,
    password: &str,
    caller: &Caller,
    kind: Kind,
) -> Result<(User, Secret), SignInError> {
    let login = login.trim();
    if login.chars().count() > throttle::LOGIN_MAX_CHARS {
        return Err(SignInError::Refused(SignInRefused::LoginTooLong));
    }
    let client = caller.client_key.as_str();
    let minutes = |ms: i64| (ms + 59_999) / 60_000;
    match throttle::begin_sign_in(db, login, client).await? {
        throttle::Attempt::Locked(wait) => {
            return Err(SignInError::Refused(SignInRefused::Throttled(minutes(
                wait,
            ))))
        }
        throttle::Attempt::Go { slow: true } => tokio::time::sleep(throttle::ADDRESS_DELAY).await,
        throttle::Attempt::Go { slow: false } => {}
    }
    let creds = store::users::find_credentials(db, login).await?;
    let usable = creds.as_ref().is_some_and(|c| !c.user.disabled);
    let hash = creds
        .as_ref()
        .filter(|_| usable)
        .and_then(|c| c.hash.clone());
    let verdict = verify_password(password.to_string(), hash).await?;
    let actor = audit::Actor {
        login: Some(login.to_string()),
        client_addr: Some(caller.client_addr.clone()),
        ..Default::default()
    };
    let (Some(creds), true, Verified::Yes | Verified::YesRehash) = (creds, usable, &verdict) else {
        audit::record(
            db,
            &actor,
            Event {
                action: "auth.sign_in_failed",
                ..Default::default()
            },
        )
        .await?;
        return match throttle::end_failure(db, login, client).await? {
            Some(lock) => Err(SignInError::Refused(SignInRefused::Throttled(minutes(
                lock,
            )))),
            None => Err(SignInError::Refused(SignInRefused::Invalid)),
        };
    };
    throttle::end_success(db, login, client).await?;
    let rehash = if verdict == Verified::YesRehash {
        Some(store::passwords::hash_password(password.to_string()).await?)
    } else {
        None
    };
    let mut tx = db.pool.begin().await.map_err(store::StoreError::from)?;
    if let Some(h) = &rehash {
        store::users::set_password_hash(&mut tx, creds.user.id, h, creds.user.must_change_password)
            .await?;
    }
    let secret = sessions::create(
        &mut tx,
        creds.user.id,
        kind,
        (kind == Kind::Api).then_some("api login"),
    )
    .await?;
    let actor = audit::Actor {
        user_id: Some(creds.user.id),
        unit: creds.user.unit_code.clone(),
        ..actor
    };
    let action = if kind == Kind::Api {
        "auth.token_issued"
    } else {
        "auth.sign_in"
    };
    audit::append(
        &mut tx,
        &actor,
        Event {
            action,
            object_type: Some("user"),
            object_id: Some(creds.user.id.to_string()),
            detail: None,
        },
    )
    .await?;
    tx.commit().await.map_err(store::StoreError::from)?;
    Ok((creds.user, secret))
}

/// Revokes one session or token and audits it.
pub async fn sign_out(db: &Db, caller: &Caller, token_hash: &str) -> Result<(), store::StoreError> {
    let mut tx = db.pool.begin().await?;
    sessions::revoke_in(&mut tx, token_hash).await?;
    audit::append(
        &mut tx,
        &caller.actor(),
        Event {
            action: "auth.sign_out",
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Why a password change did not happen.
#[derive(Debug)]
pub enum PasswordChangeError {
    /// The two new passwords differ.
    Mismatch,
    Refused(PasswordRefused),
    /// The current password is wrong.
    WrongCurrent,
    Store(StoreError),
}

impl From<StoreError> for PasswordChangeError {
    fn from(e: StoreError) -> Self {
        PasswordChangeError::Store(e)
    }
}

impl From<sqlx::Error> for PasswordChangeError {
    fn from(e: sqlx::Error) -> Self {
        PasswordChangeError::Store(e.into())
    }
}

/// Checks the current password, stores the new one, ends every other session and token of
/// the user, and audits the change.
pub async fn change_password(
    db: &Db,
    caller: &Caller,
    current: &str,
    new: &str,
    confirm: &str,
) -> Result<(), PasswordChangeError> {
    let Some(auth) = caller.auth.as_ref() else {
        return Err(PasswordChangeError::WrongCurrent);
    };
    if new != confirm {
        return Err(PasswordChangeError::Mismatch);
    }
    store::passwords::check_new_password(new).map_err(PasswordChangeError::Refused)?;
    let creds = store::users::find_credentials(db, &auth.user.login).await?;
    let hash = creds.and_then(|c| c.hash);
    if verify_password(current.to_string(), hash).await? == Verified::No {
        return Err(PasswordChangeError::WrongCurrent);
    }
    let new_hash = store::passwords::hash_password(new.to_string()).await?;
    let mut tx = db.pool.begin().await?;
    store::users::set_password_hash(&mut tx, auth.user.id, &new_hash, false).await?;
    sessions::revoke_all(&mut tx, auth.user.id, Some(&auth.token_hash)).await?;
    audit::append(
        &mut tx,
        &caller.actor(),
        Event {
            action: "auth.password_changed",
            object_type: Some("user"),
            object_id: Some(auth.user.id.to_string()),
            detail: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Revokes one of the caller's own tokens and audits it; `false` when it is not theirs.
pub async fn revoke_token(
    db: &Db,
    caller: &Caller,
    user: &User,
    id: &str,
) -> Result<bool, StoreError> {
    if !sessions::revoke_token(db, user.id, id).await? {
        return Ok(false);
    }
    audit::record(
        db,
        &caller.actor(),
        Event {
            action: "auth.token_revoked",
            object_type: Some("token"),
            object_id: Some(id.to_string()),
            detail: None,
        },
    )
    .await?;
    Ok(true)
}
