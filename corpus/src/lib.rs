//! The corpus: every text the portal serves from files, loaded once at start and checked
//! strictly (an error names the file and line and stops the server). The regulation and its
//! unofficial translation ([`content`]), courses and question banks ([`courses`]), and the
//! library around the regulation: glossary, the 2015 provisions, citations, the search index
//! ([`library`]). Nothing here touches the database.

pub mod content;
pub mod courses;
pub mod library;
pub mod workdays;
