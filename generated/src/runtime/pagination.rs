//! Streams over paginated listings: cursor-based ([`CursorPage`]) and page-number-based ([`NumberedPage`]).
//!
//! ```no_run
//! # use featurebase::runtime::{ApiRequest, CursorPage};
//! # async fn demo<P: CursorPage>(client: featurebase::Client) -> Result<(), featurebase::Error>
//! # where P::Item: std::fmt::Debug {
//! use futures_util::TryStreamExt;
//! let mut items = client.paginate_cursor::<P>(|cursor| {
//!     ApiRequest::new(reqwest::Method::GET, "/v2/things", "listThings").query_opt("cursor", cursor)
//! });
//! while let Some(item) = items.try_next().await? {
//!     println!("{item:?}");
//! }
//! # Ok(()) }
//! ```

use std::collections::HashSet;
use std::pin::Pin;

use futures_core::Stream;
use serde::de::DeserializeOwned;

use super::client::Client;
use super::error::Error;
use super::request::ApiRequest;

/// A stream of the items of every page of a listing; it ends after the last page or the first error.
pub type ItemStream<T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>;

/// One page of a cursor-paginated listing.
pub trait CursorPage: DeserializeOwned + Send + 'static {
    /// The type of the listed items.
    type Item: Send + 'static;
    /// The cursor of the next page; `None` (or an empty string) on the last page.
    fn next_cursor(&self) -> Option<&str>;
    /// The items of this page, in order.
    fn into_items(self) -> Vec<Self::Item>;
}

/// One page of a listing paginated by page number.
pub trait NumberedPage: DeserializeOwned + Send + 'static {
    /// The type of the listed items.
    type Item: Send + 'static;
    /// How many pages there are, if the API says.
    fn total_pages(&self) -> Option<u64>;
    /// The items of this page, in order.
    fn into_items(self) -> Vec<Self::Item>;
}

/// What a stream fetches once its buffered items are used up.
enum Next<K> {
    /// The page with this key.
    Fetch(K),
    /// Nothing: yield this error (if any), then end.
    Stop(Option<Error>),
}

/// The state of a pagination stream.
struct State<T, K, F> {
    client: Client,
    make_request: F,
    items: std::vec::IntoIter<T>,
    next: Next<K>,
}

impl Client {
    /// Streams the items of a cursor-paginated listing, fetching pages as they are needed.
    ///
    /// `make_request` builds the request for a cursor (`None` for the first page). The stream ends
    /// when a page has no next cursor, after the first error, or with [`Error::RepeatedCursor`]
    /// when the API returns a cursor it returned before.
    pub fn paginate_cursor<P: CursorPage>(
        &self,
        make_request: impl Fn(Option<&str>) -> ApiRequest + Send + Sync + 'static,
    ) -> ItemStream<P::Item> {
        self.paginate_cursor_with::<P>(move |cursor| Ok(make_request(cursor)))
    }

    /// [`paginate_cursor`](Client::paginate_cursor) with a request that may fail to be made.
    pub(crate) fn paginate_cursor_with<P: CursorPage>(
        &self,
        make_request: impl Fn(Option<&str>) -> Result<ApiRequest, Error> + Send + Sync + 'static,
    ) -> ItemStream<P::Item> {
        let state = State {
            client: self.clone(),
            make_request,
            items: Vec::new().into_iter(),
            next: Next::Fetch(None::<String>),
        };
        let seen = HashSet::<String>::new();
        Box::pin(futures_util::stream::unfold((state, seen), |(mut state, mut seen)| async move {
            loop {
                if let Some(item) = state.items.next() {
                    return Some((Ok(item), (state, seen)));
                }
                let cursor = match std::mem::replace(&mut state.next, Next::Stop(None)) {
                    Next::Fetch(cursor) => cursor,
                    Next::Stop(error) => return error.map(|e| (Err(e), (state, seen))),
                };
                let request = match (state.make_request)(cursor.as_deref()) {
                    Ok(request) => request,
                    Err(error) => return Some((Err(error), (state, seen))),
                };
                let operation = request.operation_id;
                let page = match state.client.execute::<P>(request).await {
                    Ok(response) => response.body,
                    Err(error) => return Some((Err(error), (state, seen))),
                };
                if let Some(cursor) = cursor {
                    seen.insert(cursor);
                }
                state.next = match page.next_cursor() {
                    None | Some("") => Next::Stop(None),
                    Some(next) if seen.contains(next) => {
                        Next::Stop(Some(Error::RepeatedCursor { operation, cursor: next.to_owned() }))
                    }
                    Some(next) => Next::Fetch(Some(next.to_owned())),
                };
                state.items = page.into_items().into_iter();
            }
        }))
    }

    /// Streams the items of a listing paginated by page number, starting at `first_page`.
    ///
    /// `make_request` builds the request for a page number. The stream ends after the page whose
    /// number reaches [`NumberedPage::total_pages`], at the first empty page, or after the first error.
    pub fn paginate_pages<P: NumberedPage>(
        &self,
        first_page: u64,
        make_request: impl Fn(u64) -> ApiRequest + Send + Sync + 'static,
    ) -> ItemStream<P::Item> {
        self.paginate_pages_with::<P>(first_page, move |number| Ok(make_request(number)))
    }

    /// [`paginate_pages`](Client::paginate_pages) with a request that may fail to be made.
    pub(crate) fn paginate_pages_with<P: NumberedPage>(
        &self,
        first_page: u64,
        make_request: impl Fn(u64) -> Result<ApiRequest, Error> + Send + Sync + 'static,
    ) -> ItemStream<P::Item> {
        let state =
            State { client: self.clone(), make_request, items: Vec::new().into_iter(), next: Next::Fetch(first_page) };
        Box::pin(futures_util::stream::unfold(state, |mut state| async move {
            loop {
                if let Some(item) = state.items.next() {
                    return Some((Ok(item), state));
                }
                let page_number = match std::mem::replace(&mut state.next, Next::Stop(None)) {
                    Next::Fetch(number) => number,
                    Next::Stop(error) => return error.map(|e| (Err(e), state)),
                };
                let request = match (state.make_request)(page_number) {
                    Ok(request) => request,
                    Err(error) => return Some((Err(error), state)),
                };
                let page = match state.client.execute::<P>(request).await {
                    Ok(response) => response.body,
                    Err(error) => return Some((Err(error), state)),
                };
                let last = page.total_pages().is_some_and(|total| page_number >= total);
                let items = page.into_items();
                if !last && !items.is_empty() {
                    if let Some(next) = page_number.checked_add(1) {
                        state.next = Next::Fetch(next);
                    }
                }
                state.items = items.into_iter();
            }
        }))
    }
}
