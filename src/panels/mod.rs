//! The panels around the canvas: the palette, the inspector and design summary (with the review and the flows),
//! export, and plans (keep, import, share).

pub mod dialog;
pub mod export;
pub mod labels;
pub mod palette;
pub mod plans;
pub mod properties;
pub mod review;
pub mod trace;

pub use properties::PropertiesPanel;
