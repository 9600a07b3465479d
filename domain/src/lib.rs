//! Pure domain logic of the portal: the unit directory, the regulation text model and its
//! clean-up, lead routing. Nothing here touches HTTP, SQL or the clock, so the rules can be
//! tested table by table and shared by the server and the browser build.

pub mod case;
pub mod dashboard;
pub mod directory;
pub mod events;
pub mod files;
pub mod identity;
pub mod item_analysis;
pub mod quiz_integrity;
pub mod regulation;
pub mod routing;
pub mod search;
pub mod series;
pub mod text;
pub mod tips;
pub mod training;
pub mod training_report;
pub mod versions;
pub mod web;
pub mod work;
pub mod workdays;
