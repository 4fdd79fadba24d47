//! Side panels beside the canvas.

mod properties;

pub use properties::PropertiesPanel;
