//! Setting fields of objects: the inspector's edits and the review's one-click fixes.
//!
//! Generic over the model through its JSON form: the change is made on the edited object's JSON, spliced into
//! the plan's JSON text ([`super::locate`]), and the result goes through the same loader as a plan file, so an
//! edit can never leave the plan half-parsed or dangling, and its problems come back with the field they belong
//! to.

use super::locate::find_object;
use crate::load::load_plan_up_to;
use crate::model::{json, Plan};
use crate::review::{Change, Fix};
use serde_json::Value;

/// A problem with an edit, located at the object and field it concerns where possible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldProblem {
    /// The object's id, or empty for a problem elsewhere in the plan.
    pub object: String,
    /// The field relative to the object (`tunnels[0].inside_cidr`), or the plan path.
    pub field: String,
    pub message: String,
}

/// One step of a field path: an object key or an array index.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// Parses `a.b[1].c` (the paths findings and the inspector use).
fn parse_field(field: &str) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    for part in field.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if key.is_empty() {
            return None;
        }
        steps.push(Step::Key(key.to_string()));
        while let Some(stripped) = rest.strip_prefix('[') {
            let end = stripped.find(']')?;
            steps.push(Step::Index(stripped[..end].parse().ok()?));
            rest = &stripped[end + 1..];
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(steps)
}

fn set_path(object: &mut Value, steps: &[Step], new: Value) -> Result<(), String> {
    let Some((last, parents)) = steps.split_last() else {
        return Err("empty field".into());
    };
    let mut cursor = object;
    for step in parents {
        cursor = match (step, cursor) {
            (Step::Key(k), Value::Object(map)) => {
                map.get_mut(k).ok_or(format!("no field `{k}`"))?
            }
            (Step::Index(i), Value::Array(items)) => {
                let len = items.len();
                items
                    .get_mut(*i)
                    .ok_or(format!("index {i} is out of range ({len} items)"))?
            }
            _ => return Err("the field does not exist on this object".into()),
        };
    }
    match (last, cursor) {
        // A key may be new: optional fields left out of the JSON are set by adding them.
        (Step::Key(k), Value::Object(map)) => {
            if k == "id" {
                return Err("ids cannot be edited: references name them".into());
            }
            map.insert(k.clone(), new);
            Ok(())
        }
        (Step::Index(i), Value::Array(items)) if *i < items.len() => {
            items[*i] = new;
            Ok(())
        }
        _ => Err("the field does not exist on this object".into()),
    }
}

/// The current JSON value of a field, if the object and field exist.
pub fn field_value(plan: &Plan, object: &str, field: &str) -> Option<Value> {
    field_in(&json::compact(plan), object, field)
}

/// [`field_value`] in the plan's compact JSON text.
fn field_in(text: &str, object: &str, field: &str) -> Option<Value> {
    let found = find_object(text, object)?;
    let value: Value = serde_json::from_str(&text[found.start..found.end]).ok()?;
    let mut cursor = &value;
    for step in parse_field(field)? {
        cursor = match step {
            Step::Key(k) => cursor.get(k.as_str())?,
            Step::Index(i) => cursor.get(i)?,
        };
    }
    Some(cursor.clone())
}

/// Applies changes to a copy of the plan and validates the result as a whole plan file would be. On success the
/// new plan; on failure every problem, each tied to its object and field where it lies inside one.
pub fn apply_changes(plan: &Plan, changes: &[Change]) -> Result<Plan, Vec<FieldProblem>> {
    apply_to_text(json::compact(plan), changes)
}

/// [`apply_changes`] on the plan's compact JSON text: each change parses its object alone, sets the field and
/// writes the object back in place; then the whole text is loaded.
fn apply_to_text(mut text: String, changes: &[Change]) -> Result<Plan, Vec<FieldProblem>> {
    let mut located = Vec::new();
    for change in changes {
        let problem = |message: String| {
            vec![FieldProblem {
                object: change.object.clone(),
                field: change.field.clone(),
                message,
            }]
        };
        let found = find_object(&text, &change.object)
            .ok_or_else(|| problem(format!("no object with id `{}`", change.object)))?;
        let steps = parse_field(&change.field)
            .ok_or_else(|| problem(format!("`{}` is not a field path", change.field)))?;
        let mut object: Value = serde_json::from_str(&text[found.start..found.end])
            .map_err(|e| problem(e.to_string()))?;
        set_path(&mut object, &steps, change.value.clone()).map_err(problem)?;
        let written = serde_json::to_string(&object).map_err(|e| problem(e.to_string()))?;
        text.replace_range(found.start..found.end, &written);
        located.push((change.object.clone(), found.path.to_string()));
    }
    // No size bound here: the plan was loaded under its caller's bound, and the edit is the user's own (the
    // value-tree path this replaced had none either).
    load_plan_up_to(&text, usize::MAX).map_err(|error| {
        error
            .problems
            .into_iter()
            .map(|p| {
                // Tie the problem to the edited object whose path it lies under, relative to that object.
                let owner = located.iter().find(|(_, prefix)| {
                    p.path == *prefix
                        || p.path.starts_with(&format!("{prefix}."))
                        || p.path.starts_with(&format!("{prefix}["))
                });
                match owner {
                    Some((object, prefix)) => FieldProblem {
                        object: object.clone(),
                        field: p.path[prefix.len()..].trim_start_matches('.').to_string(),
                        message: p.message,
                    },
                    None => FieldProblem {
                        object: String::new(),
                        field: p.path,
                        message: p.message,
                    },
                }
            })
            .collect()
    })
}

/// Applies a finding's fix as one change of the plan.
pub fn apply_fix(plan: &Plan, fix: &Fix) -> Result<Plan, Vec<FieldProblem>> {
    apply_changes(plan, &fix.changes)
}

/// The JSON values a person's text could mean for a field whose current value is `current`, most likely first.
/// The inspector tries each in turn and keeps the first the loader accepts, so `443` in a number field is a
/// number, `10.0.0.0/24, 10.0.1.0/24` in a list field is a list, and clearing an optional field unsets it.
pub fn candidates(current: &Value, text: &str) -> Vec<Value> {
    let text = text.trim();
    let number = || -> Option<Value> {
        if let Ok(n) = text.parse::<u64>() {
            return Some(Value::from(n));
        }
        if let Ok(n) = text.parse::<i64>() {
            return Some(Value::from(n));
        }
        text.parse::<f64>()
            .ok()
            .and_then(|f| serde_json::Number::from_f64(f).map(Value::Number))
    };
    let none = text.is_empty() || text == "—" || text.eq_ignore_ascii_case("none");
    let mut out = Vec::new();
    match current {
        Value::Bool(_) => match text.to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" => out.push(Value::Bool(true)),
            "false" | "no" | "off" => out.push(Value::Bool(false)),
            _ => out.push(Value::String(text.into())),
        },
        Value::Number(_) => {
            out.extend(number());
            out.push(Value::String(text.into()));
        }
        Value::Array(items) => {
            let parts: Vec<&str> = if none {
                Vec::new()
            } else {
                // Commas or spaces between items: "10.1.0.0/16 10.5.0.0/16" is two prefixes, as people paste
                // them (it was refused as one with a prefix length "16 10.5.0.0").
                list_items(text).collect()
            };
            let numeric = items.first().is_some_and(Value::is_number);
            let as_values = |numbers: bool| -> Value {
                Value::Array(
                    parts
                        .iter()
                        .map(|p| match (numbers, p.parse::<u64>()) {
                            (true, Ok(n)) => Value::from(n),
                            _ => Value::String((*p).to_string()),
                        })
                        .collect(),
                )
            };
            out.push(as_values(numeric));
            out.push(as_values(!numeric));
        }
        Value::Null => {
            if none {
                out.push(Value::Null);
            } else {
                out.push(Value::String(text.into()));
                out.extend(number());
            }
        }
        _ => {
            out.push(Value::String(text.into()));
            if none {
                out.push(Value::Null);
            }
        }
    }
    out
}

/// What else one field's new value changes in the same step, so the plan stays one the clouds accept: a
/// connection that stops being policy-based drops its custom selector policies, and an Azure route that stops
/// going to a virtual appliance drops the appliance's address (only `VirtualAppliance` routes have one; review
/// code RT-005).
fn follow_ups(object: &str, field: &str, value: &Value) -> Vec<Change> {
    // Custom selectors apply only to a policy-based connection [AZ5]: turning that off drops them in the same
    // step (undo brings both back), so no hidden policy stays in the plan and its exports.
    if field == "use_policy_based_traffic_selectors" && value == &Value::Bool(false) {
        return vec![Change {
            object: object.to_string(),
            field: "traffic_selector_policies".to_string(),
            value: Value::Array(Vec::new()),
        }];
    }
    match field.strip_suffix("next_hop_type") {
        Some(route) if value.as_str() != Some("VirtualAppliance") => vec![Change {
            object: object.to_string(),
            field: format!("{route}next_hop_ip"),
            value: Value::Null,
        }],
        _ => Vec::new(),
    }
}

/// A VPC moved to another region takes its subnets' zones along, keeping each zone's letter (`eu-central-1b`
/// becomes `us-east-1b`): the field refuses a zone outside its VPC's region, so changing either one alone would
/// never be accepted. Other zones are left for the review to report (NAME-002).
fn zones_following_region(plan: &Plan, object: &str, field: &str, value: &Value) -> Vec<Change> {
    let (Some(new_region), "region") = (value.as_str(), field) else {
        return Vec::new();
    };
    let Some(vpc) = plan
        .design
        .aws
        .vpcs
        .iter()
        .find(|v| v.id.as_str() == object)
    else {
        return Vec::new();
    };
    vpc.subnets
        .iter()
        .enumerate()
        .filter_map(|(j, subnet)| {
            // A Local or Wavelength Zone's name means nothing in another region: it stays, for NAME-002.
            let suffix = subnet
                .availability_zone
                .strip_prefix(vpc.region.as_str())
                .filter(|s| s.len() == 1)?;
            Some(Change {
                object: object.to_string(),
                field: format!("subnets[{j}].availability_zone"),
                value: Value::String(format!("{new_region}{suffix}")),
            })
        })
        .collect()
}

/// Sets one field from a person's text: the first candidate meaning the loader accepts; otherwise the problems
/// of the most likely one.
pub fn set_from_text(
    plan: &Plan,
    object: &str,
    field: &str,
    text: &str,
) -> Result<Plan, Vec<FieldProblem>> {
    // One JSON text of the plan for reading the field and for every try.
    let plan_text = json::compact(plan);
    let current = field_in(&plan_text, object, field).unwrap_or(Value::Null);
    let mut first_error = None;
    for value in candidates(&current, text) {
        let mut changes = follow_ups(object, field, &value);
        changes.extend(zones_following_region(plan, object, field, &value));
        changes.insert(
            0,
            Change {
                object: object.to_string(),
                field: field.to_string(),
                value,
            },
        );
        match apply_to_text(plan_text.clone(), &changes) {
            // A name the cloud would refuse is refused here, where it was typed (NAME-001 in the review).
            Ok(next) => {
                let problem = crate::review::names::field_problem(&next, object, field)
                    .or_else(|| crate::review::places::field_problem(&next, object, field));
                return match problem {
                    Some(message) => Err(vec![FieldProblem {
                        object: object.to_string(),
                        field: field.to_string(),
                        message,
                    }]),
                    None => Ok(next),
                };
            }
            Err(problems) => {
                first_error.get_or_insert(problems);
            }
        }
    }
    Err(first_error.unwrap_or_default())
}

/// The items of a list typed into one field: separated by commas, spaces or both, blanks dropped.
pub fn list_items(text: &str) -> impl Iterator<Item = &str> {
    // Semicolons (as some tools list ranges) and invisible spaces pasted from documents separate too (QA s18).
    text.split(|c: char| {
        c == ',' || c == ';' || c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}')
    })
    .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{load_value, JsonPath};

    /// The edit as it was made before `locate`: on a JSON value tree of the whole plan, loaded back with
    /// `load_value`. The oracle for the text splice.
    fn via_value_tree(plan: &Plan, change: &Change) -> Result<Plan, Vec<FieldProblem>> {
        fn find<'v>(
            value: &'v mut Value,
            id: &str,
            path: JsonPath,
        ) -> Option<(&'v mut Value, JsonPath)> {
            if value.get("id").and_then(Value::as_str) == Some(id) {
                return Some((value, path));
            }
            match value {
                Value::Object(map) => map.iter_mut().find_map(|(k, v)| find(v, id, path.key(k))),
                Value::Array(items) => items
                    .iter_mut()
                    .enumerate()
                    .find_map(|(i, v)| find(v, id, path.index(i))),
                _ => None,
            }
        }
        let problem = |message: String| {
            vec![FieldProblem {
                object: change.object.clone(),
                field: change.field.clone(),
                message,
            }]
        };
        let mut value = serde_json::to_value(plan).unwrap();
        let (object, path) = find(
            value.get_mut("design").unwrap(),
            &change.object,
            JsonPath::root().key("design"),
        )
        .ok_or_else(|| problem(format!("no object with id `{}`", change.object)))?;
        let steps = parse_field(&change.field)
            .ok_or_else(|| problem(format!("`{}` is not a field path", change.field)))?;
        set_path(object, &steps, change.value.clone()).map_err(problem)?;
        let prefix = path.to_string();
        load_value(value).map_err(|error| {
            error
                .problems
                .into_iter()
                .map(|p| {
                    if p.path == prefix
                        || p.path.starts_with(&format!("{prefix}."))
                        || p.path.starts_with(&format!("{prefix}["))
                    {
                        FieldProblem {
                            object: change.object.clone(),
                            field: p.path[prefix.len()..].trim_start_matches('.').to_string(),
                            message: p.message,
                        }
                    } else {
                        FieldProblem {
                            object: String::new(),
                            field: p.path,
                            message: p.message,
                        }
                    }
                })
                .collect()
        })
    }

    /// Every field of every object of the templates, set to values that fit and values
    /// that do not: the splice gives the same plan, or the same problems, as the value tree did. And
    /// `field_value` reads what the value tree holds.
    #[test]
    fn the_text_splice_agrees_with_the_value_tree() {
        let plans: Vec<Plan> = crate::templates::TEMPLATE_NAMES
            .iter()
            .map(|name| crate::templates::template(name).unwrap())
            .collect();
        let tries: Vec<Value> = vec![
            Value::from("renamed"),
            Value::from(""),
            Value::from("10.7.0.0/24"),
            Value::from("10.7.0.0/33"),
            Value::from(65010),
            Value::from(true),
            Value::Null,
            serde_json::json!(["10.7.0.0/24", "10.8.0.0/24"]),
            Value::from("az-vnet"),
            serde_json::json!({"unexpected": 1}),
        ];
        let mut compared = 0;
        for plan in &plans {
            let design = serde_json::to_value(&plan.design).unwrap();
            let mut objects = Vec::new();
            collect(&design, &mut objects);
            for (id, object) in objects {
                let Value::Object(fields) = object else {
                    continue;
                };
                for (field, current) in fields.iter().filter(|(k, _)| *k != "nodes") {
                    assert_eq!(field_value(plan, &id, field).as_ref(), Some(current));
                    for value in &tries {
                        let change = Change {
                            object: id.clone(),
                            field: field.clone(),
                            value: value.clone(),
                        };
                        assert_eq!(
                            apply_changes(plan, std::slice::from_ref(&change)),
                            via_value_tree(plan, &change),
                            "{id}.{field} = {value}"
                        );
                        compared += 1;
                    }
                }
                // A field inside a list of the object, and one that does not exist.
                for field in [
                    "tunnels[1].inside_cidr",
                    "rules[0].priority",
                    "nope.deeper",
                    "a[x]",
                ] {
                    let change = Change::new(&id, field, 4096);
                    assert_eq!(
                        apply_changes(plan, std::slice::from_ref(&change)),
                        via_value_tree(plan, &change),
                        "{id}.{field}"
                    );
                }
            }
        }
        assert!(compared > 1000, "{compared} edits compared");
        let missing = Change::new("no-such-object", "name", "x");
        assert_eq!(
            apply_changes(&plans[0], std::slice::from_ref(&missing)),
            via_value_tree(&plans[0], &missing)
        );
    }

    fn collect(value: &Value, out: &mut Vec<(String, Value)>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(id)) = map.get("id") {
                    out.push((id.clone(), value.clone()));
                }
                map.values().for_each(|v| collect(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
            _ => {}
        }
    }
}
