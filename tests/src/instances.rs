//! Schema-valid JSON instances made from the spec, and the mutations a newer API version makes.
//!
//! [`Instances`] walks a schema of the spec (following `$ref`s) and builds a value that satisfies
//! it: every required property (and, in full mode, every optional one), enum and `const` values,
//! string formats and lengths, number ranges, array sizes. A seed varies the choices (which
//! union member, which enum value, which optional properties, whether a nullable value is null),
//! so several seeds meet values nobody picked by hand.
//!
//! With a [`Mutation`], the instance is what a newer API version could send: unknown properties
//! at every object level, unknown enum values, unknown union tags.

use serde_json::{json, Map, Value};

/// How an instance departs from the spec, as a newer API version would.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutation {
    /// Exactly as the spec says.
    None,
    /// An unknown property in every object that has declared properties.
    UnknownFields,
    /// An unknown value in place of every string enum value.
    UnknownEnumValues,
    /// An unknown tag in every tagged union (the rest of the object as for a known member).
    UnknownTags,
    /// All of the above at once.
    All,
}

impl Mutation {
    /// Every kind of mutation.
    pub const ALL: [Mutation; 4] =
        [Mutation::UnknownFields, Mutation::UnknownEnumValues, Mutation::UnknownTags, Mutation::All];

    fn fields(self) -> bool {
        matches!(self, Mutation::UnknownFields | Mutation::All)
    }
    fn enums(self) -> bool {
        matches!(self, Mutation::UnknownEnumValues | Mutation::All)
    }
    fn tags(self) -> bool {
        matches!(self, Mutation::UnknownTags | Mutation::All)
    }
}

/// Makes instances of the schemas of one spec.
pub struct Instances<'s> {
    spec: &'s Value,
    state: u64,
    /// Include every optional property (otherwise each is a coin flip).
    pub full: bool,
    /// Let nullable values be `null` now and then.
    pub nulls: bool,
    /// How to depart from the spec.
    pub mutation: Mutation,
    /// How many mutations were applied since the last reset.
    pub mutations: usize,
}

const MAX_DEPTH: usize = 8;

impl<'s> Instances<'s> {
    /// A generator for `spec` (the whole document as JSON) with a seed.
    pub fn new(spec: &'s Value, seed: u64) -> Self {
        Instances {
            spec,
            state: seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1,
            full: true,
            nulls: false,
            mutation: Mutation::None,
            mutations: 0,
        }
    }

    fn next(&mut self) -> u64 {
        // xorshift64*: small, deterministic, good enough for choosing.
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn coin(&mut self) -> bool {
        self.next() & 1 == 1
    }

    /// Resolves a `$ref` (any local JSON pointer).
    pub fn resolve(&self, schema: &'s Value) -> &'s Value {
        let mut current = schema;
        for _ in 0..32 {
            match current.get("$ref").and_then(Value::as_str) {
                Some(r) => match self.spec.pointer(r.trim_start_matches('#')) {
                    Some(target) => current = target,
                    None => return current,
                },
                None => return current,
            }
        }
        current
    }

    /// An instance of `schema`.
    pub fn instance(&mut self, schema: &'s Value) -> Value {
        self.value(schema, 0)
    }

    fn types(schema: &Value) -> Vec<&str> {
        match schema.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    fn is_null_only(schema: &Value) -> bool {
        Self::types(schema) == ["null"]
    }

    fn value(&mut self, schema: &'s Value, depth: usize) -> Value {
        let schema = self.resolve(schema);
        let types = Self::types(schema);
        let nullable = types.contains(&"null")
            || schema.get("nullable") == Some(&Value::Bool(true))
            || ["anyOf", "oneOf"]
                .iter()
                .any(|k| schema.get(*k).and_then(Value::as_array).is_some_and(|m| m.iter().any(Self::is_null_only)));
        if nullable && self.nulls && (depth >= MAX_DEPTH || self.below(4) == 0) {
            return Value::Null;
        }
        if let Some(c) = schema.get("const") {
            return c.clone();
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            let values: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
            if self.mutation.enums() && values.iter().all(|v| v.is_string()) && values.len() > 1 {
                self.mutations += 1;
                return json!(format!("future_value_{}", self.below(1000)));
            }
            let i = self.below(values.len());
            return values.get(i).map(|v| (*v).clone()).unwrap_or(Value::Null);
        }
        if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
            if let [only] = members.as_slice() {
                return self.value(only, depth + 1);
            }
            let mut merged = Map::new();
            for m in members {
                if let Value::Object(o) = self.value(m, depth + 1) {
                    merged.extend(o);
                }
            }
            return Value::Object(merged);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(members) = schema.get(key).and_then(Value::as_array) {
                return self.union(schema, members, depth);
            }
        }
        let ty = types.iter().copied().find(|t| *t != "null").unwrap_or(if schema.get("properties").is_some() {
            "object"
        } else if schema.get("items").is_some() {
            "array"
        } else {
            "string"
        });
        match ty {
            "object" => self.object(schema, depth),
            "array" => {
                let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
                let max = schema.get("maxItems").and_then(Value::as_u64).map(|m| m as usize).unwrap_or(3);
                let len = if depth >= MAX_DEPTH { min } else { (min.max(1) + self.below(3)).min(max.max(min)) };
                let items = schema.get("items").unwrap_or(&Value::Null);
                Value::Array((0..len).map(|_| self.value(items, depth + 1)).collect())
            }
            "integer" => {
                let min = schema.get("minimum").and_then(Value::as_i64).unwrap_or(0);
                let max = schema.get("maximum").and_then(Value::as_i64).unwrap_or(min + 1000);
                json!(min + (self.below((max - min + 1).clamp(1, 1_000_000) as usize) as i64))
            }
            "number" => {
                let min = schema.get("minimum").and_then(Value::as_f64).unwrap_or(0.0);
                let max = schema.get("maximum").and_then(Value::as_f64).unwrap_or(min + 1000.0);
                if self.coin() {
                    json!((min + (self.below(((max - min) as usize).max(1)) as f64)).min(max))
                } else {
                    json!(min + (max - min) * 0.25)
                }
            }
            "boolean" => json!(self.coin()),
            _ => json!(self.string(schema)),
        }
    }

    fn string(&mut self, schema: &Value) -> String {
        let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = schema.get("maxLength").and_then(Value::as_u64).map(|m| m as usize).unwrap_or(64);
        let base = match schema.get("format").and_then(Value::as_str) {
            Some("email") => format!("user{}@example.com", self.below(100)),
            Some("uri" | "url") => format!("https://example.com/r/{}", self.below(1000)),
            Some("date-time") => "2026-01-15T10:30:00.000Z".to_owned(),
            Some("date") => "2026-01-15".to_owned(),
            Some("uuid") => "0f8fad5b-d9cb-469f-a165-70867728950e".to_owned(),
            _ => {
                let words = ["alpha", "Bravo", "charlie7", "delta", "Echo42"];
                let mut s = words[self.below(words.len())].to_owned();
                if self.coin() {
                    s.push_str(&self.below(10_000).to_string());
                }
                s
            }
        };
        let mut s: String = base.chars().take(max.max(1)).collect();
        while s.chars().count() < min {
            s.push('x');
        }
        s
    }

    fn object(&mut self, schema: &'s Value, depth: usize) -> Value {
        let mut out = Map::new();
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let properties = schema.get("properties").and_then(Value::as_object);
        if let Some(props) = properties {
            for (name, p) in props {
                let include = required.contains(&name.as_str()) || (depth < MAX_DEPTH && (self.full || self.coin()));
                if include {
                    let v = self.value(p, depth + 1);
                    out.insert(name.clone(), v);
                }
            }
        }
        match schema.get("additionalProperties") {
            Some(Value::Object(ap)) if !ap.is_empty() && properties.is_none() => {
                let ap = schema.get("additionalProperties").unwrap_or(&Value::Null);
                for i in 0..1 + self.below(2) {
                    let v = self.value(ap, depth + 1);
                    out.insert(format!("key{i}"), v);
                }
            }
            _ => {}
        }
        let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
        if self.mutation.fields() && properties.is_some_and(|p| !p.is_empty()) && !closed {
            self.mutations += 1;
            out.insert(
                format!("futureField{}", self.below(1000)),
                json!({"added": "in a newer version", "n": [1, 2.5, null]}),
            );
        }
        Value::Object(out)
    }

    /// The property every member requires with a different string constant, if any.
    fn inferred_tag(&self, members: &[&'s Value]) -> Option<String> {
        let first = members.first()?.get("properties")?.as_object()?;
        first
            .keys()
            .find(|name| {
                let mut seen = Vec::new();
                members.iter().all(|m| {
                    let required =
                        m.get("required").and_then(Value::as_array).is_some_and(|r| r.iter().any(|x| x == *name));
                    let c = m
                        .get("properties")
                        .and_then(|p| p.get(name.as_str()))
                        .map(|p| self.resolve(p))
                        .and_then(|p| p.get("const"))
                        .and_then(Value::as_str);
                    match c {
                        Some(c) if required && !seen.contains(&c) => {
                            seen.push(c);
                            true
                        }
                        _ => false,
                    }
                })
            })
            .cloned()
    }

    fn union(&mut self, schema: &'s Value, members: &'s [Value], depth: usize) -> Value {
        let candidates: Vec<&'s Value> = members.iter().filter(|m| !Self::is_null_only(self.resolve(m))).collect();
        if candidates.is_empty() {
            return Value::Null;
        }
        let chosen = candidates[self.below(candidates.len())];
        let mut value = self.value(chosen, depth + 1);
        let resolved: Vec<&'s Value> = candidates.iter().map(|m| self.resolve(m)).collect();
        let tag = schema
            .get("discriminator")
            .and_then(|d| d.get("propertyName"))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| if resolved.len() > 1 { self.inferred_tag(&resolved) } else { None });
        if let (Some(tag), Value::Object(o)) = (tag, &mut value) {
            // With a mapping, the tag is the mapping key of the chosen member.
            if let (Some(mapping), Some(r)) = (
                schema.get("discriminator").and_then(|d| d.get("mapping")).and_then(Value::as_object),
                chosen.get("$ref"),
            ) {
                if let Some((key, _)) = mapping.iter().find(|(_, target)| *target == r) {
                    o.insert(tag.clone(), json!(key));
                }
            }
            if self.mutation.tags() {
                self.mutations += 1;
                o.insert(tag, json!(format!("future_variant_{}", self.below(1000))));
            }
        }
        value
    }
}
