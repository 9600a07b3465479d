//! Page components, one module per area.

pub mod account;
pub mod admin;
mod home;
pub mod leads;
mod regulation;

pub use account::{AccountPage, LoginPage};
pub use home::{ComingSoon, HomePage, NotFound};
pub use regulation::{RegulationEnPage, RegulationPage};
