//! Side panels beside the canvas.

mod properties;
mod review;

pub use properties::PropertiesPanel;
