//! What every request builder shares: sending it, reading its response, paging through it.
//!
//! A generated request builder is a declaration: a struct with the client and the operation's
//! parameters, setters for the optional ones, and a `request` function that says how they go on
//! the wire (method, path, query, headers, body; it returns an [`ApiRequest`], or a `Result` of
//! one when the body may fail to encode). `operation!` gives it the rest:
//!
//! ```text
//! crate::runtime::operation!(GetBrandById -> types::Brand);
//! ```
//!
//! writes `send`, `send_with_response`, `options` and `IntoFuture` (so `.await` sends it), all
//! going through [`Client`]'s one send path. The response is read as JSON unless the invocation
//! says otherwise: `-> String as text`, `-> bytes::Bytes as bytes`, `-> () as empty`.

use super::client::{ApiResponse, Client};
use super::error::Error;
use super::pagination::{CursorPage, ItemStream, NumberedPage};
use super::request::ApiRequest;

/// A request builder: its client and the request its parameters make. Implemented by
/// `operation!`; the streams of list operations are written against it.
pub trait Call: Clone + Send + Sync + 'static {
    /// The decoded body of a successful response.
    type Output;
    /// The client the call goes through.
    fn client(&self) -> &Client;
    /// The request the builder's parameters make; fails when a body cannot be encoded.
    fn request(&self) -> Result<ApiRequest, Error>;
}

/// What a builder's `request` function returns: the request, or (when a body may fail to
/// encode) a result of one.
pub trait IntoRequest {
    /// The request, or why it cannot be made.
    fn into_request(self) -> Result<ApiRequest, Error>;
}

impl IntoRequest for ApiRequest {
    fn into_request(self) -> Result<ApiRequest, Error> {
        Ok(self)
    }
}

impl IntoRequest for Result<ApiRequest, Error> {
    fn into_request(self) -> Result<ApiRequest, Error> {
        self
    }
}

/// Every item of every page of a cursor-paginated call: the first page as the call is, each
/// next one with the cursor `set` on a copy of it.
pub fn cursor_stream<C: Call>(call: C, set: fn(&mut C, Option<String>)) -> ItemStream<<C::Output as CursorPage>::Item>
where
    C::Output: CursorPage,
{
    let client = call.client().clone();
    client.paginate_cursor_with::<C::Output>(move |cursor| {
        let mut page = call.clone();
        set(&mut page, cursor.map(str::to_owned));
        page.request()
    })
}

/// Every item of every page of a call paginated by page number, from the page the call asks
/// for (`first`, or 1), each page with its number `set` on a copy of the call.
pub fn page_stream<C: Call>(
    call: C,
    first: Option<u64>,
    set: fn(&mut C, u64),
) -> ItemStream<<C::Output as NumberedPage>::Item>
where
    C::Output: NumberedPage,
{
    let client = call.client().clone();
    client.paginate_pages_with::<C::Output>(first.unwrap_or(1), move |number| {
        let mut page = call.clone();
        set(&mut page, number);
        page.request()
    })
}

impl Client {
    /// Sends `req` and returns the body of the 2xx answer as UTF-8 text.
    pub async fn execute_text(&self, req: ApiRequest) -> Result<ApiResponse<String>, Error> {
        let operation = req.operation_id();
        let response = self.execute_bytes(req).await?;
        let text = String::from_utf8(response.body.to_vec()).map_err(|e| Error::Decode {
            status: response.status,
            operation,
            path: ".".to_owned(),
            message: format!("the body is not UTF-8 text: {}", e.utf8_error()),
            body_len: response.body.len(),
        })?;
        Ok(response.map(|_| text))
    }

    /// Sends `req` and ignores the body of the 2xx answer (for operations that describe none).
    pub async fn execute_empty(&self, req: ApiRequest) -> Result<ApiResponse<()>, Error> {
        Ok(self.execute_bytes(req).await?.map(|_| ()))
    }
}

/// Gives a request builder (a struct with a `client` field and a `request` function) its
/// `send`, `send_with_response`, `options` and `IntoFuture`: see the module docs.
///
/// The functions it writes are `#[inline]`: their code (the encoder of the request body, the
/// decoder of the response) is compiled in the crate that calls them, for the operations it calls,
/// instead of for every operation when this crate is built. A builder's `stream` is `#[inline]`
/// for the same reason.
// Unused in a crate built without any resource feature.
#[allow(unused_macros)]
macro_rules! operation {
    ($builder:ident -> $output:ty) => {
        $crate::runtime::operation!($builder -> $output as execute);
    };
    ($builder:ident -> $output:ty as text) => {
        $crate::runtime::operation!($builder -> $output as execute_text);
    };
    ($builder:ident -> $output:ty as bytes) => {
        $crate::runtime::operation!($builder -> $output as execute_bytes);
    };
    ($builder:ident -> $output:ty as empty) => {
        $crate::runtime::operation!($builder -> $output as execute_empty);
    };
    ($builder:ident -> $output:ty as $execute:ident) => {
        impl $builder {
            /// Sends the request and returns the response's status, headers and decoded body.
            #[inline]
            pub async fn send_with_response(self) -> ::std::result::Result<$crate::runtime::ApiResponse<$output>, $crate::runtime::Error> {
                let request = $crate::runtime::operation::IntoRequest::into_request(self.request())?;
                self.client.$execute(request).await
            }

            /// Sends the request and returns the decoded body.
            #[inline]
            pub async fn send(self) -> ::std::result::Result<$output, $crate::runtime::Error> {
                self.send_with_response().await.map($crate::runtime::ApiResponse::into_body)
            }

            /// Sends this call with these options (timeout, retry policy, extra headers) on top of
            /// the client's; see [`RequestOptions`](crate::RequestOptions).
            pub fn options(mut self, options: $crate::runtime::RequestOptions) -> Self {
                self.client = self.client.with_options(options);
                self
            }
        }

        impl ::std::future::IntoFuture for $builder {
            type Output = ::std::result::Result<$output, $crate::runtime::Error>;
            type IntoFuture = ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = Self::Output> + Send>>;

            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }

        impl $crate::runtime::Call for $builder {
            type Output = $output;

            #[inline]
            fn client(&self) -> &$crate::runtime::Client {
                &self.client
            }

            #[inline]
            fn request(&self) -> ::std::result::Result<$crate::runtime::ApiRequest, $crate::runtime::Error> {
                $crate::runtime::operation::IntoRequest::into_request($builder::request(self))
            }
        }
    };
}
pub(crate) use operation;
