//! Deleting actions from an overlay file, keeping the rest of its text.
//!
//! `generate --spec NEW` deletes the overlay actions whose targets the new spec removed
//! ([`crate::diff::stale`]). A YAML overlay loses the lines of those actions and nothing else:
//! its comments, quoting and layout stay as the maintainer wrote them. A comment line right
//! above an action at the indentation of the list (a section heading, say) belongs to the
//! actions below it and stays. When the text is not laid out as one `- ` entry per action
//! under a top-level `actions:` key (a flow sequence, a JSON overlay), the file is written
//! again from its parsed value instead. Either way the result is read back and must hold
//! exactly the other actions, in order.

use crate::Result;
use generator::load::{Format, Overlay};

/// `text` (the overlay file `file`, in `format`) without the actions at `indexes`.
pub fn without_actions(file: &str, text: &str, format: Format, indexes: &[usize]) -> Result<String> {
    let overlay = Overlay::parse(file, text, format).map_err(|e| e.to_string())?;
    if indexes.is_empty() {
        return Ok(text.to_owned());
    }
    if let Some(bad) = indexes.iter().find(|i| **i >= overlay.actions.len()) {
        return Err(format!("{file}: there is no action {bad} ({} actions)", overlay.actions.len()));
    }
    if indexes.len() >= overlay.actions.len() {
        return Err(format!(
            "{file}: every action would be deleted, and an overlay needs at least one; remove the file from \
             `overlays` in [package.metadata.codegen] instead"
        ));
    }
    let expected = overlay.without(indexes).actions;
    let holds_expected = |candidate: &str| {
        Overlay::parse(file, candidate, format).is_ok_and(|o| o.actions == expected && o.title == overlay.title)
    };
    if format == Format::Yaml {
        if let Some(edited) = remove_yaml_entries(text, indexes, overlay.actions.len()) {
            if holds_expected(&edited) {
                return Ok(edited);
            }
        }
    }
    let rewritten = rewrite(text, format, indexes).map_err(|e| format!("{file}: {e}"))?;
    if holds_expected(&rewritten) {
        Ok(rewritten)
    } else {
        Err(format!("{file}: the actions could not be deleted without changing the others; delete them by hand"))
    }
}

/// The overlay's value without the actions, written out again (comments and layout are lost).
fn rewrite(text: &str, format: Format, indexes: &[usize]) -> Result<String> {
    match format {
        Format::Json => {
            let mut value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
            let actions = value.get_mut("actions").and_then(|a| a.as_array_mut()).ok_or("no `actions` list")?;
            let mut i = 0;
            actions.retain(|_| {
                i += 1;
                !indexes.contains(&(i - 1))
            });
            Ok(serde_json::to_string_pretty(&value).map_err(|e| e.to_string())? + "\n")
        }
        Format::Yaml => {
            let mut value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
            let actions = value.get_mut("actions").and_then(|a| a.as_sequence_mut()).ok_or("no `actions` list")?;
            let mut i = 0;
            actions.retain(|_| {
                i += 1;
                !indexes.contains(&(i - 1))
            });
            serde_yaml::to_string(&value).map_err(|e| e.to_string())
        }
    }
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// The YAML text without the entries at `indexes` of the block sequence under the top-level
/// `actions:` key, or `None` when the text is not laid out that way (or holds another number of
/// entries than `count`).
fn remove_yaml_entries(text: &str, indexes: &[usize], count: usize) -> Option<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let key = lines.iter().position(|l| {
        l.strip_prefix("actions:").is_some_and(|rest| {
            let rest = rest.trim();
            rest.is_empty() || rest.starts_with('#')
        })
    })?;
    // The sequence's entries start with `- ` at one indentation, the first one's.
    let first = (key + 1..lines.len()).find(|&i| !is_blank_or_comment(lines[i]))?;
    let indent = indentation(lines[first]);
    let is_entry = |l: &str| indentation(l) == indent && (l[indent..].starts_with("- ") || l[indent..].trim() == "-");
    if !is_entry(lines[first]) {
        return None;
    }
    // The sequence ends at the first line of content outside it.
    let end = (first..lines.len())
        .find(|&i| {
            let l = lines[i];
            !is_blank_or_comment(l) && (indentation(l) < indent || (indentation(l) == indent && !is_entry(l)))
        })
        .unwrap_or(lines.len());
    let starts: Vec<usize> = (first..end).filter(|&i| is_entry(lines[i])).collect();
    if starts.len() != count {
        return None;
    }
    // Entry k: from its `- ` line to the next entry's, less the blank lines and the comments at
    // the list's indentation (or less) just above the next one, which head it.
    let mut spans = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let mut stop = starts.get(k + 1).copied().unwrap_or(end);
        while stop > start + 1 && {
            let l = lines[stop - 1];
            l.trim().is_empty() || (l.trim_start().starts_with('#') && indentation(l) <= indent)
        } {
            stop -= 1;
        }
        spans.push(start..stop);
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in lines.iter().enumerate() {
        if !indexes.iter().any(|&k| spans[k].contains(&i)) {
            out.push_str(line);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OVERLAY: &str = "\
# What this overlay is for.
overlay: 1.0.0
info:
  title: Descriptions
  version: 1.0.0
actions:
  # Tickets
  - target: \"$.components.schemas.Ticket.properties.title\"
    update:
      description: \"Ticket title\"
  - target: $.components.schemas.Ticket.properties.gone
    update:
      # The reference's words.
      description: >-
        A folded
        description
  # Conversations
  - target: \"$.paths['/v2/conversations/{id}'].delete.parameters[?@.name == 'id']\"
    update:
      description: 'Conversation ID (short ID)'

  # Secrets
  - target: $.components.schemas.Webhook.properties.secret
    description: The webhook signing secret must not show up in logs.
    update:
      x-sensitive: true
";

    #[test]
    fn yaml_actions_lose_their_lines_and_nothing_else() {
        let out = without_actions("o.yaml", OVERLAY, Format::Yaml, &[1, 2]).unwrap();
        assert_eq!(
            out,
            "\
# What this overlay is for.
overlay: 1.0.0
info:
  title: Descriptions
  version: 1.0.0
actions:
  # Tickets
  - target: \"$.components.schemas.Ticket.properties.title\"
    update:
      description: \"Ticket title\"
  # Conversations

  # Secrets
  - target: $.components.schemas.Webhook.properties.secret
    description: The webhook signing secret must not show up in logs.
    update:
      x-sensitive: true
"
        );
        let last = without_actions("o.yaml", OVERLAY, Format::Yaml, &[3]).unwrap();
        assert!(last.ends_with("      description: 'Conversation ID (short ID)'\n\n  # Secrets\n"), "{last}");
        assert_eq!(without_actions("o.yaml", OVERLAY, Format::Yaml, &[]).unwrap(), OVERLAY);
    }

    #[test]
    fn entries_at_the_left_margin_and_flow_sequences_are_handled() {
        let margin = "overlay: 1.0.0\ninfo: {title: t, version: 1}\nactions:\n- target: $.a\n  remove: true\n\
                      - target: $.b\n  remove: true\nx-after: 1\n";
        assert_eq!(
            without_actions("o.yaml", margin, Format::Yaml, &[0]).unwrap(),
            "overlay: 1.0.0\ninfo: {title: t, version: 1}\nactions:\n- target: $.b\n  remove: true\nx-after: 1\n"
        );
        // A flow sequence is written again from its value.
        let flow = "overlay: 1.0.0\ninfo: {title: t, version: 1}\nactions: [{target: $.a, remove: true}, {target: $.b, remove: true}]\n";
        let out = without_actions("o.yaml", flow, Format::Yaml, &[1]).unwrap();
        let o = Overlay::parse("o.yaml", &out, Format::Yaml).unwrap();
        assert_eq!(o.actions.iter().map(|a| a.target.as_str()).collect::<Vec<_>>(), ["$.a"]);
    }

    #[test]
    fn json_overlays_are_written_again() {
        let json = r#"{"overlay": "1.0.0", "info": {"title": "t", "version": "1"},
            "actions": [{"target": "$.a", "remove": true}, {"target": "$.b", "update": {"description": "b"}}]}"#;
        let out = without_actions("o.json", json, Format::Json, &[0]).unwrap();
        let o = Overlay::parse("o.json", &out, Format::Json).unwrap();
        assert_eq!(o.actions.iter().map(|a| a.target.as_str()).collect::<Vec<_>>(), ["$.b"]);
        assert!(out.starts_with("{\n  \"overlay\": \"1.0.0\""), "{out}");
    }

    #[test]
    fn deleting_every_action_or_one_that_is_not_there_is_an_error() {
        let err = without_actions("o.yaml", OVERLAY, Format::Yaml, &[0, 1, 2, 3]).unwrap_err();
        assert!(err.contains("every action would be deleted"), "{err}");
        assert!(without_actions("o.yaml", OVERLAY, Format::Yaml, &[4]).unwrap_err().contains("no action 4"));
    }
}
