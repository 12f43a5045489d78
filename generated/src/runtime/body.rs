//! Request bodies that are not JSON: `application/x-www-form-urlencoded` ([`form`]) and
//! `multipart/form-data` ([`Multipart`]).

use serde::Serialize;
use serde_json::Value;

use super::error::Error;
use super::request::encode_path_segment;

/// The boundary of the multipart bodies this crate sends; a part that contains it fails the request.
const BOUNDARY: &str = "generated-boundary-6c0e1a7b2f3d4958a0b1c2d3e4f50617";

/// The content type of the multipart bodies this crate sends.
pub const MULTIPART_CONTENT_TYPE: &str =
    "multipart/form-data; boundary=generated-boundary-6c0e1a7b2f3d4958a0b1c2d3e4f50617";

/// The form-encoded text of a body that serialises as an object: arrays repeat the name, nested
/// objects are `name[key]=value`, `null`s are left out.
pub fn form<T: Serialize + ?Sized>(operation: &str, value: &T) -> Result<String, Error> {
    let invalid = |why: String| Error::InvalidRequest(format!("cannot encode the body of {operation}: {why}"));
    let value = serde_json::to_value(value).map_err(|e| invalid(e.to_string()))?;
    let Value::Object(fields) = value else {
        return Err(invalid("it is not an object".to_owned()));
    };
    let mut pairs = Vec::new();
    for (name, value) in &fields {
        form_pairs(name, value, &mut pairs);
    }
    Ok(pairs.join("&"))
}

fn form_pairs(name: &str, value: &Value, out: &mut Vec<String>) {
    let encode = encode_path_segment;
    match value {
        Value::Null => {}
        Value::Array(items) => items.iter().for_each(|item| form_pairs(name, item, out)),
        Value::Object(fields) => fields.iter().for_each(|(key, item)| form_pairs(&format!("{name}[{key}]"), item, out)),
        Value::String(s) => out.push(format!("{}={}", encode(name), encode(s))),
        other => out.push(format!("{}={}", encode(name), encode(&other.to_string()))),
    }
}

/// A `multipart/form-data` body being built, one part per property.
#[derive(Debug, Default)]
pub struct Multipart {
    body: Vec<u8>,
    clash: bool,
}

impl Multipart {
    /// An empty body.
    pub fn new() -> Self {
        Self::default()
    }

    fn part(&mut self, name: &str, file: bool, content_type: Option<&str>, data: &[u8]) {
        let delimiter = format!("--{BOUNDARY}");
        self.clash |= data.windows(delimiter.len()).any(|w| w == delimiter.as_bytes());
        let name = name.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A");
        let mut head = format!("{delimiter}\r\nContent-Disposition: form-data; name=\"{name}\"");
        if file {
            head.push_str(&format!("; filename=\"{name}\""));
        }
        if let Some(content_type) = content_type {
            head.push_str(&format!("\r\nContent-Type: {content_type}"));
        }
        head.push_str("\r\n\r\n");
        self.body.extend_from_slice(head.as_bytes());
        self.body.extend_from_slice(data);
        self.body.extend_from_slice(b"\r\n");
    }

    /// A file part.
    pub fn file(&mut self, name: &str, content_type: Option<&str>, data: &[u8]) {
        self.part(name, true, Some(content_type.unwrap_or("application/octet-stream")), data);
    }

    /// A part for each value: strings as they are, numbers and booleans as text, arrays as one
    /// part per item, objects as JSON.
    pub fn value<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        content_type: Option<&str>,
        value: &T,
    ) -> Result<(), Error> {
        let value = serde_json::to_value(value)
            .map_err(|e| Error::InvalidRequest(format!("cannot encode the part `{name}`: {e}")))?;
        self.json(name, content_type, &value);
        Ok(())
    }

    fn json(&mut self, name: &str, content_type: Option<&str>, value: &Value) {
        match value {
            Value::Null => {}
            Value::String(s) => self.part(name, false, content_type, s.as_bytes()),
            Value::Array(items) if content_type.is_none() => items.iter().for_each(|item| self.json(name, None, item)),
            Value::Array(_) | Value::Object(_) => {
                let text = value.to_string();
                self.part(name, false, Some(content_type.unwrap_or("application/json")), text.as_bytes())
            }
            other => self.part(name, false, content_type, other.to_string().as_bytes()),
        }
    }

    /// A part for each property of a body that serialises as an object.
    pub fn fields<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let value =
            serde_json::to_value(body).map_err(|e| Error::InvalidRequest(format!("cannot encode the body: {e}")))?;
        match value {
            Value::Object(fields) => {
                fields.iter().for_each(|(name, value)| self.json(name, None, value));
                Ok(())
            }
            _ => Err(Error::InvalidRequest("a multipart body must be an object".to_owned())),
        }
    }

    /// The finished body; fails if a part contains the boundary.
    pub fn finish(mut self, operation: &str) -> Result<Vec<u8>, Error> {
        if self.clash {
            return Err(Error::InvalidRequest(format!(
                "a part of the body of {operation} contains the multipart boundary"
            )));
        }
        self.body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        Ok(self.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_type_names_the_boundary() {
        assert_eq!(MULTIPART_CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"));
    }

    #[test]
    fn forms_flatten_objects_and_arrays() {
        let body = serde_json::json!({"a": [1, 2], "b": {"c": "x y"}, "d": null});
        assert_eq!(form("op", &body).unwrap(), "a=1&a=2&b%5Bc%5D=x%20y");
        assert!(form("op", &5).is_err());
    }

    #[test]
    fn multipart_parts_and_the_boundary_check() {
        let mut m = Multipart::new();
        m.value("n", None, &3).unwrap();
        m.file("f", None, b"data");
        let body = String::from_utf8(m.finish("op").unwrap()).unwrap();
        assert!(body.contains("name=\"n\"\r\n\r\n3\r\n"), "{body}");
        assert!(body.contains("filename=\"f\"\r\nContent-Type: application/octet-stream"), "{body}");
        let mut m = Multipart::new();
        m.file("f", None, format!("--{BOUNDARY}").as_bytes());
        assert!(m.finish("op").is_err());
    }
}
