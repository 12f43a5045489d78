//! The Markdown report, for a pull-request description: the changes by severity, then, when any
//! change concerns webhooks, a "Webhooks" section that lists those changes with the webhook events
//! each reaches.

use super::{Change, Counts, Direction, Report, Severity};
use std::fmt::Write;

/// Operations listed one per line; the rest are named on one line.
const LISTED: usize = 10;

fn sentence(note: &str) -> String {
    let note = note.trim();
    let mut chars = note.chars();
    let capital = match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect::<String>(),
        None => return String::new(),
    };
    if capital.ends_with('.') {
        capital
    } else {
        format!("{capital}.")
    }
}

fn counts_row(out: &mut String, who: &str, c: &Counts) {
    let _ = writeln!(out, "| {who} | {} | {} | {} |", c.breaking, c.potentially_breaking, c.non_breaking);
}

fn entry(out: &mut String, c: &Change) {
    let direction = match c.direction {
        Some(Direction::Request) => " (request)",
        // Read by the receiver of a webhook, as a response is by a client.
        Some(Direction::Response) if c.operations.is_empty() && !c.events.is_empty() => " (webhook payload)",
        Some(Direction::Response) => " (response)",
        None => "",
    };
    let _ = writeln!(out, "### `{}`: {}{direction}\n", c.location, c.summary);
    let _ = writeln!(out, "- **HTTP clients: {}.** {}", c.http.severity.label(), sentence(&c.http.note));
    let _ = writeln!(out, "- **Rust: {}.** {}", c.rust.severity.label(), sentence(&c.rust.note));
    let line = |r: &super::Reach| {
        let at = if r.at.is_empty() { String::new() } else { format!(" at `{}`", r.at) };
        format!("`{}` (`{} {}`, `{}`){at}", r.operation_id, r.method, r.path, r.rust)
    };
    match c.operations.as_slice() {
        [] => {}
        [one] => {
            let _ = writeln!(out, "- Operation: {}", line(one));
        }
        many => {
            let _ = writeln!(out, "- Operations ({}):", many.len());
            for r in many.iter().take(LISTED) {
                let _ = writeln!(out, "  - {}", line(r));
            }
            if many.len() > LISTED {
                let rest: Vec<String> = many[LISTED..].iter().map(|r| format!("`{}`", r.operation_id)).collect();
                let _ = writeln!(out, "  - and {} more: {}", rest.len(), rest.join(", "));
            }
        }
    }
    let event = |e: &super::EventReach| {
        let rust = if e.rust.is_empty() { String::new() } else { format!(" (`{}`)", e.rust) };
        let at = if e.at.is_empty() { String::new() } else { format!(" at `{}`", e.at) };
        format!("`{}`{rust}{at}", e.webhook)
    };
    match c.events.as_slice() {
        [] => {}
        [one] => {
            let _ = writeln!(out, "- Webhook: {}", event(one));
        }
        many => {
            let _ = writeln!(out, "- Webhooks ({}):", many.len());
            for e in many.iter().take(LISTED) {
                let _ = writeln!(out, "  - {}", event(e));
            }
            if many.len() > LISTED {
                let _ = writeln!(out, "  - and {} more: {}", many.len() - LISTED, webhook_names(&many[LISTED..]));
            }
        }
    }
    out.push('\n');
}

fn webhook_names(events: &[super::EventReach]) -> String {
    events.iter().map(|e| format!("`{}`", e.webhook)).collect::<Vec<_>>().join(", ")
}

/// Whether a change concerns webhooks: one of theirs, or a schema change a payload reaches.
fn concerns_webhooks(c: &Change) -> bool {
    c.is_webhook() || !c.events.is_empty()
}

/// The "Webhooks" section: one row per change that concerns webhooks, with the webhooks it
/// reaches (all of them, for the signature scheme).
fn webhooks(out: &mut String, changes: &[&Change]) {
    let _ = writeln!(out, "## Webhooks ({})\n", changes.len());
    out.push_str(
        "The changes above that concern the webhooks the API sends (`webhooks::Event`), \
         with the webhooks each reaches.\n\n| change | webhooks | HTTP clients | Rust |\n|---|---|---|---|\n",
    );
    for c in changes {
        let reached = match c.events.len() {
            0 => "all".to_owned(),
            n if n <= LISTED => webhook_names(&c.events),
            n => format!("{} and {} more", webhook_names(&c.events[..LISTED]), n - LISTED),
        };
        let _ = writeln!(
            out,
            "| `{}`: {} | {reached} | {} | {} |",
            c.location.replace('|', "\\|"),
            c.summary.replace('|', "\\|"),
            c.http.severity.label(),
            c.rust.severity.label()
        );
    }
    out.push('\n');
}

/// Renders the report.
pub fn markdown(r: &Report) -> String {
    let mut out = String::new();
    if r.old.version == r.new.version {
        let _ = writeln!(out, "# API changes in `{}`\n", r.new.version);
    } else {
        let _ = writeln!(out, "# API changes: `{}` → `{}`\n", r.old.version, r.new.version);
    }
    let _ = writeln!(
        out,
        "Compared `{}` ({} operations, {} schemas) with `{}` ({} operations, {} schemas).\n",
        r.old.file, r.old.operations, r.old.schemas, r.new.file, r.new.operations, r.new.schemas
    );
    if r.changes.is_empty() {
        out.push_str("No changes.\n");
        if !r.stale_overlay_actions.is_empty() {
            out.push('\n');
            out.push_str(&super::stale::markdown(&r.stale_overlay_actions));
        }
        return out;
    }
    out.push_str("| changes for | breaking | potentially breaking | non-breaking |\n|---|---:|---:|---:|\n");
    counts_row(&mut out, "HTTP clients", &r.summary.http);
    counts_row(&mut out, "Rust crate users", &r.summary.rust);
    out.push_str(
        "\n**HTTP clients**: an existing client that starts sending the new API version. \
         **Rust**: code using the crate once it is regenerated from the new spec. \
         Each change is listed once, under the higher of its two severities, with the operations it reaches.\n\n",
    );
    for severity in [Severity::Breaking, Severity::PotentiallyBreaking, Severity::NonBreaking] {
        let changes: Vec<&Change> = r.changes.iter().filter(|c| c.severity() == severity).collect();
        if changes.is_empty() {
            continue;
        }
        let mut title = severity.label().to_owned();
        title[..1].make_ascii_uppercase();
        let _ = writeln!(out, "## {title} ({})\n", changes.len());
        for c in changes {
            entry(&mut out, c);
        }
    }
    let hooks: Vec<&Change> = r.changes.iter().filter(|c| concerns_webhooks(c)).collect();
    if !hooks.is_empty() {
        webhooks(&mut out, &hooks);
    }
    if !r.stale_overlay_actions.is_empty() {
        out.push_str(&super::stale::markdown(&r.stale_overlay_actions));
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
