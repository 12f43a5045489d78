//! Operations -> resource groups of client methods (one module per resource).

use super::{Files, Options};
use crate::error::Result;
use crate::model::Api;

/// Emits `src/resources/*.rs`.
pub fn emit(_api: &Api, _options: &Options, _files: &mut Files) -> Result<()> {
    Ok(())
}
