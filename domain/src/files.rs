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
}
