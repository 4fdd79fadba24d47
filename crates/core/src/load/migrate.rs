//! Migrations from older schema versions. Each step turns version N into N+1 on the raw JSON, before the typed
//! load, so old files keep opening. Version 1 is the first, so there are no steps yet: add one here, with a
//! test holding a real file of the old version, whenever `SCHEMA_VERSION` goes up.

use super::Problem;
use crate::model::SCHEMA_VERSION;
use serde_json::Value;

type Step = fn(Value) -> Result<Value, String>;

/// `STEPS[i]` migrates version `i + 1` to version `i + 2`.
const STEPS: &[Step] = &[];

pub fn to_current(mut value: Value, from: u32) -> Result<Value, Problem> {
    let mut version = from;
    while version < SCHEMA_VERSION {
        let step = STEPS.get((version - 1) as usize).ok_or_else(|| {
            Problem::new(
                "$.schema_version",
                format!("no migration from schema version {version}"),
            )
        })?;
        value = step(value).map_err(|why| {
            Problem::new(
                "$",
                format!("migrating from schema version {version} failed: {why}"),
            )
        })?;
        version += 1;
        if let Value::Object(map) = &mut value {
            map.insert("schema_version".into(), Value::from(version));
        }
    }
    Ok(value)
}
