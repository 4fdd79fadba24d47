//! Secrets: pre-shared keys. They live in the plan so the user can keep them, but they are a distinct type so
//! that share links, diagrams and exports can leave them out, and so that `{:?}` never prints one.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret's value: call only where the user asked for secrets to be included.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// What a screen or a log shows instead of the value.
    pub fn masked(&self) -> String {
        format!("•••••••• ({} characters)", self.0.chars().count())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_prints_the_value() {
        let secret = Secret::new("Hunter2.Key_Value");
        assert!(!format!("{secret:?}").contains("Hunter2"));
        assert!(!secret.masked().contains("Hunter2"));
        assert_eq!(secret.expose(), "Hunter2.Key_Value");
    }
}

/// The plan fields that hold secrets, by name. `redact` and every view of the plan that leaves the browser or is
/// shown on screen go through these.
pub const SECRET_FIELDS: &[&str] = &["shared_key", "pre_shared_key"];

/// Removes every secret from a design (for share links, diagrams, and exports without secrets).
pub fn redact(design: &mut super::Design) {
    for connection in &mut design.azure.connections {
        connection.shared_key = None;
    }
    for connection in &mut design.aws.vpn_connections {
        for tunnel in &mut connection.tunnels {
            tunnel.pre_shared_key = None;
        }
    }
}

#[cfg(test)]
mod redact_tests {
    use super::*;
    use crate::templates;

    #[test]
    fn redact_removes_every_secret_field() {
        let mut plan = templates::reference();
        for c in &mut plan.design.azure.connections {
            c.shared_key = Some(Secret::new("AzureKey.1234"));
        }
        for c in &mut plan.design.aws.vpn_connections {
            for t in &mut c.tunnels {
                t.pre_shared_key = Some(Secret::new("AwsKey.5678"));
            }
        }
        redact(&mut plan.design);
        let json = plan.to_json();
        assert!(!json.contains("AzureKey") && !json.contains("AwsKey"));
        // Every secret field the model has is covered by SECRET_FIELDS (the names appear, with null values).
        for field in SECRET_FIELDS {
            assert!(json.contains(&format!("\"{field}\": null")), "{field}");
        }
    }
}
