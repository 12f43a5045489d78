//! The schema half of the walk: one use of a schema in each version, compared kind by kind
//! (nullability, type, limits, enum values, union members, object properties), following
//! `$ref`s once per operation and direction.

use super::compare::{code, impact, Cx, Differ, Found};
use super::rust::{must_supply, Model};
use super::shape::{self, Extra, Object, Relation, Shape};
use super::{Direction, Impact, Kind};
use generator::load::{Document, Schema};
use generator::model::{Field, Struct, TypeDef, TypeRef};
use serde_json::Value as Json;

use super::Severity::{Breaking, NonBreaking, PotentiallyBreaking};
use Direction::{Request, Response as Resp};

impl<'a> Differ<'a> {
    /// The Rust impact of a change to the value at `cx`: breaking when the declared type of the
    /// use changes.
    pub(super) fn use_change(&self, cx: &Cx) -> Impact {
        match (&cx.old_use, &cx.new_use) {
            (Some(a), Some(b)) if a != b => impact(Breaking, format!("{}: `{a}` → `{b}`", cx.label)),
            (Some(a), Some(_)) => impact(NonBreaking, format!("{} stays `{a}`", cx.label)),
            _ => impact(NonBreaking, "no Rust type to change"),
        }
    }

    /// Compares one use of a schema in each version.
    pub(super) fn node(&mut self, o: &'a Schema, n: &'a Schema, mut cx: Cx) {
        let (old_doc, new_doc) = (self.old.doc, self.new.doc);
        let (was_null, is_null) = (shape::nullable(old_doc, o), shape::nullable(new_doc, n));
        if was_null != is_null {
            self.nullability(is_null, &cx);
        }
        let (ot, ocomp) = shape::target(old_doc, o);
        let (nt, ncomp) = shape::target(new_doc, n);
        let os = shape::shape(old_doc, ot);
        let ns = shape::shape(new_doc, nt);
        let same = shape::same_kind(&os, &ns);
        if !same {
            self.type_changed(&os, &ns, &cx);
            return;
        }
        self.renamed(&cx);
        if ocomp.is_some() || ncomp.is_some() {
            let key = (ocomp.clone(), ncomp.clone(), cx.dir);
            if let Some(name) = ncomp.or(ocomp) {
                cx.loc = name;
            }
            if !self.visited.insert(key) {
                return;
            }
        }
        self.details(ot, nt, &cx);
        match (os, ns) {
            (Shape::Enum(a), Shape::Enum(b)) => self.enum_values(a, b, &cx),
            (Shape::Const(a), Shape::Const(b)) if a != b => {
                let rust = self.use_change(&cx);
                let http = impact(Breaking, "the only allowed value changed");
                let summary = format!("constant `{}` → `{}`", shape::value(a), shape::value(b));
                self.record(Found::within(Kind::TypeChanged, &cx, summary).detail("const").http(http).rust(rust));
            }
            (Shape::Array(Some(a)), Shape::Array(Some(b))) => {
                let child = self.items(&cx, "[]", |m, t| m.items_of(t));
                self.node(a, b, child);
            }
            (Shape::Map(a), Shape::Map(b)) => {
                let child = self.items(&cx, "{}", |m, t| m.values_of(t));
                self.node(a, b, child);
            }
            (Shape::Object(a), Shape::Object(b)) => self.object(&a, &b, &cx),
            (Shape::Union(a), Shape::Union(b)) => self.union(ot, a, nt, b, &cx),
            _ => {}
        }
    }

    /// The context of the items (or map values) of the use at `cx`.
    pub(super) fn items(
        &self,
        cx: &Cx,
        suffix: &str,
        inner: impl Fn(&Model<'a>, Option<&TypeRef>) -> Option<TypeRef>,
    ) -> Cx {
        let old = inner(&self.old.model, cx.old.as_ref());
        let new = inner(&self.new.model, cx.new.as_ref());
        let what = if suffix == "[]" { "items" } else { "values" };
        Cx {
            old_use: old.as_ref().map(|t| self.old.model.render(t)),
            new_use: new.as_ref().map(|t| self.new.model.render(t)),
            old,
            new,
            label: format!("the {what} of {}", cx.label),
            ..cx.child(suffix, suffix)
        }
    }

    /// `null` became allowed or not.
    fn nullability(&mut self, is_null: bool, cx: &Cx) {
        let rust = self.use_change(cx);
        let (kind, summary, http) = match (cx.dir, is_null) {
            (Request, true) => {
                (Kind::BecameNullable, "may now be `null`", impact(NonBreaking, "requests may now send `null`"))
            }
            (Request, false) => (
                Kind::BecameNonNullable,
                "may no longer be `null`",
                impact(Breaking, "requests that send `null` are rejected"),
            ),
            (Resp, true) => (Kind::BecameNullable, "may now be `null`", impact(Breaking, "clients must handle `null`")),
            (Resp, false) => {
                (Kind::BecameNonNullable, "may no longer be `null`", impact(NonBreaking, "never `null` now"))
            }
        };
        self.record(Found::within(kind, cx, summary).http(http).rust(rust));
    }

    /// The same schema, with another Rust type name.
    fn renamed(&mut self, cx: &Cx) {
        let (Some(o), Some(n)) = (self.old.model.named(cx.old.as_ref()), self.new.model.named(cx.new.as_ref())) else {
            return;
        };
        let (old_name, new_name) = (&self.old.model.def(o).name, &self.new.model.def(n).name);
        if old_name != new_name {
            self.record(
                Found::within(Kind::RustTypeRenamed, cx, format!("Rust type `{old_name}` → `{new_name}`"))
                    .http(impact(NonBreaking, "no change on the wire"))
                    .rust(impact(Breaking, format!("{}: `types::{old_name}` is now `types::{new_name}`", cx.label))),
            );
        }
    }

    /// Shapes of different kinds, classified by whether the new one accepts more or less.
    fn type_changed(&mut self, os: &Shape<'_>, ns: &Shape<'_>, cx: &Cx) {
        let relation = shape::relation(os, ns);
        let http = match (cx.dir, relation) {
            (Request, Relation::Wider) => impact(NonBreaking, "every value accepted before is still accepted"),
            (Request, _) => impact(Breaking, "values that were valid may be rejected"),
            (Resp, Relation::Narrower) => impact(NonBreaking, "every value returned now was possible before"),
            (Resp, _) => impact(Breaking, "clients receive values of the new type"),
        };
        let rust = self.use_change(cx);
        let summary = format!("type {} → {}", shape::describe(self.old.doc, os), shape::describe(self.new.doc, ns));
        self.record(Found::within(Kind::TypeChanged, cx, summary).http(http).rust(rust));
    }

    /// `format`, limits and `default`.
    fn details(&mut self, o: &Schema, n: &Schema, cx: &Cx) {
        let sensitive = |s: &Schema| s.extensions.get("x-sensitive") == Some(&Json::Bool(true));
        if o.format == n.format && sensitive(o) != sensitive(n) {
            // `format: password` is a format change (below); the extension says the same.
            let rust = self.use_change(cx);
            let summary =
                if sensitive(n) { "marked secret (`x-sensitive`)" } else { "no longer secret (`x-sensitive`)" };
            self.record(
                Found::within(Kind::FormatChanged, cx, summary)
                    .http(impact(NonBreaking, "no change on the wire"))
                    .rust(rust),
            );
        }
        if o.format != n.format {
            let f = |s: &Option<String>| s.as_deref().map(code).unwrap_or_else(|| "none".into());
            let rust = self.use_change(cx);
            self.record(
                Found::within(Kind::FormatChanged, cx, format!("format {} → {}", f(&o.format), f(&n.format)))
                    .http(impact(PotentiallyBreaking, "values may be written differently"))
                    .rust(rust),
            );
        }
        let limits = limits(o, n);
        if !limits.is_empty() {
            let severity = limits
                .iter()
                .map(|(_, tighter)| match (cx.dir, tighter) {
                    (_, None) => PotentiallyBreaking,
                    (Request, Some(true)) => Breaking,
                    (Request, Some(false)) => NonBreaking,
                    (Resp, Some(true)) => NonBreaking,
                    (Resp, Some(false)) => PotentiallyBreaking,
                })
                .max()
                .unwrap_or(NonBreaking);
            let note = match (cx.dir, severity) {
                (_, NonBreaking) => "every value that was valid is still valid",
                (Request, Breaking) => "requests that were valid may be rejected",
                (Request, _) => "requests that were valid may be rejected",
                (Resp, _) => "clients may receive values outside the old limits",
            };
            let texts: Vec<&str> = limits.iter().map(|(t, _)| t.as_str()).collect();
            let rust = self.use_change(cx);
            self.record(
                Found::within(Kind::ConstraintChanged, cx, texts.join(", ")).http(impact(severity, note)).rust(rust),
            );
        }
        if o.default != n.default {
            let v = |d: &Option<Json>| d.as_ref().map(|v| code(&shape::value(v))).unwrap_or_else(|| "none".into());
            let http = match cx.dir {
                Request => impact(PotentiallyBreaking, format!("leaving it out now means {}", v(&n.default))),
                Resp => impact(NonBreaking, "documentation only"),
            };
            self.record(
                Found::within(Kind::DefaultChanged, cx, format!("default {} → {}", v(&o.default), v(&n.default)))
                    .http(http)
                    .rust(impact(NonBreaking, "documentation only")),
            );
        }
    }

    /// Enum values added and removed, with the Rust variants they become.
    fn enum_values(&mut self, old: &[Json], new: &[Json], cx: &Cx) {
        let old_enum = self.old.model.enum_of(cx.old.as_ref());
        let new_enum = self.new.model.enum_of(cx.new.as_ref());
        for v in new.iter().filter(|v| !old.contains(v)) {
            let text = shape::value(v);
            let http = match cx.dir {
                Request => impact(NonBreaking, format!("clients may send `{text}`")),
                Resp => impact(PotentiallyBreaking, format!("clients that handle every value must handle `{text}`")),
            };
            let rust = match (new_enum, old_enum) {
                (Some((def, e)), prev) => {
                    let variant =
                        e.variants.iter().find(|x| x.wire == text).map(|x| x.name.clone()).unwrap_or_default();
                    let fallback = match prev.filter(|_| cx.dir == Resp) {
                        Some((old_def, oe)) => format!(
                            "; crates built for the old version decode it as `{}::{}(\"{text}\")`",
                            old_def.name,
                            Model::enum_fallback(oe)
                        ),
                        None => String::new(),
                    };
                    impact(
                        NonBreaking,
                        format!(
                            "`types::{}` gains the variant `{variant}` (the enum is `#[non_exhaustive]`, \
                             so matches already have a wildcard arm){fallback}",
                            def.name
                        ),
                    )
                }
                (None, _) => impact(NonBreaking, format!("{} has no variant per value", cx.label)),
            };
            let summary = format!("new enum value `{text}`");
            self.record(Found::within(Kind::EnumValueAdded, cx, summary).detail(&text).http(http).rust(rust));
        }
        for v in old.iter().filter(|v| !new.contains(v)) {
            let text = shape::value(v);
            let http = match cx.dir {
                Request => impact(Breaking, format!("requests that send `{text}` are rejected")),
                Resp => impact(NonBreaking, format!("`{text}` is no longer returned")),
            };
            let rust = match old_enum {
                Some((def, e)) => {
                    let variant =
                        e.variants.iter().find(|x| x.wire == text).map(|x| x.name.clone()).unwrap_or_default();
                    impact(Breaking, format!("`types::{}::{variant}` is removed", def.name))
                }
                None => impact(NonBreaking, format!("{} has no variant per value", cx.label)),
            };
            let summary = format!("enum value `{text}` removed");
            self.record(Found::within(Kind::EnumValueRemoved, cx, summary).detail(&text).http(http).rust(rust));
        }
    }

    /// Union members added and removed (matched by tag or component), then the kept ones compared.
    fn union(&mut self, ot: &'a Schema, om: &'a [Schema], nt: &'a Schema, nm: &'a [Schema], cx: &Cx) {
        let old_union = self.old.model.union_of(cx.old.as_ref());
        let new_union = self.new.model.union_of(cx.new.as_ref());
        // The tag property as the generator decided it (a `discriminator`, or a property that is
        // a different constant in every member), so that members are matched by the tag the
        // generated union reads.
        let tag = |u: Option<(&TypeDef, &generator::model::Union)>, s: &Schema| {
            u.and_then(|(_, u)| u.tagging.property().map(str::to_owned))
                .or_else(|| s.discriminator.as_ref().map(|d| d.property_name.clone()))
        };
        let old = shape::members(self.old.doc, ot, om, tag(old_union, ot));
        let new = shape::members(self.new.doc, nt, nm, tag(new_union, nt));
        let scalar = |doc: &Document, s: &Schema| match shape::shape(doc, shape::target(doc, s).0) {
            Shape::Scalar(generator::load::InstanceType::String) => Some(TypeRef::String),
            Shape::Scalar(generator::load::InstanceType::Boolean) => Some(TypeRef::Boolean),
            Shape::Scalar(generator::load::InstanceType::Number) => Some(TypeRef::Number),
            Shape::Array(_) => Some(TypeRef::Array(Box::new(TypeRef::Json))),
            _ => None,
        };
        for m in new.iter().filter(|m| !old.iter().any(|o| o.key == m.key)) {
            let http = match cx.dir {
                Request => impact(NonBreaking, "clients may send the new shape"),
                Resp => impact(PotentiallyBreaking, "clients that handle every shape must handle the new one"),
            };
            let rust = match new_union {
                Some((def, u)) => {
                    let t = scalar(self.new.doc, m.schema);
                    let variant = self.new.model.variant(u, &m.tags, m.component.as_deref(), t.as_ref());
                    let name = variant
                        .map(|v| format!("`{}({})`", v.name, self.new.model.render(&v.ty)))
                        .unwrap_or_else(|| "a variant".into());
                    let fallback = match old_union.filter(|_| cx.dir == Resp) {
                        Some((old_def, ou)) => format!(
                            "; crates built for the old version keep it as `{}::{}(serde_json::Value)`",
                            old_def.name,
                            Model::union_fallback(ou)
                        ),
                        None => String::new(),
                    };
                    impact(
                        NonBreaking,
                        format!("`types::{}` gains {name} (the enum is `#[non_exhaustive]`){fallback}", def.name),
                    )
                }
                None => impact(NonBreaking, format!("{} gains a shape", cx.label)),
            };
            let summary = format!("new union member {}", m.label);
            self.record(Found::within(Kind::UnionMemberAdded, cx, summary).detail(&m.key).http(http).rust(rust));
        }
        for m in old.iter().filter(|m| !new.iter().any(|n| n.key == m.key)) {
            let http = match cx.dir {
                Request => impact(Breaking, "requests in that shape are rejected"),
                Resp => impact(NonBreaking, "that shape is no longer returned"),
            };
            let rust = match old_union {
                Some((def, u)) => {
                    let t = scalar(self.old.doc, m.schema);
                    match self.old.model.variant(u, &m.tags, m.component.as_deref(), t.as_ref()) {
                        Some(v) => impact(Breaking, format!("`types::{}::{}` is removed", def.name, v.name)),
                        None => impact(Breaking, format!("a variant of `types::{}` is removed", def.name)),
                    }
                }
                None => impact(NonBreaking, format!("{} loses a shape", cx.label)),
            };
            let summary = format!("union member {} removed", m.label);
            self.record(Found::within(Kind::UnionMemberRemoved, cx, summary).detail(&m.key).http(http).rust(rust));
        }
        for m in &new {
            let Some(o) = old.iter().find(|o| o.key == m.key) else { continue };
            let ov = old_union.and_then(|(_, u)| {
                self.old.model.variant(u, &o.tags, o.component.as_deref(), scalar(self.old.doc, o.schema).as_ref())
            });
            let nv = new_union.and_then(|(_, u)| {
                self.new.model.variant(u, &m.tags, m.component.as_deref(), scalar(self.new.doc, m.schema).as_ref())
            });
            let segment = format!("<{}>", m.key);
            let label = match (nv, new_union) {
                (Some(v), Some((def, _))) => format!("`types::{}::{}`", def.name, v.name),
                _ => format!("a variant of {}", cx.label),
            };
            let child = Cx {
                old: ov.map(|v| v.ty.clone()),
                new: nv.map(|v| v.ty.clone()),
                old_use: ov.map(|v| self.old.model.render(&v.ty)),
                new_use: nv.map(|v| self.new.model.render(&v.ty)),
                label,
                ..cx.child(&segment, &segment)
            };
            self.node(o.schema, m.schema, child);
        }
    }

    /// Properties added, removed, required or not, then each kept one compared.
    fn object(&mut self, a: &Object<'a>, b: &Object<'a>, cx: &Cx) {
        let old_struct = self.old.model.struct_of(cx.old.as_ref());
        let new_struct = self.new.model.struct_of(cx.new.as_ref());
        let field = |s: Option<(&'a TypeDef, &'a Struct)>, wire: &str| {
            s.and_then(|(def, st)| st.fields.iter().find(|f| f.wire == wire).map(|f| (def, st, f)))
        };
        let names: Vec<&'a str> = a
            .properties
            .keys()
            .chain(b.properties.keys().filter(|k| !a.properties.contains_key(*k)))
            .copied()
            .collect();
        for name in names {
            let loc = format!("{}.{name}", cx.loc);
            let at = format!("{}.{name}", cx.at);
            let of = field(old_struct, name);
            let nf = field(new_struct, name);
            match (a.properties.get(name).copied(), b.properties.get(name).copied()) {
                (None, Some(p)) => self.property_added(name, p, b.requires(name), old_struct, nf, &loc, &at, cx.dir),
                (Some(_), None) => {
                    let http = match cx.dir {
                        Request if matches!(b.extra, Extra::Forbidden) => {
                            impact(Breaking, format!("requests that still send `{name}` are rejected"))
                        }
                        Request => impact(PotentiallyBreaking, format!("`{name}` is ignored or rejected if sent")),
                        Resp if a.requires(name) => {
                            impact(Breaking, format!("clients that read `{name}` no longer find it"))
                        }
                        Resp => impact(PotentiallyBreaking, format!("clients that read `{name}` no longer find it")),
                    };
                    let rust = match of {
                        Some((def, _, f)) => {
                            impact(Breaking, format!("field `types::{}::{}` is removed", def.name, f.name))
                        }
                        None => impact(Breaking, "a field is removed"),
                    };
                    let summary = format!("property `{name}` removed");
                    self.record(
                        Found::new(Kind::PropertyRemoved, &loc, summary).dir(cx.dir).at(&at).http(http).rust(rust),
                    );
                }
                (Some(op), Some(np)) => {
                    let label = match (nf, of) {
                        (Some((def, _, f)), _) | (None, Some((def, _, f))) => {
                            format!("`types::{}::{}`", def.name, f.name)
                        }
                        _ => format!("the `{name}` field of {}", cx.label),
                    };
                    let child = Cx {
                        dir: cx.dir,
                        loc: loc.clone(),
                        at: at.clone(),
                        old: of.map(|(_, _, f)| f.ty.clone()),
                        new: nf.map(|(_, _, f)| f.ty.clone()),
                        label,
                        old_use: of.map(|(_, _, f)| self.old.model.render_field(f)),
                        new_use: nf.map(|(_, _, f)| self.new.model.render_field(f)),
                    };
                    let (was, is) = (a.requires(name), b.requires(name));
                    if was != is {
                        self.required_changed(name, is, of, nf, &child);
                    }
                    self.node(op, np, child);
                }
                (None, None) => {}
            }
        }
        self.extra(a, b, old_struct, new_struct, cx);
    }

    #[allow(clippy::too_many_arguments)]
    /// A new property, classified by whether callers must now supply it.
    fn property_added(
        &mut self,
        name: &str,
        schema: &Schema,
        required: bool,
        old_struct: Option<(&'a TypeDef, &'a Struct)>,
        new_field: Option<(&'a TypeDef, &'a Struct, &'a Field)>,
        loc: &str,
        at: &str,
        dir: Direction,
    ) {
        let described =
            shape::describe(self.new.doc, &shape::shape(self.new.doc, shape::target(self.new.doc, schema).0));
        let what = if required { "required" } else { "optional" };
        let summary = format!("new {what} property `{name}` ({described})");
        let http = match (dir, required) {
            (Request, true) => impact(Breaking, format!("requests without `{name}` are rejected")),
            (Request, false) => impact(NonBreaking, "an optional property"),
            (Resp, _) => impact(NonBreaking, "clients that ignore unknown properties are unaffected"),
        };
        let rust = match new_field {
            Some((def, st, f)) => {
                let ty = self.new.model.render_field(f);
                let field = format!("`types::{}::{}: {ty}`", def.name, f.name);
                if must_supply(f) {
                    // Code that builds the struct breaks when its `new` or `Default` changes, in
                    // requests and responses alike; built from `Default`, it still compiles.
                    match (self.construction_change(old_struct, Some((def, st)), &f.name), dir) {
                        (Some(how), _) => {
                            let whom = if dir == Request { "callers" } else { "code that builds the struct" };
                            impact(Breaking, format!("new field {field} that {whom} must supply: {how}"))
                        }
                        (None, Request) => impact(
                            PotentiallyBreaking,
                            format!(
                                "new field {field} that callers must supply; code that builds `{}` from \
                                 `default()` still compiles, and requests without it are rejected",
                                def.name
                            ),
                        ),
                        (None, Resp) => impact(
                            NonBreaking,
                            format!(
                                "new field {field}; code that builds `{}` from `default()` still compiles",
                                def.name
                            ),
                        ),
                    }
                } else {
                    let kept = match old_struct {
                        Some((old_def, Struct { extra: generator::model::Extra::Kept(extra), .. })) if dir == Resp => {
                            format!("; crates built for the old version keep it in `{}::{extra}`", old_def.name)
                        }
                        _ => String::new(),
                    };
                    impact(
                        NonBreaking,
                        format!(
                            "new field {field} and its setter (code that builds `{}` with `new` or `default()` \
                             is unaffected){kept}",
                            def.name
                        ),
                    )
                }
            }
            None => impact(NonBreaking, "no Rust field"),
        };
        self.record(Found::new(Kind::PropertyAdded, loc, summary).dir(dir).at(at).http(http).rust(rust));
    }

    /// A property became required or optional.
    fn required_changed(
        &mut self,
        name: &str,
        required: bool,
        old_field: Option<(&'a TypeDef, &'a Struct, &'a Field)>,
        new_field: Option<(&'a TypeDef, &'a Struct, &'a Field)>,
        cx: &Cx,
    ) {
        let (kind, summary, http) = match (cx.dir, required) {
            (Request, true) => (
                Kind::PropertyBecameRequired,
                format!("property `{name}` became required"),
                impact(Breaking, format!("requests without `{name}` are rejected")),
            ),
            (Request, false) => (
                Kind::PropertyBecameOptional,
                format!("property `{name}` became optional"),
                impact(NonBreaking, "requests may leave it out"),
            ),
            (Resp, true) => (
                Kind::PropertyBecameRequired,
                format!("property `{name}` became required"),
                impact(NonBreaking, "it is always present now"),
            ),
            (Resp, false) => (
                Kind::PropertyBecameOptional,
                format!("property `{name}` became optional"),
                impact(Breaking, "clients must handle its absence"),
            ),
        };
        let mut rust = self.use_change(cx);
        // Whether code that builds the struct is affected (its `new` or `Default`).
        if let (Some((od, ost, _)), Some((nd, nst, nf))) = (old_field, new_field) {
            if let Some(how) = self.construction_change(Some((od, ost)), Some((nd, nst)), &nf.name) {
                rust.note.push_str(&format!("; {how}"));
                rust.severity = Breaking;
            }
        }
        self.record(Found::within(kind, cx, summary).http(http).rust(rust));
    }

    /// What changes for code that builds a struct, between its old and new version, because of
    /// its field `field` (the model's [`generator::model::Construction`]): a field of its
    /// required-fields struct (or the argument of `new`) added, removed or of another type, the
    /// form of `new` changed, `new` gone, or `Default` gone. `None` when such code still compiles
    /// (`new` appearing is an addition).
    fn construction_change(
        &self,
        old: Option<(&'a TypeDef, &'a Struct)>,
        new: Option<(&'a TypeDef, &'a Struct)>,
        field: &str,
    ) -> Option<String> {
        let ((od, os), (nd, ns)) = (old?, new?);
        let name = &nd.name;
        let before = self.old.model.constructor_signature(od, os);
        let after = self.new.model.constructor_signature(nd, ns);
        let mut how = Vec::new();
        let (a, b) = (&before.args, &after.args);
        let has = |args: &[(String, String)], n: &str| args.iter().any(|(m, _)| m == n);
        // Where the supplied fields are written, before and after: `new`'s argument or a field
        // of the required-fields struct.
        let place = |required: &Option<String>| match required {
            Some(r) => format!("`{r}`"),
            None => format!("`{name}::new`"),
        };
        if a != b && (has(a, field) || has(b, field)) {
            if before.required != after.required && !a.is_empty() && !b.is_empty() {
                how.push(match (&before.required, &after.required) {
                    (None, Some(r)) => format!("`{name}::new` now takes a `{r}` of its required fields"),
                    (Some(r), None) => format!("`{name}::new` now takes its one required field (`{r}` is gone)"),
                    (Some(r), Some(s)) => format!("`{name}::new` now takes a `{s}` (was `{r}`)"),
                    (None, None) => unreachable!("the forms differ"),
                });
            } else if has(b, field) && !has(a, field) {
                how.push(match &after.required {
                    Some(r) => format!("`{r}` gains the field `{field}`"),
                    None if a.is_empty() => format!("`{name}::new({field})` is how it is built now"),
                    None => format!("`{name}::new` takes `{field}`"),
                });
            } else if has(a, field) && !has(b, field) {
                how.push(if b.is_empty() {
                    format!("`{name}::new` is gone (no field must be supplied): build it with `{name}::default()`")
                } else {
                    format!("{} loses the field `{field}`", place(&after.required))
                });
            }
            for (n, t) in b.iter().filter(|(n, _)| n == field) {
                if let Some((_, was)) = a.iter().find(|(m, w)| m == n && w != t) {
                    how.push(format!("`{n}` of {} is now `{t}` (was `{was}`)", place(&after.required)));
                }
            }
        }
        if od.default && !nd.default {
            how.push(format!("`{name}` no longer implements `Default`"));
        }
        (!how.is_empty()).then(|| how.join("; "))
    }

    /// What an object allows beyond its properties.
    fn extra(
        &mut self,
        a: &Object<'a>,
        b: &Object<'a>,
        old_struct: Option<(&'a TypeDef, &'a Struct)>,
        new_struct: Option<(&'a TypeDef, &'a Struct)>,
        cx: &Cx,
    ) {
        let rust = || match (old_struct, new_struct) {
            (Some((od, os)), Some((nd, ns))) => {
                let (was, is) = (self.old.model.render_extra(os), self.new.model.render_extra(ns));
                let field = |def: &TypeDef, (name, ty): &(String, String)| {
                    format!("field `types::{}::{name}` (`{ty}`)", def.name)
                };
                match (was, is) {
                    (Some(w), Some(i)) if w == i => impact(NonBreaking, format!("{} is unchanged", field(nd, &w))),
                    (Some(w), Some(i)) => impact(Breaking, format!("{} is now `{}: {}`", field(od, &w), i.0, i.1)),
                    (Some(w), None) => impact(Breaking, format!("{} is removed", field(od, &w))),
                    (None, Some(i)) => impact(NonBreaking, format!("new {}", field(nd, &i))),
                    (None, None) => impact(NonBreaking, "no Rust field holds properties not described"),
                }
            }
            _ => impact(NonBreaking, "no Rust struct"),
        };
        match (a.extra, b.extra) {
            (Extra::Typed(x), Extra::Typed(y)) => {
                let child = self.items(cx, "{}", |m, t| {
                    m.struct_of(t).and_then(|(_, s)| match &s.extra {
                        generator::model::Extra::Typed(_, t) => Some(t.clone()),
                        _ => None,
                    })
                });
                self.node(x, y, child);
            }
            (Extra::Allowed, Extra::Allowed) | (Extra::Forbidden, Extra::Forbidden) => {}
            (was, is) => {
                let http = match (cx.dir, was, is) {
                    (Request, _, Extra::Forbidden) | (Request, Extra::Allowed, Extra::Typed(_)) => {
                        impact(PotentiallyBreaking, "requests with properties not described are rejected")
                    }
                    (Resp, Extra::Typed(_), Extra::Allowed) => {
                        impact(PotentiallyBreaking, "responses may carry properties of any type")
                    }
                    _ => impact(NonBreaking, "accepts what it accepted before"),
                };
                let summary = format!("properties not described: {} → {}", was.describe(), is.describe());
                let rust = rust();
                self.record(Found::within(Kind::AdditionalPropertiesChanged, cx, summary).http(http).rust(rust));
            }
        }
    }
}

/// Changed limits, each with whether it accepts less (`Some(true)`), more (`Some(false)`), or
/// cannot tell (`None`).
fn limits(o: &Schema, n: &Schema) -> Vec<(String, Option<bool>)> {
    let mut out = Vec::new();
    let num = |v: Option<f64>| v.map(|v| if v.fract() == 0.0 { format!("{}", v as i64) } else { v.to_string() });
    let mut upper = |name: &str, a: Option<f64>, b: Option<f64>| {
        if a != b {
            let tighter = match (a, b) {
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(x), Some(y)) => y < x,
                (None, None) => false,
            };
            out.push((
                format!("`{name}` {} → {}", num(a).unwrap_or("none".into()), num(b).unwrap_or("none".into())),
                Some(tighter),
            ));
        }
    };
    upper("maxLength", o.max_length.map(|v| v as f64), n.max_length.map(|v| v as f64));
    upper("maximum", o.maximum, n.maximum);
    upper("exclusiveMaximum", o.exclusive_maximum, n.exclusive_maximum);
    upper("maxItems", o.max_items.map(|v| v as f64), n.max_items.map(|v| v as f64));
    let mut lower = |name: &str, a: Option<f64>, b: Option<f64>| {
        if a != b {
            let tighter = match (a, b) {
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(x), Some(y)) => y > x,
                (None, None) => false,
            };
            out.push((
                format!("`{name}` {} → {}", num(a).unwrap_or("none".into()), num(b).unwrap_or("none".into())),
                Some(tighter),
            ));
        }
    };
    lower("minLength", o.min_length.map(|v| v as f64), n.min_length.map(|v| v as f64));
    lower("minimum", o.minimum, n.minimum);
    lower("exclusiveMinimum", o.exclusive_minimum, n.exclusive_minimum);
    lower("minItems", o.min_items.map(|v| v as f64), n.min_items.map(|v| v as f64));
    if o.multiple_of != n.multiple_of {
        out.push((
            format!(
                "`multipleOf` {} → {}",
                num(o.multiple_of).unwrap_or("none".into()),
                num(n.multiple_of).unwrap_or("none".into())
            ),
            None,
        ));
    }
    if o.pattern != n.pattern {
        let p = |s: &Option<String>| s.as_deref().map(|p| format!("`{p}`")).unwrap_or_else(|| "none".into());
        let tighter = match (&o.pattern, &n.pattern) {
            (None, Some(_)) => Some(true),
            (Some(_), None) => Some(false),
            _ => None,
        };
        out.push((format!("`pattern` {} → {}", p(&o.pattern), p(&n.pattern)), tighter));
    }
    if o.unique_items != n.unique_items {
        out.push((format!("`uniqueItems` {} → {}", o.unique_items, n.unique_items), Some(n.unique_items)));
    }
    out
}
