//! The OpenAPI document as the generator reads it: the parts that shape a Rust client, for
//! OpenAPI 3.0, 3.1 and 3.2 (3.2 extends 3.1; its new features are read where they map onto
//! this model and reported with a warning where they do not).
//!
//! Why not `openapiv3`: that crate models OpenAPI 3.0 only. On a 3.1 description it cannot hold
//! `type: ["string", "null"]`, `const`, `{type: "null"}` union members, `$ref` with sibling
//! keywords or `examples` arrays, and each of those changes the Rust types (nullability, tags of
//! unions, documentation). This model holds the JSON Schema 2020-12 subset OpenAPI 3.1 uses, and
//! the `normalize` stage folds the 3.0 spellings (`nullable: true`, `example`, boolean
//! `exclusiveMinimum`) into it, so later stages see one form.

use indexmap::IndexMap;
use serde_json::Value as Json;

/// A whole OpenAPI document.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The `openapi` field, e.g. `3.1.0`.
    pub openapi: String,
    /// Title, version and description of the API.
    pub info: Info,
    /// The servers, first one is the default.
    pub servers: Vec<Server>,
    /// Tags in declared order, with descriptions.
    pub tags: Vec<Tag>,
    /// Paths in declared order.
    pub paths: IndexMap<String, PathItem>,
    /// Reusable components.
    pub components: Components,
    /// Security requirements that apply to every operation unless it says otherwise.
    pub security: Vec<SecurityRequirement>,
    /// `webhooks` (3.1): the requests the API sends, by name, each a path item whose operation's
    /// request body is what arrives.
    pub webhooks: IndexMap<String, PathItem>,
    /// The document's own `x-` extensions (`x-webhook-signature`), as JSON.
    pub extensions: IndexMap<String, Json>,
    /// What the loader passed over.
    pub warnings: Vec<crate::error::Warning>,
    /// What could not be read at all, each item alone (the rest of the document is read).
    pub skipped: Vec<crate::error::Skipped>,
}

/// `info`.
#[derive(Debug, Clone, Default)]
pub struct Info {
    /// The API's name.
    pub title: String,
    /// The API version (`2026-01-01.nova`), not the spec format version.
    pub version: String,
    /// A markdown description.
    pub description: Option<String>,
}

/// One entry of `servers`.
#[derive(Debug, Clone, Default)]
pub struct Server {
    /// Where it is declared.
    pub pointer: String,
    /// The base URL, each `{variable}` replaced by its default.
    pub url: String,
    /// What the server is.
    pub description: Option<String>,
}

/// One entry of `tags`.
#[derive(Debug, Clone, Default)]
pub struct Tag {
    /// The tag name as operations use it.
    pub name: String,
    /// A markdown description.
    pub description: Option<String>,
}

/// A security requirement: scheme name -> scopes.
pub type SecurityRequirement = IndexMap<String, Vec<String>>;

/// `components`.
#[derive(Debug, Clone, Default)]
pub struct Components {
    /// Named schemas.
    pub schemas: IndexMap<String, Schema>,
    /// Named parameters.
    pub parameters: IndexMap<String, Parameter>,
    /// Named request bodies.
    pub request_bodies: IndexMap<String, RequestBody>,
    /// Named responses.
    pub responses: IndexMap<String, Response>,
    /// Named headers.
    pub headers: IndexMap<String, Header>,
    /// Named security schemes.
    pub security_schemes: IndexMap<String, SecurityScheme>,
}

/// A `securitySchemes` entry.
#[derive(Debug, Clone, Default)]
pub struct SecurityScheme {
    /// Where it is declared.
    pub pointer: String,
    /// `http`, `apiKey`, `oauth2`, `openIdConnect`, `mutualTLS`.
    pub kind: String,
    /// For `http`: `bearer`, `basic`...
    pub scheme: Option<String>,
    /// For `apiKey`: the header, query or cookie name.
    pub name: Option<String>,
    /// For `apiKey`: `header`, `query` or `cookie`.
    pub location: Option<String>,
    /// A markdown description.
    pub description: Option<String>,
}

/// Either an inline item or a reference to a component.
#[derive(Debug, Clone)]
pub enum RefOr<T> {
    /// `{"$ref": "#/components/..."}`.
    Ref {
        /// The reference as written.
        reference: String,
        /// Where the `$ref` is.
        pointer: String,
        /// A `description` beside the `$ref` (3.1), which overrides the target's.
        description: Option<String>,
    },
    /// The item itself.
    Item(T),
}

/// The HTTP methods an operation can have, in the order the generator lists them.
pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// A path with its operations.
#[derive(Debug, Clone, Default)]
pub struct PathItem {
    /// Where it is declared.
    pub pointer: String,
    /// Parameters shared by every operation of the path.
    pub parameters: Vec<RefOr<Parameter>>,
    /// `(method, operation)` in the order of [`METHODS`].
    pub operations: Vec<(String, Operation)>,
}

/// One operation.
#[derive(Debug, Clone, Default)]
pub struct Operation {
    /// Where it is declared.
    pub pointer: String,
    /// `operationId`, when given.
    pub operation_id: Option<String>,
    /// A one-line summary.
    pub summary: Option<String>,
    /// A markdown description.
    pub description: Option<String>,
    /// The tags, first one groups the operation.
    pub tags: Vec<String>,
    /// The operation's own parameters.
    pub parameters: Vec<RefOr<Parameter>>,
    /// The request body.
    pub request_body: Option<RefOr<RequestBody>>,
    /// Responses by status code (`200`, `4XX`, `default`), in declared order.
    pub responses: IndexMap<String, RefOr<Response>>,
    /// Whether the operation is deprecated.
    pub deprecated: bool,
    /// `x-rust-method`: the method name the spec's maintainers give the operation, over the
    /// one the naming rules would derive from its `operationId`.
    pub rust_method: Option<String>,
    /// Security requirements overriding the document's.
    pub security: Option<Vec<SecurityRequirement>>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParameterLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In a cookie.
    Cookie,
}

impl ParameterLocation {
    /// The name the spec uses (`path`, `query`, `header`, `cookie`).
    pub fn as_str(self) -> &'static str {
        match self {
            ParameterLocation::Path => "path",
            ParameterLocation::Query => "query",
            ParameterLocation::Header => "header",
            ParameterLocation::Cookie => "cookie",
        }
    }
}

/// A parameter.
#[derive(Debug, Clone)]
pub struct Parameter {
    /// Where it is declared.
    pub pointer: String,
    /// The wire name.
    pub name: String,
    /// Where it goes.
    pub location: ParameterLocation,
    /// Whether it must be sent.
    pub required: bool,
    /// A markdown description.
    pub description: Option<String>,
    /// Its schema.
    pub schema: Option<Schema>,
    /// `style` (`form`, `simple`, `deepObject`...).
    pub style: Option<String>,
    /// `explode`.
    pub explode: Option<bool>,
    /// Examples (from `example` and `examples`).
    pub examples: Vec<Json>,
    /// Whether it is deprecated.
    pub deprecated: bool,
}

/// A request body.
#[derive(Debug, Clone, Default)]
pub struct RequestBody {
    /// Where it is declared.
    pub pointer: String,
    /// A markdown description.
    pub description: Option<String>,
    /// Whether a body must be sent.
    pub required: bool,
    /// Media type -> content.
    pub content: IndexMap<String, MediaType>,
}

/// A response.
#[derive(Debug, Clone, Default)]
pub struct Response {
    /// Where it is declared.
    pub pointer: String,
    /// A markdown description.
    pub description: Option<String>,
    /// Media type -> content.
    pub content: IndexMap<String, MediaType>,
    /// Response headers by name.
    pub headers: IndexMap<String, RefOr<Header>>,
}

/// A response header.
#[derive(Debug, Clone, Default)]
pub struct Header {
    /// Where it is declared.
    pub pointer: String,
    /// Whether the response always has it.
    pub required: bool,
    /// A markdown description.
    pub description: Option<String>,
    /// Its schema.
    pub schema: Option<Schema>,
}

/// The content of one media type.
#[derive(Debug, Clone, Default)]
pub struct MediaType {
    /// Where it is declared.
    pub pointer: String,
    /// Its schema.
    pub schema: Option<Schema>,
    /// Examples (from `example` and `examples`).
    pub examples: Vec<Json>,
    /// How properties of a form or multipart body are encoded, by property name.
    pub encoding: IndexMap<String, Encoding>,
}

/// The `encoding` of one property of a form or multipart body.
#[derive(Debug, Clone, Default)]
pub struct Encoding {
    /// Where it is declared.
    pub pointer: String,
    /// `contentType`: the media type of the part.
    pub content_type: Option<String>,
    /// `style` (`form`, `deepObject`...).
    pub style: Option<String>,
    /// `explode`.
    pub explode: Option<bool>,
}

/// The JSON types a schema can allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InstanceType {
    /// `null`.
    Null,
    /// `boolean`.
    Boolean,
    /// `integer`.
    Integer,
    /// `number`.
    Number,
    /// `string`.
    String,
    /// `array`.
    Array,
    /// `object`.
    Object,
}

impl InstanceType {
    /// Parses a JSON Schema type name.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "null" => Self::Null,
            "boolean" => Self::Boolean,
            "integer" => Self::Integer,
            "number" => Self::Number,
            "string" => Self::String,
            "array" => Self::Array,
            "object" => Self::Object,
            _ => return None,
        })
    }

    /// The JSON Schema name of the type.
    pub fn name(self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Boolean => "boolean",
            Self::Integer => "integer",
            Self::Number => "number",
            Self::String => "string",
            Self::Array => "array",
            Self::Object => "object",
        }
    }
}

/// A `discriminator`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Discriminator {
    /// The property that holds the tag.
    pub property_name: String,
    /// Tag value -> `$ref`, in declared order.
    pub mapping: IndexMap<String, String>,
}

/// A schema: the JSON Schema 2020-12 subset used by OpenAPI 3.1 (3.0 forms are normalised into it).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schema {
    /// Where it is declared (not part of its meaning: two schemas at different places can be equal).
    pub pointer: String,
    /// `$ref`.
    pub reference: Option<String>,
    /// `type` (a string or an array in the spec); after normalisation never holds `Null`
    /// unless it is the only type.
    pub types: Vec<InstanceType>,
    /// Whether `null` is allowed (set by normalisation from every spelling of it).
    pub nullable: bool,
    /// `format`.
    pub format: Option<String>,
    /// `contentMediaType` (3.1): the media type of a string's content.
    pub content_media_type: Option<String>,
    /// `contentEncoding` (3.1): how a string encodes its content (`base64`).
    pub content_encoding: Option<String>,
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `default`.
    pub default: Option<Json>,
    /// `const`.
    pub constant: Option<Json>,
    /// `enum`.
    pub enumeration: Option<Vec<Json>>,
    /// `properties`, in declared order.
    pub properties: IndexMap<String, Schema>,
    /// `required`.
    pub required: Vec<String>,
    /// `additionalProperties` (`true` is the empty schema, `false` a schema with `never`).
    pub additional_properties: Option<Box<Schema>>,
    /// `items`: after `prefixItems`, the items that follow them (`false`: none may).
    pub items: Option<Box<Schema>>,
    /// `prefixItems` (3.1): the first items of an array, one schema each (a tuple).
    pub prefix_items: Vec<Schema>,
    /// `oneOf`.
    pub one_of: Vec<Schema>,
    /// `anyOf`.
    pub any_of: Vec<Schema>,
    /// `allOf`.
    pub all_of: Vec<Schema>,
    /// `discriminator`.
    pub discriminator: Option<Discriminator>,
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum` (a number; 3.0's boolean form is normalised into it).
    pub exclusive_minimum: Option<f64>,
    /// `exclusiveMaximum` (a number; 3.0's boolean form is normalised into it).
    pub exclusive_maximum: Option<f64>,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `pattern`.
    pub pattern: Option<String>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `uniqueItems`.
    pub unique_items: bool,
    /// `readOnly`.
    pub read_only: bool,
    /// `writeOnly`.
    pub write_only: bool,
    /// `deprecated`.
    pub deprecated: bool,
    /// `examples` (3.0's `example` is normalised into it).
    pub examples: Vec<Json>,
    /// The `false` schema: no value is valid.
    pub never: bool,
    /// `x-` extensions.
    pub extensions: IndexMap<String, Json>,
    /// Numbers as the spec writes them where the value read does not hold them exactly
    /// (integers beyond 53 bits): by keyword (`minimum`, `maxLength`, `default`, `const`), or
    /// keyword and index (`enum/2`, `examples/0`).
    pub number_text: std::collections::BTreeMap<String, String>,
    /// 3.0 only, folded into `nullable` by normalisation.
    pub legacy_nullable: bool,
    /// 3.0 only, folded into `examples` by normalisation.
    pub legacy_example: Option<Json>,
    /// 3.0 only: boolean `exclusiveMinimum`, folded by normalisation.
    pub legacy_exclusive_minimum: bool,
    /// 3.0 only: boolean `exclusiveMaximum`, folded by normalisation.
    pub legacy_exclusive_maximum: bool,
}

/// The child schemas of a schema, listed once for [`Schema::children`] and
/// [`Schema::children_mut`]: `$values`, `$iter` and `$as_deref` are the by-reference or mutable
/// accessors of maps, lists and boxes.
macro_rules! children {
    ($s:expr, $values:ident, $iter:ident, $as_deref:ident) => {
        $s.properties
            .$values()
            .chain($s.one_of.$iter())
            .chain($s.any_of.$iter())
            .chain($s.all_of.$iter())
            .chain($s.prefix_items.$iter())
            .chain($s.items.$as_deref())
            .chain($s.additional_properties.$as_deref())
    };
}

impl Schema {
    /// Whether the schema is raw bytes: `type: string` with `format: binary` (3.0), or with a
    /// `contentMediaType` that is not text and no `contentEncoding` (3.1).
    pub fn is_bytes(&self) -> bool {
        let binary_media = self.content_media_type.as_deref().is_some_and(|m| {
            let m = m.to_ascii_lowercase();
            !(m.starts_with("text/") || m.contains("json") || m.contains("xml"))
        });
        self.types == [InstanceType::String]
            && (self.format.as_deref() == Some("binary") || (binary_media && self.content_encoding.is_none()))
    }

    /// Whether the schema says nothing at all about its instances (`{}` or `true`).
    pub fn is_any(&self) -> bool {
        self.reference.is_none()
            && self.types.is_empty()
            && !self.nullable
            && self.constant.is_none()
            && self.enumeration.is_none()
            && self.properties.is_empty()
            && self.additional_properties.is_none()
            && self.items.is_none()
            && self.prefix_items.is_empty()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && self.all_of.is_empty()
            && !self.never
    }

    /// The one string the schema allows (`const`, or an `enum` of one), if any.
    pub fn string_constant(&self) -> Option<&str> {
        match (&self.constant, &self.enumeration) {
            (Some(c), _) => c.as_str(),
            (None, Some(values)) if values.len() == 1 => values[0].as_str(),
            _ => None,
        }
    }

    /// This schema with every `pointer` cleared, for comparing shapes.
    pub fn shape(&self) -> Schema {
        let mut s = self.clone();
        s.clear_pointers();
        s
    }

    fn clear_pointers(&mut self) {
        self.pointer.clear();
        for s in self.children_mut() {
            s.clear_pointers();
        }
    }

    /// The schemas directly inside this one: properties, `oneOf`, `anyOf`, `allOf`,
    /// `prefixItems`, `items`, `additionalProperties`, in that order.
    pub fn children(&self) -> impl Iterator<Item = &Schema> {
        children!(self, values, iter, as_deref)
    }

    /// [`Schema::children`], mutably.
    pub fn children_mut(&mut self) -> impl Iterator<Item = &mut Schema> {
        children!(self, values_mut, iter_mut, as_deref_mut)
    }
}
