//! Content read from `content/` at start: the regulation (parsed from the original file), its
//! unofficial English translation. Loading validates everything and names the file and line of
//! the first problem, so a bad edit stops the server instead of showing wrong law.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use domain::regulation::{parse_document, Document, Translation};
use serde::Deserialize;

/// Everything the pages serve from `content/`.
#[derive(Clone, Debug)]
pub struct Content {
    /// The version in force (the latest).
    pub regulation: Arc<Document>,
    pub regulation_en: Arc<Translation>,
    /// Every version, oldest first; the last is `regulation`.
    pub versions: Arc<Vec<Version>>,
}

/// One version of the regulation.
#[derive(Clone, Debug)]
pub struct Version {
    pub id: String,
    /// The date its print line gives (印发日期). The source states no commencement date
    /// (Article 15 breaks off), so none is recorded.
    pub printed: String,
    pub note_zh: String,
    pub note_en: String,
    pub document: Arc<Document>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionsFile {
    #[serde(rename = "version")]
    versions: Vec<VersionEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionEntry {
    id: String,
    printed: String,
    source: String,
    #[serde(default)]
    note_zh: String,
    #[serde(default)]
    note_en: String,
}

fn parse_source(path: &Path) -> Result<Document, ContentError> {
    let source = read(path)?;
    parse_document(&source).map_err(|e| ContentError {
        file: path.into(),
        line: Some(e.line),
        message: e.message,
    })
}

/// Reads `versions.toml` (or, without it, the single version in `source.txt`).
fn load_versions(reg_dir: &Path) -> Result<Vec<Version>, ContentError> {
    let path = reg_dir.join("versions.toml");
    if !path.exists() {
        let document = Arc::new(parse_source(&reg_dir.join("source.txt"))?);
        return Ok(vec![Version {
            id: "2021-06-11".into(),
            printed: "2021-06-11".into(),
            note_zh: String::new(),
            note_en: String::new(),
            document,
        }]);
    }
    let text = read(&path)?;
    let file: VersionsFile = parse_toml(&path, &text)?;
    let mut out: Vec<Version> = Vec::new();
    for v in file.versions {
        if v.source.contains(['/', '\\']) || v.source.starts_with('.') {
            return Err(ContentError {
                file: path.clone(),
                line: None,
                message: format!(
                    "version {}: source must be a file name in this folder",
                    v.id
                ),
            });
        }
        if out.iter().any(|o| o.id == v.id) {
            return Err(ContentError {
                file: path.clone(),
                line: None,
                message: format!("duplicate version id {}", v.id),
            });
        }
        if out.last().is_some_and(|o| o.printed >= v.printed) {
            return Err(ContentError {
                file: path.clone(),
                line: None,
                message: format!("version {}: versions must be listed oldest first", v.id),
            });
        }
        let document = Arc::new(parse_source(&reg_dir.join(&v.source))?);
        out.push(Version {
            id: v.id,
            printed: v.printed,
            note_zh: v.note_zh,
            note_en: v.note_en,
            document,
        });
    }
    if out.is_empty() {
        return Err(ContentError {
            file: path,
            line: None,
            message: "no version listed".into(),
        });
    }
    Ok(out)
}

/// A content problem: which file, which line (when known), what.
#[derive(Debug, thiserror::Error)]
#[error("{}{}: {message}", file.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ContentError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

fn read(path: &Path) -> Result<String, ContentError> {
    std::fs::read_to_string(path).map_err(|e| ContentError {
        file: path.into(),
        line: None,
        message: e.to_string(),
    })
}

/// Line number (1-based) of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Parses TOML, reporting the line of a syntax or shape error.
pub fn parse_toml<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
) -> Result<T, ContentError> {
    toml::from_str(text).map_err(|e| ContentError {
        file: path.into(),
        line: e.span().map(|s| line_of(text, s.start)),
        message: e.message().to_string(),
    })
}

/// Loads and validates everything under `dir`.
pub fn load(dir: &Path) -> Result<Content, ContentError> {
    let reg_dir = dir.join("regulations/dazu-2021-6");
    let versions = load_versions(&reg_dir)?;
    let regulation = versions
        .last()
        .map(|v| (*v.document).clone())
        .ok_or_else(|| ContentError {
            file: reg_dir.clone(),
            line: None,
            message: "no version".into(),
        })?;
    let en_path = reg_dir.join("en.toml");
    let en_text = read(&en_path)?;
    let en: Translation = parse_toml(&en_path, &en_text)?;
    check_translation(&regulation, &en).map_err(|message| ContentError {
        file: en_path,
        line: None,
        message,
    })?;
    Ok(Content {
        regulation: Arc::new(regulation),
        regulation_en: Arc::new(en),
        versions: Arc::new(versions),
    })
}

/// The translation must mirror the Chinese article for article and block for block, so that
/// every anchor exists in both languages.
fn check_translation(zh: &Document, en: &Translation) -> Result<(), String> {
    if zh.articles.len() != en.articles.len() {
        return Err(format!(
            "{} articles translated, the regulation has {}",
            en.articles.len(),
            zh.articles.len()
        ));
    }
    for (a, t) in zh.articles.iter().zip(&en.articles) {
        if a.n != t.n {
            return Err(format!("article {} is translated as article {}", a.n, t.n));
        }
        let zi: Vec<Option<u32>> = a.blocks.iter().map(|b| b.item).collect();
        let ei: Vec<Option<u32>> = t.blocks.iter().map(|b| b.item).collect();
        if zi != ei {
            return Err(format!(
                "article {}: blocks {ei:?} do not mirror the Chinese {zi:?}",
                a.n
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
    }

    #[test]
    fn shipped_content_loads() {
        let c = load(&content_dir()).unwrap();
        assert_eq!(c.regulation.articles.len(), 15);
        assert_eq!(c.regulation_en.articles.len(), 15);
    }

    #[test]
    fn toml_errors_name_the_line() {
        let e = parse_toml::<Translation>(
            Path::new("x.toml"),
            "unofficial_note = \"a\"\n\nbad = = 1\n",
        )
        .unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.to_string().starts_with("x.toml:3:"));
    }
}
