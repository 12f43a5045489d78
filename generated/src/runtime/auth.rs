//! [`Auth`]: how the client sends its key on every call.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, COOKIE};

/// How the client sends its key. The crate's default is [`AUTH`](crate::AUTH), from the spec's
/// security schemes; [`ClientBuilder::auth`](crate::ClientBuilder::auth) changes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Auth {
    /// `Authorization: Bearer <key>` (HTTP bearer, OAuth 2 and OpenID Connect access tokens).
    Bearer,
    /// `Authorization: Basic <base64 of the key>`; the key is `user:password`.
    Basic,
    /// The key as the value of this header (an API key).
    Header(&'static str),
    /// The key as the value of this cookie (an API key).
    Cookie(&'static str),
}

impl Auth {
    /// Adds the credentials to the client's headers; `Err` says why they cannot be sent (the
    /// message never contains the key).
    pub(crate) fn apply(self, key: &str, headers: &mut HeaderMap) -> Result<(), String> {
        let bad_key = || "the API key contains characters that are not allowed in an HTTP header".to_owned();
        let (name, value) = match self {
            Auth::Bearer => (AUTHORIZATION, format!("Bearer {key}")),
            Auth::Basic => (AUTHORIZATION, format!("Basic {}", base64(key.as_bytes()))),
            Auth::Header(name) => {
                let name =
                    HeaderName::from_bytes(name.as_bytes()).map_err(|_| format!("invalid header name `{name}`"))?;
                (name, key.to_owned())
            }
            Auth::Cookie(name) => {
                let valid = !name.is_empty()
                    && name.bytes().all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b));
                if !valid {
                    return Err(format!("invalid cookie name `{name}`"));
                }
                if key.bytes().any(|b| b == b';' || b.is_ascii_whitespace()) {
                    return Err(bad_key());
                }
                (COOKIE, format!("{name}={key}"))
            }
        };
        let mut value = HeaderValue::from_str(&value).map_err(|_| bad_key())?;
        value.set_sensitive(true);
        headers.insert(name, value);
        Ok(())
    }
}

/// Standard base64 with padding (RFC 4648), for `Basic` credentials.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648() {
        for (input, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), expected);
        }
        assert_eq!(base64(b"Aladdin:open sesame"), "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    }

    #[test]
    fn each_kind_sets_its_header_and_marks_it_sensitive() {
        let cases = [
            (Auth::Bearer, "authorization", "Bearer k"),
            (Auth::Basic, "authorization", "Basic dXNlcjpwdw=="),
            (Auth::Header("X-Api-Key"), "x-api-key", "k"),
            (Auth::Cookie("session"), "cookie", "session=k"),
        ];
        for (auth, name, value) in cases {
            let key = if auth == Auth::Basic { "user:pw" } else { "k" };
            let mut headers = HeaderMap::new();
            auth.apply(key, &mut headers).unwrap();
            assert_eq!(headers[name], value, "{auth:?}");
            assert!(headers[name].is_sensitive());
        }
    }

    #[test]
    fn bad_names_and_keys_are_errors_without_the_key() {
        let mut headers = HeaderMap::new();
        assert_eq!(
            Auth::Header("bad name").apply("secret", &mut headers).unwrap_err(),
            "invalid header name `bad name`"
        );
        assert_eq!(Auth::Cookie("a;b").apply("secret", &mut headers).unwrap_err(), "invalid cookie name `a;b`");
        for auth in [Auth::Bearer, Auth::Header("X-Key"), Auth::Cookie("c")] {
            let err = auth.apply("sec\nret;", &mut headers).unwrap_err();
            assert!(!err.contains("sec"), "{err}");
        }
        assert!(headers.is_empty());
    }
}
