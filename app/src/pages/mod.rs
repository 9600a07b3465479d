//! Page components, one module per area.

mod home;
mod regulation;

pub use home::{ComingSoon, HomePage, NotFound};
pub use regulation::{RegulationEnPage, RegulationPage};
