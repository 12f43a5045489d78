//! [`RateLimit`]: the rate-limit headers of a response, and the pacing that keeps a client (and
//! its clones) within the window they describe.
//!
//! Pacing, in the order a call meets it:
//!
//! - Nothing is known yet (the client's first call), or the known window has passed: one call
//!   goes first and the others wait for its answer. Its rate-limit headers (what remains, and
//!   when the window resets) open a window; an answer without them turns pacing off, and calls
//!   then go straight out (an uncontended lock on the way out and one on the way back, nothing
//!   else), until a response carries the headers.
//! - In a window, every send takes one request from the client's own budget, which each answer
//!   of the same window lowers to what the server says remains (less the client's requests still
//!   in flight, which the server may not have counted yet). With the budget spent, calls wait for
//!   the reset.
//! - A 429 with `Retry-After` (or a reset) closes the window until then; the call's own retry,
//!   having slept for it, goes first without waiting again.
//! - A wait lasts at most the call's [`RetryPolicy::max_retry_after`](super::RetryPolicy::max_retry_after)
//!   (60 s by default); a call whose window resets later is sent when that time is up, and a
//!   429 it gets is retried as any other.

use std::pin::pin;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use tokio::sync::Notify;

use super::client::SleepFn;
use super::trace;

/// The header names of each field, in order of preference: the widespread `X-RateLimit-*` and
/// the IETF draft's `RateLimit-*` (`HeaderMap` names are lowercase, so any case matches).
const LIMIT: [&str; 2] = ["x-ratelimit-limit", "ratelimit-limit"];
const REMAINING: [&str; 2] = ["x-ratelimit-remaining", "ratelimit-remaining"];
const RESET: [&str; 2] = ["x-ratelimit-reset", "ratelimit-reset"];

/// A reset of at least this many is a Unix time in seconds (2001-09-09 onwards), not a delay.
const EPOCH_SECONDS_FROM: f64 = 1e9;
/// A reset of at least this many is a Unix time in milliseconds.
const EPOCH_MILLIS_FROM: f64 = 1e12;

/// The rate limit a response reports: how many requests the window allows, how many remain and
/// when it resets. Read it with [`ApiResponse::rate_limit`](super::ApiResponse::rate_limit) or
/// [`ApiError::rate_limit`](super::ApiError::rate_limit).
///
/// Headers read (names in any case): `X-RateLimit-Limit`, `X-RateLimit-Remaining`,
/// `X-RateLimit-Reset`, or the IETF draft's `RateLimit-Limit`, `RateLimit-Remaining`,
/// `RateLimit-Reset`. Of a list such as `100, 100;w=60` the first number counts.
///
/// The reset is understood by its value, as APIs write it differently:
///
/// - a number below 10⁹ is a delay in seconds (`30`, `0.5`);
/// - a number from 10⁹ is a Unix time in seconds (`1767225600`; 10⁹ seconds is more than 31
///   years, never a window), and from 10¹² in milliseconds;
/// - anything else is read as an HTTP date (`Thu, 01 Jan 2026 00:00:00 GMT`).
///
/// A time in the past is a reset of zero. A Unix time or date is counted from the local clock
/// when the headers are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// How many requests the window allows, if the response said.
    pub limit: Option<u64>,
    /// How many requests remain in the current window.
    pub remaining: u64,
    /// How long until the window resets (and `remaining` goes back to `limit`), if the response
    /// said; counted from when the headers were read.
    pub reset: Option<Duration>,
}

impl RateLimit {
    /// The rate limit in `headers`: `None` unless they say how many requests remain (a limit or
    /// reset alone tells a client nothing it can act on).
    pub fn from_headers(headers: &HeaderMap) -> Option<RateLimit> {
        Self::parse(headers, SystemTime::now())
    }

    /// [`from_headers`](Self::from_headers) with the clock's time given.
    pub(crate) fn parse(headers: &HeaderMap, now: SystemTime) -> Option<RateLimit> {
        let remaining = first(headers, &REMAINING).and_then(parse_count)?;
        let limit = first(headers, &LIMIT).and_then(parse_count);
        let reset = first(headers, &RESET).and_then(|value| parse_reset(value, now));
        Some(RateLimit { limit, remaining, reset })
    }
}

/// The first of `names` that `headers` has, as text.
fn first<'h>(headers: &'h HeaderMap, names: &[&str]) -> Option<&'h str> {
    names.iter().find_map(|name| headers.get(*name)).and_then(|value| value.to_str().ok())
}

/// A count, or the first of a list (`100, 100;w=60`).
fn parse_count(value: &str) -> Option<u64> {
    value.split([',', ';']).next()?.trim().parse().ok()
}

/// A reset as a wait from `now` (see [`RateLimit`] for the formats).
pub(crate) fn parse_reset(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    let numeric = !value.is_empty()
        && value.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && value.bytes().filter(|b| *b == b'.').count() <= 1;
    if !numeric {
        let date = httpdate::parse_http_date(value).ok()?;
        return Some(date.duration_since(now).unwrap_or(Duration::ZERO));
    }
    let number: f64 = value.parse().ok()?;
    let seconds = if number >= EPOCH_MILLIS_FROM {
        number / 1000.0
    } else if number >= EPOCH_SECONDS_FROM {
        number
    } else {
        return Duration::try_from_secs_f64(number).ok();
    };
    let at = UNIX_EPOCH.checked_add(Duration::try_from_secs_f64(seconds).ok()?)?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The pacing state a client shares with its clones.
pub(crate) struct Pacer {
    state: Mutex<State>,
    /// Woken when the call that went first has its answer (or failed).
    probed: Notify,
}

struct State {
    mode: Mode,
    /// Counts the windows opened, so that an answer to a request sent in an earlier one is
    /// not taken for the current one's.
    generation: u64,
    /// Whether a call is out to learn the window (the others wait for it).
    probing: bool,
    /// Requests sent and not yet answered.
    in_flight: u64,
}

#[derive(Clone, Copy)]
enum Mode {
    /// No response seen yet.
    Unknown,
    /// The last call that went first had no rate-limit headers: calls go straight out.
    Off,
    /// A window until `reset_at` with `budget` requests left to send in it.
    Window { reset_at: Instant, budget: u64 },
}

/// What a call does next.
enum Step<'a> {
    Go(Permit<'a>),
    /// Sleep until the window resets (`wait` from now), the window of `generation`.
    Sleep {
        wait: Duration,
        generation: u64,
    },
    /// Wait for the answer of the call that went first.
    AwaitProbe(tokio::sync::futures::Notified<'a>),
}

/// A request the pacer let go; its answer goes back through [`Permit::observe`]. Dropped
/// without an answer (a transport error, a cancelled call) it only leaves the in-flight count.
pub(crate) struct Permit<'a> {
    pacer: &'a Pacer,
    generation: u64,
    probe: bool,
    answered: bool,
}

impl Pacer {
    pub(crate) fn new() -> Self {
        Pacer {
            state: Mutex::new(State { mode: Mode::Unknown, generation: 0, probing: false, in_flight: 0 }),
            probed: Notify::new(),
        }
    }

    /// The state; no code panics while holding it, but a poisoned lock is still usable.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until a request may be sent, for at most `max_wait` in all (then it goes anyway),
    /// telling `span` of each wait. `waited_for` is a window the caller already slept through
    /// (for the `Retry-After` of its own 429): it counts as passed whatever the clock says.
    pub(crate) async fn acquire(
        &self,
        max_wait: Duration,
        sleep: &SleepFn,
        span: &trace::Span,
        mut waited_for: Option<u64>,
    ) -> Permit<'_> {
        let mut slept = Duration::ZERO;
        loop {
            let step = self.step(Instant::now(), waited_for, slept >= max_wait);
            match step {
                Step::Go(permit) => return permit,
                Step::Sleep { wait, generation } => {
                    let remaining = max_wait.saturating_sub(slept);
                    let capped = wait > remaining;
                    let wait = wait.min(remaining);
                    trace::rate_limit_wait(span, wait, capped);
                    sleep(wait).await;
                    slept += wait;
                    if !capped {
                        waited_for = Some(generation);
                    }
                }
                Step::AwaitProbe(notified) => pin!(notified).await,
            }
        }
    }

    /// One decision, under the lock.
    fn step(&self, now: Instant, waited_for: Option<u64>, out_of_patience: bool) -> Step<'_> {
        let mut state = self.lock();
        let generation = state.generation;
        let probe = match &mut state.mode {
            Mode::Off => false,
            Mode::Unknown => true,
            Mode::Window { reset_at, .. } if now >= *reset_at || waited_for == Some(generation) => true,
            Mode::Window { budget, .. } if *budget > 0 => {
                *budget -= 1;
                false
            }
            Mode::Window { .. } if out_of_patience => false,
            Mode::Window { reset_at, .. } => return Step::Sleep { wait: *reset_at - now, generation },
        };
        if probe {
            if state.probing {
                // Registered before the lock is let go, so the probe's wake-up cannot be missed.
                return Step::AwaitProbe(self.probed.notified());
            }
            state.probing = true;
        }
        state.in_flight += 1;
        Step::Go(Permit { pacer: self, generation, probe, answered: false })
    }
}

impl Permit<'_> {
    /// Learns from the answer to this request: its rate-limit headers, or a 429's wait. Returns
    /// the window a 429 closed, so that a retry that slept for its `Retry-After` goes first.
    pub(crate) fn observe(mut self, status: StatusCode, headers: &HeaderMap) -> Option<u64> {
        self.answered = true;
        let now = Instant::now();
        let clock = SystemTime::now();
        let limit = RateLimit::parse(headers, clock);
        let closed_for = if status == StatusCode::TOO_MANY_REQUESTS {
            super::retry::retry_after(headers, clock).or(limit.and_then(|l| l.reset))
        } else {
            None
        };
        let mut state = self.pacer.lock();
        state.in_flight -= 1;
        // Requests of this client that may have been counted after this one.
        let others = state.in_flight;
        let mut closed = None;
        if let Some(wait) = closed_for {
            state.generation += 1;
            state.mode = Mode::Window { reset_at: now + wait, budget: 0 };
            closed = Some(state.generation);
        } else if let Some(RateLimit { remaining, reset: Some(reset), .. }) = limit {
            let fresh = remaining.saturating_sub(others);
            let current = state.generation == self.generation;
            match &mut state.mode {
                Mode::Window { budget, .. } if !self.probe => {
                    if current {
                        *budget = (*budget).min(fresh);
                    }
                    // Otherwise it was sent in an earlier window: nothing to learn.
                }
                _ => {
                    state.generation += 1;
                    state.mode = Mode::Window { reset_at: now + reset, budget: fresh };
                }
            }
        } else if self.probe {
            state.mode = Mode::Off;
        } else if let (true, Mode::Window { budget, .. }) = (status == StatusCode::TOO_MANY_REQUESTS, &mut state.mode) {
            // A 429 that says nothing of when: nothing more goes out in this window.
            *budget = 0;
        }
        self.finish(state);
        closed
    }

    /// Ends the probe, if this was it, and wakes the calls that waited for it.
    fn finish(&self, mut state: MutexGuard<'_, State>) {
        if self.probe {
            state.probing = false;
            drop(state);
            self.pacer.probed.notify_waiters();
        }
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if !self.answered {
            let mut state = self.pacer.lock();
            state.in_flight -= 1;
            self.finish(state);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    fn now() -> SystemTime {
        httpdate::parse_http_date("Thu, 01 Jan 2026 00:00:00 GMT").unwrap()
    }

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn resets_are_delays_unix_times_or_dates() {
        let at = now().duration_since(UNIX_EPOCH).unwrap().as_secs();
        assert_eq!(parse_reset("30", now()), Some(30 * SECOND));
        assert_eq!(parse_reset(" 0.25 ", now()), Some(Duration::from_millis(250)));
        assert_eq!(parse_reset("0", now()), Some(Duration::ZERO));
        assert_eq!(parse_reset(&(at + 42).to_string(), now()), Some(42 * SECOND));
        assert_eq!(parse_reset(&format!("{}500", at + 1), now()), Some(Duration::from_millis(1500)));
        assert_eq!(parse_reset(&(at - 5).to_string(), now()), Some(Duration::ZERO), "past: no wait");
        assert_eq!(parse_reset("Thu, 01 Jan 2026 00:01:00 GMT", now()), Some(60 * SECOND));
        assert_eq!(parse_reset("Wed, 31 Dec 2025 23:00:00 GMT", now()), Some(Duration::ZERO));
        // Just below the threshold: a (long) delay, not a time in 2001.
        assert_eq!(parse_reset("999999999", now()), Some(999_999_999 * SECOND));
        for bad in ["", "soon", "-1", "1.2.3", "1e3", "inf"] {
            assert_eq!(parse_reset(bad, now()), None, "{bad:?}");
        }
    }

    #[test]
    fn both_header_families_in_any_case() {
        let x =
            headers(&[("x-ratelimit-limit", "2000"), ("X-RateLimit-Remaining", "1999"), ("X-RATELIMIT-RESET", "60")]);
        assert_eq!(
            RateLimit::parse(&x, now()),
            Some(RateLimit { limit: Some(2000), remaining: 1999, reset: Some(60 * SECOND) })
        );
        let ietf =
            headers(&[("RateLimit-Limit", "100, 100;w=60"), ("ratelimit-remaining", "7"), ("RateLimit-Reset", "3")]);
        assert_eq!(
            RateLimit::parse(&ietf, now()),
            Some(RateLimit { limit: Some(100), remaining: 7, reset: Some(3 * SECOND) })
        );
        // `X-` wins when both are sent.
        let both = headers(&[("x-ratelimit-remaining", "1"), ("ratelimit-remaining", "9")]);
        assert_eq!(RateLimit::parse(&both, now()).unwrap().remaining, 1);
    }

    #[test]
    fn remaining_is_what_makes_a_rate_limit() {
        assert_eq!(RateLimit::parse(&HeaderMap::new(), now()), None);
        assert_eq!(RateLimit::parse(&headers(&[("x-ratelimit-limit", "10"), ("x-ratelimit-reset", "5")]), now()), None);
        assert_eq!(RateLimit::parse(&headers(&[("x-ratelimit-remaining", "many")]), now()), None);
        let bare = RateLimit::parse(&headers(&[("x-ratelimit-remaining", "3"), ("x-ratelimit-reset", "later")]), now());
        assert_eq!(bare, Some(RateLimit { limit: None, remaining: 3, reset: None }));
    }

    fn go(step: Step<'_>) -> Permit<'_> {
        match step {
            Step::Go(permit) => permit,
            Step::Sleep { wait, .. } => panic!("sleeps {wait:?}"),
            Step::AwaitProbe(_) => panic!("waits for the probe"),
        }
    }

    fn window(remaining: u64, reset: &str) -> HeaderMap {
        headers(&[("x-ratelimit-remaining", &remaining.to_string()), ("x-ratelimit-reset", reset)])
    }

    #[test]
    fn one_call_learns_the_window_and_the_budget_holds() {
        let pacer = Pacer::new();
        let t = Instant::now();
        let probe = go(pacer.step(t, None, false));
        assert!(probe.probe);
        assert!(matches!(pacer.step(t, None, false), Step::AwaitProbe(_)), "the others wait for its headers");
        probe.observe(StatusCode::OK, &window(2, "10"));
        let first = go(pacer.step(t, None, false));
        let second = go(pacer.step(t, None, false));
        assert!(matches!(pacer.step(t, None, false), Step::Sleep { .. }), "two were left");
        // An answer saying more remain does not raise the budget; saying fewer lowers it.
        first.observe(StatusCode::OK, &window(5, "10"));
        assert!(matches!(pacer.step(t, None, false), Step::Sleep { .. }));
        second.observe(StatusCode::OK, &window(0, "10"));
        match pacer.step(Instant::now(), None, false) {
            Step::Sleep { wait, .. } => assert!(wait > 9 * SECOND && wait <= 10 * SECOND, "{wait:?}"),
            _ => panic!("should sleep until the reset"),
        }
        // Out of patience, a call goes anyway; after the reset, one goes first again.
        drop(go(pacer.step(Instant::now(), None, true)));
        let later = Instant::now() + 11 * SECOND;
        assert!(go(pacer.step(later, None, false)).probe);
    }

    #[test]
    fn no_headers_turn_pacing_off_and_failed_probes_hand_over() {
        let pacer = Pacer::new();
        let t = Instant::now();
        drop(go(pacer.step(t, None, false))); // a transport error: no answer
        let probe = go(pacer.step(t, None, false));
        assert!(probe.probe, "the next call goes first instead");
        probe.observe(StatusCode::OK, &HeaderMap::new());
        let calls: Vec<_> = (0..3).map(|_| go(pacer.step(t, None, false))).collect();
        assert!(calls.iter().all(|permit| !permit.probe));
        assert_eq!(pacer.lock().in_flight, 3);
        drop(calls);
        assert_eq!(pacer.lock().in_flight, 0);
    }

    #[test]
    fn a_429_closes_the_window_and_its_retry_goes_first() {
        let pacer = Pacer::new();
        let t = Instant::now();
        go(pacer.step(t, None, false)).observe(StatusCode::OK, &window(3, "10"));
        let rejected = go(pacer.step(t, None, false));
        let generation = rejected.observe(StatusCode::TOO_MANY_REQUESTS, &headers(&[("retry-after", "30")]));
        match pacer.step(Instant::now(), None, false) {
            Step::Sleep { wait, .. } => assert!(wait > 29 * SECOND, "{wait:?}"),
            _ => panic!("the window is closed"),
        }
        assert!(generation.is_some());
        assert!(go(pacer.step(Instant::now(), generation, false)).probe, "slept through it: goes first");
    }

    #[test]
    fn answers_from_an_earlier_window_are_ignored() {
        let pacer = Pacer::new();
        let t = Instant::now();
        go(pacer.step(t, None, false)).observe(StatusCode::OK, &window(2, "1"));
        let straggler = go(pacer.step(t, None, false));
        let later = t + 2 * SECOND;
        go(pacer.step(later, None, false)).observe(StatusCode::OK, &window(4, "10"));
        // One of the 4 is the straggler's, still in flight.
        assert!(matches!(pacer.lock().mode, Mode::Window { budget: 3, .. }));
        straggler.observe(StatusCode::OK, &window(0, "0"));
        assert!(matches!(pacer.lock().mode, Mode::Window { budget: 3, .. }));
    }
}
