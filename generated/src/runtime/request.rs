//! [`ApiRequest`]: everything one API call sends, built by the generated operation functions.

use std::fmt;

use bytes::Bytes;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::Method;
use serde::Serialize;

use super::error::Error;

/// Everything but the RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`).
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes a value so that it stays one path segment: `a/b?c#d` becomes `a%2Fb%3Fc%23d`.
///
/// Only the RFC 3986 unreserved characters are left as they are; non-ASCII text is encoded as UTF-8.
pub fn encode_path_segment(segment: &str) -> String {
    utf8_percent_encode(segment, PATH_SEGMENT).to_string()
}

/// The text of a parameter value that is not a scalar: a string as it is, anything else as JSON.
pub fn param_text<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// The values of a list parameter sent as one value: their texts joined by `separator`.
pub fn list_text<V: ToString>(values: impl IntoIterator<Item = V>, separator: &str) -> String {
    values.into_iter().map(|v| v.to_string()).collect::<Vec<_>>().join(separator)
}

/// A body that has already been serialised, with its content type.
#[derive(Clone)]
pub(crate) struct Body {
    pub(crate) content_type: &'static str,
    pub(crate) bytes: Bytes,
}

/// One API call: method, encoded path, query pairs, extra headers and body.
///
/// Generated operation functions build these and hand them to [`Client::execute`](super::Client::execute);
/// authentication, the version header, retries and error mapping are added by the client.
#[derive(Clone)]
pub struct ApiRequest {
    pub(crate) method: Method,
    pub(crate) path: String,
    /// The path as the spec writes it (`/v2/conversations/{id}`), for traces.
    pub(crate) template: &'static str,
    pub(crate) operation_id: &'static str,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Option<Body>,
}

impl ApiRequest {
    /// Starts a request. `path` must already be percent-encoded (see [`encode_path_segment`]) and
    /// start with `/`; it is appended to the client's base URL.
    pub fn new(method: Method, path: impl Into<String>, operation_id: &'static str) -> Self {
        Self {
            method,
            path: path.into(),
            template: "",
            operation_id,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// Starts the request of an operation whose path the spec writes as `template`
    /// (`/v2/conversations/{id}`): each `{name}` in it is filled by [`path_param`](Self::path_param).
    pub fn templated(method: Method, template: &'static str, operation_id: &'static str) -> Self {
        Self::new(method, template, operation_id).template(template)
    }

    /// A `GET` request of an operation (see [`templated`](Self::templated)).
    pub fn get(template: &'static str, operation_id: &'static str) -> Self {
        Self::templated(Method::GET, template, operation_id)
    }

    /// A `POST` request of an operation (see [`templated`](Self::templated)).
    pub fn post(template: &'static str, operation_id: &'static str) -> Self {
        Self::templated(Method::POST, template, operation_id)
    }

    /// A `PUT` request of an operation (see [`templated`](Self::templated)).
    pub fn put(template: &'static str, operation_id: &'static str) -> Self {
        Self::templated(Method::PUT, template, operation_id)
    }

    /// A `PATCH` request of an operation (see [`templated`](Self::templated)).
    pub fn patch(template: &'static str, operation_id: &'static str) -> Self {
        Self::templated(Method::PATCH, template, operation_id)
    }

    /// A `DELETE` request of an operation (see [`templated`](Self::templated)).
    pub fn delete(template: &'static str, operation_id: &'static str) -> Self {
        Self::templated(Method::DELETE, template, operation_id)
    }

    /// Fills the path parameter `{name}` with `value`, percent-encoded so that it stays one
    /// segment (see [`encode_path_segment`]).
    pub fn path_param(mut self, name: &str, value: impl ToString) -> Self {
        let encoded = encode_path_segment(&value.to_string());
        self.path = self.path.replace(&format!("{{{name}}}"), &encoded);
        self
    }

    /// The path as the spec writes it (`/v2/conversations/{id}`): what traces show instead of
    /// the path with its values.
    pub fn template(mut self, template: &'static str) -> Self {
        self.template = template;
        self
    }

    /// Adds the query parameter `name=value`.
    pub fn query(mut self, name: &'static str, value: impl ToString) -> Self {
        self.query.push((name, value.to_string()));
        self
    }

    /// Adds the query parameter `name=value` when `value` is `Some`; does nothing for `None`.
    pub fn query_opt(self, name: &'static str, value: Option<impl ToString>) -> Self {
        match value {
            Some(value) => self.query(name, value),
            None => self,
        }
    }

    /// Adds one query parameter whose value is the comma-joined `values` (`name=a,b,c`);
    /// does nothing when `values` is empty.
    pub fn query_csv<V: ToString>(self, name: &'static str, values: impl IntoIterator<Item = V>) -> Self {
        let joined = values.into_iter().map(|v| v.to_string()).collect::<Vec<_>>().join(",");
        if joined.is_empty() {
            self
        } else {
            self.query(name, joined)
        }
    }

    /// Adds the query parameter once per value (`name=a&name=b`); does nothing when `values` is empty.
    pub fn query_multi<V: ToString>(mut self, name: &'static str, values: impl IntoIterator<Item = V>) -> Self {
        self.query.extend(values.into_iter().map(|v| (name, v.to_string())));
        self
    }

    /// Adds a request header. A name or value that is not valid in HTTP makes the call fail with
    /// [`Error::InvalidRequest`].
    pub fn header(mut self, name: &'static str, value: impl ToString) -> Self {
        self.headers.push((name, value.to_string()));
        self
    }

    /// Adds the request header when `value` is `Some`; does nothing for `None`.
    pub fn header_opt(self, name: &'static str, value: Option<impl ToString>) -> Self {
        match value {
            Some(value) => self.header(name, value),
            None => self,
        }
    }

    /// Adds the cookie when `value` is `Some`; does nothing for `None`.
    pub fn cookie_opt(self, name: &str, value: Option<impl ToString>) -> Self {
        match value {
            Some(value) => self.cookie(name, value),
            None => self,
        }
    }

    /// Adds a cookie; all of a request's cookies go in one `Cookie` header (`a=1; b=2`).
    pub fn cookie(mut self, name: &str, value: impl ToString) -> Self {
        let pair = format!("{name}={}", value.to_string());
        match self.headers.iter_mut().find(|(n, _)| *n == "cookie") {
            Some((_, cookies)) => {
                cookies.push_str("; ");
                cookies.push_str(&pair);
            }
            None => self.headers.push(("cookie", pair)),
        }
        self
    }

    /// [`json_body`](Self::json_body) when there is a body; the request as it is when not.
    pub fn json_body_opt<B: Serialize + ?Sized>(self, body: Option<&B>) -> Result<Self, Error> {
        match body {
            Some(body) => self.json_body(body),
            None => Ok(self),
        }
    }

    /// Sets the `application/x-www-form-urlencoded` body `content_type` names (see
    /// [`body::form`](super::body::form)) from a value that serialises as an object.
    pub fn form_body<B: Serialize + ?Sized>(self, content_type: &'static str, body: &B) -> Result<Self, Error> {
        let text = super::body::form(self.operation_id, body)?;
        Ok(self.body_bytes(content_type, text))
    }

    /// Serialises `body` as the JSON request body now; a value that cannot be serialised gives
    /// [`Error::InvalidRequest`] naming the field that failed.
    pub fn json_body<B: Serialize + ?Sized>(mut self, body: &B) -> Result<Self, Error> {
        let mut bytes = Vec::new();
        let mut serializer = serde_json::Serializer::new(&mut bytes);
        if let Err(err) = serde_path_to_error::serialize(body, &mut serializer) {
            return Err(Error::InvalidRequest(format!(
                "cannot serialise the request body of {} at `{}`: {}",
                self.operation_id,
                err.path(),
                err.inner()
            )));
        }
        self.body = Some(Body { content_type: "application/json", bytes: bytes.into() });
        Ok(self)
    }

    /// Sets a non-JSON request body with its content type.
    pub fn body_bytes(mut self, content_type: &'static str, bytes: impl Into<Bytes>) -> Self {
        self.body = Some(Body { content_type, bytes: bytes.into() });
        self
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The encoded path, relative to the base URL.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The OpenAPI `operationId` of the call, used in error messages.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }
}

/// Shows the method, path, query and header names, but neither header values nor the body.
impl fmt::Debug for ApiRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("operation_id", &self.operation_id)
            .field("query", &self.query)
            .field("headers", &self.headers.iter().map(|(name, _)| *name).collect::<Vec<_>>())
            .field("body_len", &self.body.as_ref().map(|b| b.bytes.len()))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_keep_only_unreserved_characters() {
        assert_eq!(encode_path_segment("a/b?c#d"), "a%2Fb%3Fc%23d");
        assert_eq!(encode_path_segment("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(encode_path_segment("a b%é"), "a%20b%25%C3%A9");
    }

    #[test]
    fn query_helpers_skip_empty_values() {
        let req = ApiRequest::new(Method::GET, "/x", "op")
            .query_opt("a", None::<u32>)
            .query_opt("b", Some(true))
            .query_csv("c", Vec::<String>::new())
            .query_csv("d", ["x", "y"])
            .query_multi("e", [1, 2]);
        let expected = [("b", "true"), ("d", "x,y"), ("e", "1"), ("e", "2")].map(|(k, v)| (k, v.to_owned())).to_vec();
        assert_eq!(req.query, expected);
    }

    #[test]
    fn templates_are_filled_and_cookies_share_one_header() {
        let req = ApiRequest::templated(Method::GET, "/v2/things/{id}/parts/{part}", "getPart")
            .path_param("id", "a/b")
            .path_param("part", 7)
            .cookie("a", 1)
            .cookie("b", "x");
        assert_eq!(req.path, "/v2/things/a%2Fb/parts/7");
        assert_eq!(req.template, "/v2/things/{id}/parts/{part}");
        assert_eq!(req.headers, vec![("cookie", "a=1; b=x".to_owned())]);
        assert_eq!(list_text([1, 2], "|"), "1|2");
        assert_eq!(param_text(&serde_json::json!({"a": 1})), r#"{"a":1}"#);
        assert_eq!(param_text("plain"), "plain");
    }

    #[test]
    fn unserialisable_body_is_an_invalid_request() {
        let mut map = std::collections::BTreeMap::new();
        map.insert(vec![1u8], 1); // JSON object keys must be strings
        let err = ApiRequest::new(Method::POST, "/x", "createThing").json_body(&map).unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
        assert!(err.to_string().contains("createThing"), "{err}");
    }
}
