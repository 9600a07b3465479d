//! Markdown to sanitised HTML (pulldown-cmark + ammonia), and to plain text for search.

/// The portal's own Markdown (courses, library content) to sanitised HTML.
pub fn markdown_html(md: &str) -> String {
    ammonia::clean(&html_of(md))
}

fn html_of(md: &str) -> String {
    use pulldown_cmark::{html, Options, Parser};
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(md, Options::ENABLE_TABLES));
    out
}

/// Markdown written by users (an event's agenda) to sanitised HTML without images: an image
/// would make every viewer's browser fetch its address with their cookies (a same-origin
/// `<img src="/leads/7">` reads as that viewer opening the lead).
pub fn user_markdown_html(md: &str) -> String {
    ammonia::Builder::default()
        .rm_tags(["img"])
        .clean(&html_of(md))
        .to_string()
}

/// Markdown to plain text (for search), one line per block.
pub fn markdown_text(md: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, TagEnd};
    let mut out = String::new();
    for ev in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::TableCell) => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::CodeBlock,
            ) => out.push('\n'),
            _ => {}
        }
    }
    out.trim().to_string()
}
