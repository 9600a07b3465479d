//! The site's `/pkg` assets (`portal.css`, `portal.js`, `portal.wasm`) under names that carry a
//! hash of their content, served from memory with `Cache-Control: immutable`, brotli and gzip
//! compressed at build time (`server precompress`, run by `scripts/run.sh` and
//! `scripts/bench.sh` after `cargo leptos build`; it writes `portal.*.br` and `portal.*.gz`
//! next to the files). A browser then fetches each asset once per build and never
//! revalidates it, and no request compresses the 200 KB of wasm again.
//!
//! The hashed stem (`portal.<hash>`) becomes the Leptos output name, so the hydration scripts
//! and the stylesheet link of every page name the hashed files. Without precompressed files
//! the raw bytes are served and the compression layer compresses them per response, as before;
//! without the built site nothing changes (`portal`, files from the site folder).

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};

use crate::state::AppState;

/// The files, their types, and how their hashed names end (wasm-bindgen's `_bg` name too).
const FILES: [(&str, &str, &[&str]); 3] = [
    ("css", "text/css; charset=utf-8", &[".css"]),
    ("js", "text/javascript; charset=utf-8", &[".js"]),
    ("wasm", "application/wasm", &[".wasm", "_bg.wasm"]),
];

/// One asset in memory.
struct Asset {
    content_type: &'static str,
    raw: Bytes,
    br: Option<Bytes>,
    gzip: Option<Bytes>,
}

/// The hashed assets of the built site.
pub struct Assets {
    /// `portal.<hash>`, or `portal` when the site is not built.
    pub stem: String,
    by_path: HashMap<String, Arc<Asset>>,
}

impl Default for Assets {
    /// No built site: the plain names, served from the site folder.
    fn default() -> Assets {
        Assets {
            stem: "portal".into(),
            by_path: HashMap::new(),
        }
    }
}

impl Assets {
    /// Loads `site_root/pkg/portal.*`; the hash is over all three files, so one stem names them.
    pub fn load(site_root: &Path) -> Assets {
        let pkg = site_root.join("pkg");
        let mut raw = Vec::new();
        for (ext, _, _) in FILES {
            match std::fs::read(pkg.join(format!("portal.{ext}"))) {
                Ok(bytes) => raw.push(bytes),
                Err(_) => return Assets::default(),
            }
        }
        let mut hash = Sha256::new();
        for bytes in &raw {
            hash.update(bytes);
        }
        let stem = format!("portal.{}", &hex::encode(hash.finalize())[..16]);
        let mut by_path = HashMap::new();
        for ((ext, content_type, endings), bytes) in FILES.into_iter().zip(raw) {
            let file = pkg.join(format!("portal.{ext}"));
            // Only a compressed copy written after the file itself: one left from an earlier
            // build would serve old code under the new hash.
            let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
            let sibling = |suffix: &str| {
                let copy = file.with_extension(format!("{ext}.{suffix}"));
                match (modified(&copy), modified(&file)) {
                    (Some(c), Some(f)) if c >= f => std::fs::read(&copy).ok().map(Bytes::from),
                    _ => None,
                }
            };
            let asset = Arc::new(Asset {
                content_type,
                br: sibling("br"),
                gzip: sibling("gz"),
                raw: Bytes::from(bytes),
            });
            for ending in endings {
                by_path.insert(format!("/pkg/{stem}{ending}"), asset.clone());
            }
        }
        Assets { stem, by_path }
    }
}

/// The middleware: answers a hashed asset from memory, in the best encoding the client takes.
pub async fn serve(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(asset) = state.assets.by_path.get(req.uri().path()).cloned() else {
        return next.run(req).await;
    };
    let accepts = |coding: &str| {
        req.headers()
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|c| {
                let mut it = c.split(';');
                it.next().map(str::trim) == Some(coding)
                    && !it.any(|q| q.trim().replace(' ', "") == "q=0")
            })
    };
    let (body, encoding) = match (&asset.br, &asset.gzip) {
        (Some(br), _) if accepts("br") => (br.clone(), Some("br")),
        (_, Some(gz)) if accepts("gzip") => (gz.clone(), Some("gzip")),
        _ => (asset.raw.clone(), None),
    };
    let mut res = Response::new(Body::from(body));
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Some(encoding) = encoding {
        // The compression layer leaves a response that already has an encoding alone.
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    res
}

/// `server precompress`: writes `portal.{css,js,wasm}.br` (quality 11) and `.gz` (level 9)
/// next to the built files; part of the build.
pub fn precompress(site_root: &Path) -> Result<Vec<String>, String> {
    let pkg = site_root.join("pkg");
    let mut written = Vec::new();
    for (ext, _, _) in FILES {
        let file = pkg.join(format!("portal.{ext}"));
        let raw = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let mut br = Vec::new();
        {
            let mut w = brotli::CompressorWriter::new(&mut br, 64 * 1024, 11, 22);
            w.write_all(&raw).map_err(|e| e.to_string())?;
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&raw).map_err(|e| e.to_string())?;
        let gz = gz.finish().map_err(|e| e.to_string())?;
        for (suffix, bytes) in [("br", br), ("gz", gz)] {
            let out = file.with_extension(format!("{ext}.{suffix}"));
            std::fs::write(&out, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
            written.push(format!("{} ({} bytes)", out.display(), bytes.len()));
        }
    }
    Ok(written)
}
