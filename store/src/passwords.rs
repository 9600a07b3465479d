//! Password hashing with argon2id at the OWASP parameters (m = 19 MiB, t = 2, p = 1), always on
//! a blocking thread so hashing never stalls the async workers. At most one hash per core runs
//! at a time (each takes 19 MiB): a few more callers wait briefly for a slot, and beyond that
//! the answer is [`StoreError::Busy`] at once, so a flood of guesses costs neither memory nor
//! an unbounded queue.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use tokio::sync::{Semaphore, SemaphorePermit};

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use domain::identity::PasswordRefused;

use crate::StoreError;

/// A stored password hash. Deliberately neither `Serialize` nor `Display`.
#[derive(Clone)]
pub struct PasswordHashString(pub(crate) String);

impl std::fmt::Debug for PasswordHashString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHashString(***)")
    }
}

const M_COST_KIB: u32 = 19 * 1024;
const T_COST: u32 = 2;
const P_COST: u32 = 1;

fn argon2() -> Argon2<'static> {
    // The parameters are constants known to be valid.
    let params = Params::new(M_COST_KIB, T_COST, P_COST, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// How long a caller waits for a hashing slot before hearing "busy".
const SLOT_WAIT: Duration = Duration::from_secs(2);

fn slots() -> &'static Semaphore {
    static SLOTS: OnceLock<Semaphore> = OnceLock::new();
    SLOTS.get_or_init(|| Semaphore::new(slot_count()))
}

/// One hashing slot per core.
pub fn slot_count() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
}

/// Callers waiting for a slot now.
static WAITING: AtomicUsize = AtomicUsize::new(0);

/// A hashing slot: at once when one is free; else, when fewer than three callers per slot are
/// already waiting, after a wait of at most [`SLOT_WAIT`]; else `Busy`.
async fn hashing_slot() -> Result<SemaphorePermit<'static>, StoreError> {
    if let Ok(p) = slots().try_acquire() {
        return Ok(p);
    }
    if WAITING.fetch_add(1, Ordering::SeqCst) >= 3 * slot_count() {
        WAITING.fetch_sub(1, Ordering::SeqCst);
        return Err(StoreError::Busy);
    }
    let got = tokio::time::timeout(SLOT_WAIT, slots().acquire()).await;
    WAITING.fetch_sub(1, Ordering::SeqCst);
    match got {
        Ok(Ok(p)) => Ok(p),
        _ => Err(StoreError::Busy),
    }
}

/// Hashes `password` on a blocking thread, holding a hashing slot.
pub async fn hash_password(password: String) -> Result<PasswordHashString, StoreError> {
    let _slot = hashing_slot().await?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| PasswordHashString(h.to_string()))
            .map_err(|e| StoreError::Corrupt(format!("hashing failed: {e}")))
    })
    .await
    .map_err(|e| StoreError::Corrupt(format!("hashing task failed: {e}")))?
}

/// The outcome of checking a password.
#[derive(Debug, PartialEq, Eq)]
pub enum Verified {
    No,
    Yes,
    /// Correct, but hashed with other parameters: the caller should store a new hash.
    YesRehash,
}

/// A fixed hash to verify against when the login does not exist, so that an unknown login
/// costs the same time as a wrong password.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$zSw1Wq5M5kCK0mNYyo5N2d8o3Xi1Yy3bWBsU0Tj4K2E";

/// Checks `password` against `hash` (or against a dummy hash when there is none), on a
/// blocking thread, holding a hashing slot (`Busy` when none comes free in time).
pub async fn verify_password(
    password: String,
    hash: Option<PasswordHashString>,
) -> Result<Verified, StoreError> {
    let _slot = hashing_slot().await?;
    let verdict = tokio::task::spawn_blocking(move || {
        let stored = hash.as_ref().map(|h| h.0.as_str()).unwrap_or(DUMMY_HASH);
        let Ok(parsed) = PasswordHash::new(stored) else {
            return Verified::No;
        };
        let ok = argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        if !ok || hash.is_none() {
            return Verified::No;
        }
        let current = parsed.algorithm.as_str() == "argon2id"
            && Params::try_from(&parsed)
                .map(|p| p.m_cost() == M_COST_KIB && p.t_cost() == T_COST && p.p_cost() == P_COST)
                .unwrap_or(false);
        if current {
            Verified::Yes
        } else {
            Verified::YesRehash
        }
    })
    .await
    .unwrap_or(Verified::No);
    Ok(verdict)
}

/// Common passwords refused whatever their length (a short list of the most used ones, plus
/// the portal's own names).
const COMMON: &[&str] = &[
    "password",
    "password1",
    "password123",
    "12345678",
    "123456789",
    "1234567890",
    "11111111",
    "00000000",
    "88888888",
    "66666666",
    "qwertyui",
    "qwerty123",
    "abc12345",
    "abcd1234",
    "iloveyou",
    "1q2w3e4r",
    "1qaz2wsx",
    "a1234567",
    "aa123456",
    "admin123",
    "administrator",
    "woaini1314",
    "zxcvbnm123",
    "passw0rd",
    "letmein1",
    "welcome1",
    "12341234",
    "87654321",
    "demo-pass-2021",
    "dazu2021",
    "portal123",
];

/// Whether a new password may be chosen, and if not why.
pub fn check_new_password(password: &str) -> Result<(), PasswordRefused> {
    let len = password.chars().count();
    if len < 8 {
        return Err(PasswordRefused::TooShort);
    }
    if len > 128 {
        return Err(PasswordRefused::TooLong);
    }
    if COMMON.contains(&password.to_lowercase().as_str()) {
        return Err(PasswordRefused::TooCommon);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hashing slots are one per process: the flood test must not run beside the tests
    /// that expect a free slot.
    static SLOTS_IN_USE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

    #[tokio::test]
    async fn hashes_verify_and_wrong_passwords_fail() {
        let _alone = SLOTS_IN_USE.lock().await;
        let h = hash_password("correct horse battery".into()).await.unwrap();
        assert!(h.0.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert_eq!(
            verify_password("correct horse battery".into(), Some(h.clone()))
                .await
                .unwrap(),
            Verified::Yes
        );
        assert_eq!(
            verify_password("wrong".into(), Some(h)).await.unwrap(),
            Verified::No
        );
        assert_eq!(
            verify_password("anything".into(), None).await.unwrap(),
            Verified::No
        );
        assert!(!format!("{:?}", PasswordHashString("x".into())).contains('x'));
    }

    #[tokio::test]
    async fn old_parameters_ask_for_a_rehash() {
        let _alone = SLOTS_IN_USE.lock().await;
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8 * 1024, 1, 1, None).unwrap(),
        );
        let salt = SaltString::generate(&mut OsRng);
        let h = weak
            .hash_password(b"some long password", &salt)
            .unwrap()
            .to_string();
        assert_eq!(
            verify_password("some long password".into(), Some(PasswordHashString(h)))
                .await
                .unwrap(),
            Verified::YesRehash
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_flood_of_checks_is_bounded_and_answered_busy_quickly() {
        let _alone = SLOTS_IN_USE.lock().await;
        // Far more simultaneous checks than slots plus queue: the excess is refused at once.
        let checks: Vec<_> = (0..20 * slot_count())
            .map(|_| tokio::spawn(verify_password("guess".into(), None)))
            .collect();
        let mut busy = 0;
        for c in checks {
            if matches!(c.await.unwrap(), Err(StoreError::Busy)) {
                busy += 1;
            }
        }
        assert!(busy >= 20 * slot_count() - 4 * slot_count(), "{busy} busy");
        // Once the flood is over, checks run again.
        assert_eq!(
            verify_password("guess".into(), None).await.unwrap(),
            Verified::No
        );
    }

    #[test]
    fn new_password_rules() {
        for (pw, ok) in [
            ("short", false),
            ("12345678", false),
            ("Password", false),
            ("demo-pass-2021", false),
            ("a reasonable one", true),
            (&"x".repeat(129), false),
            ("长密码测试一二三", true),
        ] {
            assert_eq!(check_new_password(pw).is_ok(), ok, "{pw}");
        }
    }
}
