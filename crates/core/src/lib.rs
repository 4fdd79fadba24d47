//! VPN Designer's core: the plan model, loading and structural validation, the templates and the canvas layout.
//!
//! This crate has no web dependency, so the browser app, the command line, native tests and benchmarks all run
//! the same code. Later layers (review, trace, export) are pure functions over [`model::Plan`].

pub mod archive;
pub mod edit;
pub mod export;
pub mod facts;
pub mod hash;
pub mod inspect;
pub mod layout;
pub mod links;
pub mod load;
pub mod model;
pub mod quote;
pub mod review;
pub mod templates;
pub mod trace;
pub mod viewport;

pub use load::{load_plan, load_plan_up_to, LoadError, Problem};
pub use model::{Design, Layout, Plan, SCHEMA_VERSION};
