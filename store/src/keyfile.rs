//! Secret keys kept in files outside the database (the audit chain's key, the tip receipts'
//! pepper): 32 bytes as 64 hex digits, readable by the owner only. A new file appears complete
//! or not at all (written aside, then hard-linked into place), and an existing file is never
//! replaced: when another process or thread created it first, its key is read instead.

use std::io::Write;
use std::path::Path;

/// Reads the key in `path` (surrounding whitespace ignored).
pub fn read(path: &Path) -> Result<[u8; 32], String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    hex::decode(text.trim())
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .ok_or_else(|| {
            format!(
                "{} does not hold a key (64 hexadecimal digits)",
                path.display()
            )
        })
}

/// Writes a new random key to `path` (and its folder), or reads the one that another process
/// wrote there first.
pub fn create(path: &Path) -> Result<[u8; 32], String> {
    let fail = |what: &str, e: std::io::Error| format!("cannot {what} {}: {e}", path.display());
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| fail("create the folder of", e))?;
    }
    let key: [u8; 32] = rand::random();
    // Unique per call: threads of one process may race to create the same file.
    let aside = path.with_extension(format!(
        "new-{}-{:x}",
        std::process::id(),
        rand::random::<u64>()
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&aside).map_err(|e| fail("write", e))?;
    file.write_all(format!("{}\n", hex::encode(key)).as_bytes())
        .and_then(|_| file.sync_all())
        .map_err(|e| fail("write", e))?;
    let linked = std::fs::hard_link(&aside, path);
    let _ = std::fs::remove_file(&aside);
    match linked {
        Ok(()) => Ok(key),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read(path),
        Err(e) => Err(fail("create", e)),
    }
}

/// Reads the key in `path`, creating the file with a log line when it is absent. `what` names
/// the key in the log line and errors.
pub fn load_or_create(path: &Path, what: &str) -> Result<[u8; 32], String> {
    let fail = |e: String| format!("{what} key file: {e}");
    if path.exists() {
        return read(path).map_err(fail);
    }
    let key = create(path).map_err(fail)?;
    tracing::warn!(file = %path.display(), "created a new {what} key: keep this file with the backups, outside the database");
    Ok(key)
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
        // A second creation keeps the first key.
        assert_eq!(create(&path).unwrap(), first);
        std::fs::write(&path, "short").unwrap();
        assert!(load_or_create(&path, "test").unwrap_err().contains("hex"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
