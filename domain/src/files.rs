//! What may be attached to a lead: an allow-list of file types recognised by their content
//! (not by the name the client sends), and the size limits.

/// Largest single attachment.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Largest total of a lead's attachments.
pub const MAX_LEAD_BYTES: usize = 30 * 1024 * 1024;

/// An allowed type: the content type served and the extension used for downloads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileKind {
    pub content_type: &'static str,
    pub extension: &'static str,
}

impl FileKind {
    /// Every allowed kind.
    pub const ALL: [FileKind; 6] = [
        FileKind::new("application/pdf", "pdf"),
        FileKind::new("image/png", "png"),
        FileKind::new("image/jpeg", "jpg"),
        FileKind::new(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        FileKind::new(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        FileKind::new("text/plain; charset=utf-8", "txt"),
    ];

    const fn new(content_type: &'static str, extension: &'static str) -> FileKind {
        FileKind {
            content_type,
            extension,
        }
    }

    /// The kind stored as `content_type`.
    pub fn of_content_type(content_type: &str) -> Option<FileKind> {
        Self::ALL
            .into_iter()
            .find(|k| k.content_type == content_type)
    }

    /// Whether `ext` (without the dot, any case) names this kind.
    fn is_named_by(self, ext: &str) -> bool {
        let ext = ext.to_ascii_lowercase();
        ext == self.extension || (self.extension == "jpg" && ext == "jpeg")
    }
}

/// The name a file is served and saved under: `name` with the extension of what its content
/// is, whatever the uploader called it, so a PDF uploaded as `evidence.hta` is saved as
/// `evidence.pdf` and never opened as an application. A right extension is kept (`x.JPEG`).
pub fn served_name(name: &str, kind: FileKind) -> String {
    let name = name.trim_end_matches(['.', ' ']);
    let stem = match name.rsplit_once('.') {
        Some((stem, ext)) if kind.is_named_by(ext) && !stem.is_empty() => return name.to_string(),
        Some((stem, _)) => stem,
        None => name,
    };
    let stem = stem.trim_end_matches(['.', ' ']);
    let stem = if stem.trim().is_empty() {
        "attachment"
    } else {
        stem
    };
    format!("{stem}.{}", kind.extension)
}

/// The name an attachment stored under `content_type` is served under ([`served_name`]); an
/// unknown type (none is stored) gets the neutral `attachment`.
pub fn served_name_for(name: &str, content_type: &str) -> String {
    FileKind::of_content_type(content_type)
        .map(|k| served_name(name, k))
        .unwrap_or_else(|| "attachment".into())
}

/// Recognises an allowed file from its bytes and the client's file name (needed only to tell
/// .docx and .xlsx apart from other ZIP files). `None` means refused.
pub fn sniff(bytes: &[u8], file_name: &str) -> Option<FileKind> {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let kind = |content_type, extension| {
        Some(FileKind {
            content_type,
            extension,
        })
    };
    if bytes.starts_with(b"%PDF-") {
        return kind("application/pdf", "pdf");
    }
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        return kind("image/png", "png");
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return kind("image/jpeg", "jpg");
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return match ext.as_str() {
            "docx" => kind(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "docx",
            ),
            "xlsx" => kind(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx",
            ),
            _ => None,
        };
    }
    if ext == "txt" && !bytes.is_empty() {
        let text = std::str::from_utf8(bytes).ok()?;
        if !text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return kind("text/plain; charset=utf-8", "txt");
        }
    }
    None
}

/// A display name safe to show and to put in a Content-Disposition header: path parts,
/// control and quoting characters removed, at most 100 characters.
pub fn display_name(file_name: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | ';'))
        .take(100)
        .collect();
    if clean.trim().is_empty() {
        "attachment".into()
    } else {
        clean
    }
}

/// Why an attachment was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UploadRefusal {
    /// Over [`MAX_FILE_BYTES`].
    FileTooLarge,
    /// The lead's attachments would exceed [`MAX_LEAD_BYTES`].
    LeadFull,
    /// Not a type of the allow-list ([`sniff`]).
    TypeNotAllowed,
    /// The case is closed.
    CaseClosed,
    /// The upload has no file.
    NoFile,
    /// The file broke off or was over the body limit.
    FileBroken,
    /// The upload could not be read at all.
    Unreadable,
    /// The request is not `multipart/form-data`.
    NotMultipart,
    /// The file name holds a direction control (`crate::text`), which would make it display
    /// as another name.
    NameDirectionControls,
}

impl UploadRefusal {
    /// Whether the upload itself could not be read (a malformed request rather than a file
    /// refused).
    pub fn is_malformed(self) -> bool {
        matches!(
            self,
            UploadRefusal::FileBroken | UploadRefusal::Unreadable | UploadRefusal::NotMultipart
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_types_by_content() {
        let cases: &[(&[u8], &str, Option<&str>)] = &[
            (b"%PDF-1.7 ...", "a.pdf", Some("pdf")),
            (b"%PDF-1.7 ...", "renamed.exe", Some("pdf")),
            (
                &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0],
                "x.png",
                Some("png"),
            ),
            (&[0xFF, 0xD8, 0xFF, 0xE0], "x.jpeg", Some("jpg")),
            (b"PK\x03\x04rest", "report.DOCX", Some("docx")),
            (b"PK\x03\x04rest", "sheet.xlsx", Some("xlsx")),
            (b"PK\x03\x04rest", "archive.zip", None),
            ("情况说明\n第二行".as_bytes(), "note.txt", Some("txt")),
            (b"plain", "note.html", None),
            (b"<script>alert(1)</script>", "x.txt", Some("txt")),
            (b"MZ\x90\x00", "tool.exe", None),
            (b"<svg onload=alert(1)>", "x.svg", None),
            (b"\x00\x01binary", "x.txt", None),
            (b"", "empty.txt", None),
        ];
        for (bytes, name, want) in cases {
            assert_eq!(sniff(bytes, name).map(|k| k.extension), *want, "{name}");
        }
    }

    #[test]
    fn display_names_are_safe() {
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(display_name("C:\\x\\证据.pdf"), "证据.pdf");
        assert_eq!(display_name("a\"b;c<d>.pdf"), "abcd.pdf");
        assert_eq!(display_name("\u{0}\u{7}"), "attachment");
        assert_eq!(display_name(&"长".repeat(300)).chars().count(), 100);
    }

    #[test]
    fn served_names_carry_the_extension_of_the_content() {
        let pdf = sniff(b"%PDF-1.7", "x.pdf").unwrap();
        let jpg = sniff(&[0xFF, 0xD8, 0xFF, 0xE0], "x.jpg").unwrap();
        for (name, kind, want) in [
            ("evidence.hta", pdf, "evidence.pdf"),
            ("evidence.html", pdf, "evidence.pdf"),
            ("evidence.svg", pdf, "evidence.pdf"),
            ("evidence.exe", pdf, "evidence.pdf"),
            ("evidence.lnk", pdf, "evidence.pdf"),
            ("证据.PDF", pdf, "证据.PDF"),
            ("证据", pdf, "证据.pdf"),
            ("report.pdf.exe", pdf, "report.pdf.pdf"),
            ("evidence.exe. . ", pdf, "evidence.pdf"),
            (".hta", pdf, "attachment.pdf"),
            ("photo.jpeg", jpg, "photo.jpeg"),
            ("photo.png", jpg, "photo.jpg"),
        ] {
            assert_eq!(served_name(name, kind), want, "{name}");
        }
        for kind in FileKind::ALL {
            assert_eq!(FileKind::of_content_type(kind.content_type), Some(kind));
            assert_eq!(
                served_name_for("a.hta", kind.content_type),
                format!("a.{}", kind.extension)
            );
        }
        assert_eq!(served_name_for("a.hta", "text/html"), "attachment");
    }
}
