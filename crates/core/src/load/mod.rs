//! Loading a plan file: every structural problem is reported with its JSON path and a readable message, and no
//! input, however broken or hostile, makes it panic.
//!
//! Loading runs in phases, each reporting all it finds before the next one runs:
//! 1. size and JSON syntax (with line and column), and keys written twice in one object,
//! 2. the schema version, and migration of older versions,
//! 3. the format of every address, ASN and port (`leaves`), so a file with ten typos shows ten problems,
//! 4. the shape (`serde`): missing fields, unknown fields, unknown enumeration values,
//! 5. ids and references (`references`): duplicate, malformed, dangling or wrong-kind ids.

mod duplicates;
mod leaves;
mod migrate;
mod path;
mod position;
mod recover;
mod references;

use crate::model::{Plan, SCHEMA_VERSION};
use serde_json::Value;
use std::fmt;

pub use path::JsonPath;
pub(crate) use position::string_end;
pub use references::{check_references, plan_name_problem, tidy_plan_name};

/// Larger files are refused before parsing: a hostile file cannot exhaust the browser's memory.
pub const MAX_PLAN_BYTES: usize = 32 * 1024 * 1024;

/// One structural problem, located by a JSON path such as `$.azure.vnets[0].subnets[1].cidr`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl Problem {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Why a plan could not be loaded: at least one problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.problems.len();
        writeln!(
            f,
            "the plan has {count} structural problem{}:",
            if count == 1 { "" } else { "s" }
        )?;
        for problem in &self.problems {
            writeln!(f, "  {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

impl From<Vec<Problem>> for LoadError {
    fn from(problems: Vec<Problem>) -> Self {
        LoadError { problems }
    }
}

/// Loads and validates a plan file, refusing files over [`MAX_PLAN_BYTES`] (the browser's bound).
pub fn load_plan(text: &str) -> Result<Plan, LoadError> {
    load_plan_up_to(text, MAX_PLAN_BYTES)
}

/// Loads and validates a plan file, refusing files over `max_bytes`. The command line reads files its user
/// chose, and plans of thousands of networks (which `generate` makes) are larger than the browser's bound.
pub fn load_plan_up_to(text: &str, max_bytes: usize) -> Result<Plan, LoadError> {
    // A UTF-8 byte-order mark, as some Windows editors write one: the browser's file reader drops it, so the
    // command line must too, or the same file loads in one and not the other (QA s17).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.len() > max_bytes {
        return Err(vec![Problem::new(
            "$",
            format!(
                "the file is {} bytes; plans larger than {} bytes are refused",
                text.len(),
                max_bytes
            ),
        )]
        .into());
    }
    // The common case, a sound plan file of this version: the model straight from the text. Anything else takes
    // the long way, which finds every problem and says where each is (a plan the typed read accepts passes the
    // leaf checks too: they parse with the model's own parsers).
    if let Ok(plan) = serde_json::from_str::<Plan>(text) {
        if plan.schema_version == SCHEMA_VERSION {
            return with_references_checked(plan);
        }
    }
    let value: Value = serde_json::from_str(text).map_err(|error| {
        LoadError::from(vec![Problem::new(
            "$",
            format!(
                "not valid JSON at line {}, column {}: {}",
                error.line(),
                error.column(),
                describe_json_error(&error)
            ),
        )])
    })?;
    // The typed read above refuses a key written twice in a struct, but serde_json's value would keep the last
    // and the file would load meaning something its reader may not see: say where instead. (Twice in the layout's
    // map of positions passes the typed read; the last position counts, which changes no design.)
    if let Some(d) = duplicates::first_duplicate_key(text) {
        return Err(vec![Problem::new(
            d.path,
            format!(
                "the key {} is written twice in this object (the second at line {}, column {}); keep one",
                crate::quote::quoted(&d.key),
                d.line,
                d.column
            ),
        )]
        .into());
    }
    load_value(value)
}

/// Loads and validates a plan already parsed as JSON (share links decode to this).
pub fn load_value(value: Value) -> Result<Plan, LoadError> {
    let Value::Object(_) = &value else {
        return Err(vec![Problem::new(
            "$",
            format!("a plan is a JSON object, not {}", kind_of(&value)),
        )]
        .into());
    };
    let version = schema_version(&value)?;
    let mut value = migrate::to_current(value, version).map_err(|p| LoadError::from(vec![p]))?;

    // The model is read from text, the one way the bundle carries code for: the value, written compact, is
    // one line, so serde_json's column is the byte offset where it stopped.
    let mut text = serde_json::to_string(&value).unwrap_or_default();
    let mut error = match serde_json::from_str::<Plan>(&text) {
        // Every leaf parsed with the model's own parsers, so the leaf checks have nothing to add.
        Ok(plan) => return with_references_checked(plan),
        Err(error) => error,
    };
    // serde stops at the first problem: the leaf checks find every bad address, ASN and port, and the typed read
    // goes on past each object it stopped in (`recover`).
    let mut problems = leaves::check(&value);
    let mut set_aside = recover::SetAside::default();
    let rounds = recover::rounds_for(text.len());
    for round in 1..=rounds {
        let here = position::json_path_at(&text, error.column());
        let path = set_aside.in_file(&here).to_string();
        // A bad leaf the leaf checks reported resurfaces here as a type error: at the leaf, at one of its
        // elements (a list of the wrong length), or at the list that holds it (a bad port in a list of ports).
        // Say it once.
        let under = |inner: &str, outer: &str| {
            inner
                .strip_prefix(outer)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('['))
        };
        let reported = |p: &Problem| under(&path, &p.path) || under(&p.path, &path);
        if !problems.iter().any(reported) {
            problems.push(Problem::new(
                path,
                clean_serde_message(&describe_json_error(&error)),
            ));
        }
        // The last round reads nothing more: setting aside and reading again would find a problem not reported.
        if round == rounds || !set_aside.set_aside(&mut value, &here) {
            break;
        }
        text = serde_json::to_string(&value).unwrap_or_default();
        match serde_json::from_str::<Plan>(&text) {
            Ok(_) => break,
            Err(next) => error = next,
        }
    }
    Err(problems.into())
}

/// The typed plan, once its ids and references hold.
fn with_references_checked(plan: Plan) -> Result<Plan, LoadError> {
    let problems = check_references(&plan);
    if problems.is_empty() {
        Ok(plan)
    } else {
        Err(problems.into())
    }
}

fn schema_version(value: &Value) -> Result<u32, LoadError> {
    let fail = |message: String| {
        Err(LoadError::from(vec![Problem::new(
            "$.schema_version",
            message,
        )]))
    };
    match value.get("schema_version") {
        None => fail("missing: a plan file starts with \"schema_version\": 1".into()),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(v) if (1..=u64::from(SCHEMA_VERSION)).contains(&v) => Ok(v as u32),
            Some(v) if v > u64::from(SCHEMA_VERSION) => fail(format!(
                "schema version {v} was written by a newer VPN Designer; this one reads versions 1 to {SCHEMA_VERSION}"
            )),
            _ => fail(format!(
                "unknown schema version {n}; this VPN Designer reads versions 1 to {SCHEMA_VERSION}"
            )),
        },
        Some(other) => fail(format!("must be a whole number, not {}", kind_of(other))),
    }
}

pub(crate) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn describe_json_error(error: &serde_json::Error) -> String {
    // serde_json appends " at line L column C", which we already say in words.
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// serde's messages name Rust types ("invalid type: string, expected u32"); say it in the plan's terms.
fn clean_serde_message(message: &str) -> String {
    // "invalid value: integer `-5`, expected u32" and "invalid type: floating point `1e9`, …" lead with the
    // value, as a person would say it (QA s18).
    for (prefix, what) in [
        ("invalid value: integer `", "is out of range"),
        ("invalid type: floating point `", "is not a whole number"),
    ] {
        if let Some((value, rest)) = message
            .strip_prefix(prefix)
            .and_then(|r| r.split_once("`, "))
        {
            return clean_serde_message(&format!("{value} {what}: {rest}"));
        }
    }
    message
        .replace("expected u32", "expected a whole number")
        .replace("expected u64", "expected a whole number")
        .replace("expected u8", "expected a whole number from 0 to 255")
        .replace("expected a boolean", "expected true or false")
        .replace("an array of length 2", "exactly two tunnels")
        .replace("expected struct ", "expected an object: a ")
}

#[cfg(test)]
mod tests;
