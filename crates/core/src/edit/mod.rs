//! Editing a plan: the commands the editor runs, each a plain function from a valid plan to a valid plan, tested
//! natively. The web app wraps every command in the same three steps: clone the plan, run the command, record the
//! difference in the `History` (one undo step per gesture).
//!
//! - `add`: palette commands (new networks, subnets, gateways, policies, rules, flows) with valid defaults,
//! - `acl`: an AWS subnet's own network ACL and its numbered entries,
//! - `connect`: the whole Azure ⇄ AWS link in one step, and its removal,
//! - `delete`: removing objects with everything that cannot exist without them,
//! - `fields`: setting any field of any object from the inspector or a finding's fix, validated like a plan file,
//! - `locate`: where an object is in the plan's JSON text, so an edit rewrites that object alone,
//! - `place`: where new objects appear and how moves keep subnets inside their network,
//! - `names`: unique ids and names, and the next free address block,
//! - `keys`: pre-shared keys both clouds accept, from a cryptographic random source the caller supplies,
//! - `share`: the share-link codec (versioned, secrets left out, bounded),
//! - `history`: undo and redo.

pub mod acl;
pub mod add;
pub mod connect;
pub mod delete;
pub mod fields;
pub mod history;
pub mod keys;
pub mod locate;
pub mod names;
pub mod partners;
pub mod place;
pub mod routes;
pub mod selectors;
pub mod share;

use std::fmt;

/// Why a command was refused. The plan is unchanged when a command returns this.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditError(pub String);

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EditError {}

pub(crate) fn refuse<T>(message: impl Into<String>) -> Result<T, EditError> {
    Err(EditError(message.into()))
}

#[cfg(test)]
mod tests;
