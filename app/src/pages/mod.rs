//! Page components, one module per area.

pub mod account;
pub mod admin;
pub mod dashboard;
pub mod events;
pub mod home;
pub mod leads;
pub mod library;
mod regulation;
pub mod series;
pub mod tips;
pub mod training;
pub mod training_admin;
pub mod training_reports;

pub use account::{AccountPage, LoginPage};
pub use home::{HomePage, NotFound};
pub use regulation::{RegulationEnPage, RegulationPage};
