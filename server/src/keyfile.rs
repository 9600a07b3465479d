//! Secret keys kept in files outside the database (the tip receipts' pepper): read at start,
//! or created with a random key and a clear log line when the file does not exist yet. Several
//! processes starting at once agree on one key: the file appears atomically (written aside,
//! then hard-linked into place, which fails when another process was first).

use std::io::Write;
use std::path::Path;

use rand::RngCore;

/// Reads the 32-byte key (64 hex digits) in `path`, creating the file when it is absent.
/// `what` names the key in the log line and errors.
pub fn load_or_create(path: &Path, what: &str) -> Result<[u8; 32], String> {
    let fail = |e: &dyn std::fmt::Display| format!("{what} key file {}: {e}", path.display());
    match std::fs::read_to_string(path) {
        Ok(text) => return parse_key(&text).map_err(|e| fail(&e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(fail(&e)),
    }
    let mut key = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut key);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| fail(&e))?;
    }
    let aside = path.with_extension(format!("new-{}", std::process::id()));
    write_private(&aside, &hex::encode(key)).map_err(|e| fail(&e))?;
    let linked = std::fs::hard_link(&aside, path);
    let _ = std::fs::remove_file(&aside);
    match linked {
        Ok(()) => {
            tracing::warn!(file = %path.display(), "created a new {what} key: keep this file with the backups, outside the database");
            Ok(key)
        }
        // Another process created it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let text = std::fs::read_to_string(path).map_err(|e| fail(&e))?;
            parse_key(&text).map_err(|e| fail(&e))
        }
        Err(e) => Err(fail(&e)),
    }
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    f.write_all(text.as_bytes())?;
    f.write_all(b"\n")?;
    f.sync_all()
}

fn parse_key(text: &str) -> Result<[u8; 32], String> {
    let bytes = hex::decode(text.trim()).map_err(|_| "not hexadecimal".to_string())?;
    bytes
        .try_into()
        .map_err(|_| "expected 64 hex digits (32 bytes)".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_created_once_and_read_back() {
        let dir = std::env::temp_dir().join(format!("portal-keyfile-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("sub/tip.key");
        let first = load_or_create(&path, "test").unwrap();
        assert_eq!(load_or_create(&path, "test").unwrap(), first);
        std::fs::write(&path, "short").unwrap();
        assert!(load_or_create(&path, "test").unwrap_err().contains("hex"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
