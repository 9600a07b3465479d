//! Server-side sessions and API tokens. The client holds a random secret; the database holds
//! only its SHA-256, so a leaked database does not leak live sessions. Several server processes
//! on one PostgreSQL share them.

use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::users::User;
use crate::{now_ms, Db, StoreError};

/// Browser session: ends after 2 hours idle or 12 hours in all.
pub const SESSION_IDLE_MS: i64 = 2 * 3600 * 1000;
pub const SESSION_ABSOLUTE_MS: i64 = 12 * 3600 * 1000;
/// API token lifetime.
pub const TOKEN_TTL_MS: i64 = 30 * 24 * 3600 * 1000;
/// Last-seen is written at most this often, to keep reads from turning into writes.
const TOUCH_EVERY_MS: i64 = 60 * 1000;

/// A session or token secret as handed to the client. Not `Serialize`, and its `Debug` hides it.
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Browser session or API token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Session,
    Api,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Session => "session",
            Kind::Api => "api",
        }
    }
}

/// SHA-256 of a secret, as stored.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Creates a session or token for `user_id` inside `tx`.
pub async fn create(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: i64,
    kind: Kind,
    label: Option<&str>,
) -> Result<Secret, StoreError> {
    let secret = new_secret();
    let now = now_ms();
    let expires = now
        + if kind == Kind::Session {
            SESSION_ABSOLUTE_MS
        } else {
            TOKEN_TTL_MS
        };
    sqlx::query(
        "INSERT INTO sessions (token_hash, kind, user_id, label, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $5, $6)",
    )
    .bind(hash_secret(&secret))
    .bind(kind.as_str())
    .bind(user_id)
    .bind(label)
    .bind(now)
    .bind(expires)
    .execute(&mut **tx)
    .await?;
    Ok(Secret(secret))
}

/// An authenticated caller: the user and which secret authenticated them.
#[derive(Clone, Debug)]
pub struct Authenticated {
    pub user: User,
    pub token_hash: String,
    pub kind: Kind,
    /// The user's unread notifications when the request came in (the bell in the header).
    pub unread: i64,
}

/// Resolves a secret of `kind` to its user, or `None` when unknown, expired, idle too long or
/// the user is disabled. Expired rows are deleted on sight.
pub async fn authenticate(
    db: &Db,
    secret: &str,
    kind: Kind,
) -> Result<Option<Authenticated>, StoreError> {
    let token_hash = hash_secret(secret);
    // Session, user, roles and unread notifications in one query: this runs before every
    // signed-in request, and on SQLite each statement is a round trip to the connection's
    // thread (four of them were a fifth of a deadline-day request).
    let rows = sqlx::query(&format!(
        "SELECT s.last_seen_at, s.expires_at, {}, \
         (SELECT COUNT(*) FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL) AS unread \
         FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN user_roles r ON r.user_id = u.id \
         WHERE s.token_hash = $1 AND s.kind = $2 ORDER BY r.role",
        crate::users::USER_ROLE_COLUMNS
    ))
    .bind(&token_hash)
    .bind(kind.as_str())
    .fetch_all(&db.pool)
    .await?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    let (last_seen, expires, unread): (i64, i64, i64) = (
        row.try_get("last_seen_at")?,
        row.try_get("expires_at")?,
        row.try_get("unread")?,
    );
    let now = now_ms();
    let idle_expired = kind == Kind::Session && now - last_seen > SESSION_IDLE_MS;
    if now >= expires || idle_expired {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(&token_hash)
            .execute(&db.pool)
            .await?;
        return Ok(None);
    }
    let Some(user) = crate::users::user_from_role_rows(&rows)?.filter(|u| !u.disabled) else {
        return Ok(None);
    };
    if now - last_seen > TOUCH_EVERY_MS {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(&token_hash)
            .execute(&db.pool)
            .await?;
    }
    Ok(Some(Authenticated {
        user,
        token_hash,
        kind,
        unread,
    }))
}

/// Ends one session or token.
pub async fn revoke(db: &Db, token_hash: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Ends one session or token inside `tx` (so the audit entry commits with it).
pub async fn revoke_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    token_hash: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Ends every session and token of a user (password change, reset, disabling), and the
/// private calendar feed too (its address is a credential of its own), inside `tx`.
pub async fn revoke_all(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: i64,
    except: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(except.unwrap_or(""))
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// An API token as listed on the user's page (never the secret).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct TokenInfo {
    /// The first 12 hex digits of the hash, to name it for revocation.
    pub id: String,
    pub label: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
}

/// The user's live API tokens.
pub async fn list_tokens(db: &Db, user_id: i64) -> Result<Vec<TokenInfo>, StoreError> {
    let rows = sqlx::query("SELECT token_hash, label, created_at, expires_at FROM sessions WHERE user_id = $1 AND kind = 'api' AND expires_at > $2 ORDER BY created_at DESC")
        .bind(user_id)
        .bind(now_ms())
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| {
            let h: String = r.try_get("token_hash")?;
            Ok(TokenInfo {
                id: h[..12].to_string(),
                label: r.try_get("label")?,
                created_at: r.try_get("created_at")?,
                expires_at: r.try_get("expires_at")?,
            })
        })
        .collect()
}

/// Revokes the user's API token whose hash starts with `id`. Returns whether one was found.
pub async fn revoke_token(db: &Db, user_id: i64, id: &str) -> Result<bool, StoreError> {
    if id.len() != 12 || !id.chars().all(|c| c.is_ascii_hexdigit()) {
        return Ok(false);
    }
    let done = sqlx::query(
        "DELETE FROM sessions WHERE user_id = $1 AND kind = 'api' AND token_hash LIKE $2",
    )
    .bind(user_id)
    .bind(format!("{}%", id.to_ascii_lowercase()))
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Who is asking, as resolved once per request by the server and read by handlers, pages and
/// server functions.
#[derive(Clone, Debug, Default)]
pub struct Caller {
    pub auth: Option<Authenticated>,
    /// The client's address (behind a trusted proxy, from `X-Forwarded-For`), for the audit.
    pub client_addr: String,
    /// What throttles count the client by: the address, or an IPv6 client's /64.
    pub client_key: String,
}

impl Caller {
    /// The signed-in user, if any.
    pub fn user(&self) -> Option<&User> {
        self.auth.as_ref().map(|a| &a.user)
    }

    /// The audit actor for this caller.
    pub fn actor(&self) -> crate::audit::Actor {
        crate::audit::Actor {
            user_id: self.user().map(|u| u.id),
            login: self.user().map(|u| u.login.clone()),
            unit: self.user().and_then(|u| u.unit_code.clone()),
            client_addr: Some(self.client_addr.clone()),
        }
    }
}
