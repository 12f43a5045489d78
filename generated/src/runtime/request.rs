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
    fn unserialisable_body_is_an_invalid_request() {
        let mut map = std::collections::BTreeMap::new();
        map.insert(vec![1u8], 1); // JSON object keys must be strings
        let err = ApiRequest::new(Method::POST, "/x", "createThing").json_body(&map).unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
        assert!(err.to_string().contains("createThing"), "{err}");
    }
}
