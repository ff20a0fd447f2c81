//! Request deadlines, so that a slow or stalled client cannot hold a connection and a task
//! for ever: a request's body must arrive in full within the body timeout, counted from its
//! headers and not reset by each chunk (a client trickling a byte now and then is cut off
//! too, unlike with a per-chunk timeout), and the whole request must be answered within the
//! request timeout. Either ends in `REQUEST_TIMEOUT` (408); the body one also closes the
//! connection, whose unread rest can no longer be told from a next request.

use crate::error::AppError;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::http::header::CONNECTION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::{Frame, SizeHint};
use okpay_rules::ErrorCode;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::{Instant, Sleep};

/// The `REQUEST_TIMEOUT` answer, closing the connection.
pub fn timed_out() -> Response {
    let mut res = AppError::new(ErrorCode::RequestTimeout).into_response();
    res.headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
    res
}

/// Middleware: the request's body fails once `body_timeout` has passed since the headers,
/// and then whatever the handler answered becomes [`timed_out`].
pub async fn body_deadline(
    State(body_timeout): State<Duration>,
    request: Request,
    next: Next,
) -> Response {
    let expired = Arc::new(AtomicBool::new(false));
    let deadline = Instant::now() + body_timeout;
    let flag = Arc::clone(&expired);
    let request = request.map(|body| Body::new(DeadlineBody::new(body, deadline, flag)));
    let response = next.run(request).await;
    if expired.load(Ordering::Acquire) {
        tracing::warn!("request body not received in time; connection closed");
        return timed_out();
    }
    response
}

/// The body cut off at `deadline`: what has arrived is still handed on, but once the
/// deadline has passed and nothing more is there, an error ends it and `expired` is set.
struct DeadlineBody {
    inner: Body,
    deadline: Instant,
    /// Started when the body first has to wait.
    sleep: Option<Pin<Box<Sleep>>>,
    expired: Arc<AtomicBool>,
}

impl DeadlineBody {
    fn new(inner: Body, deadline: Instant, expired: Arc<AtomicBool>) -> DeadlineBody {
        DeadlineBody {
            inner,
            deadline,
            sleep: None,
            expired,
        }
    }
}

/// The error the body ends with at its deadline.
#[derive(Debug, thiserror::Error)]
#[error("the request body was not received in time")]
struct BodyTimedOut;

impl HttpBody for DeadlineBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = self.get_mut();
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            return Poll::Ready(frame);
        }
        let deadline = this.deadline;
        let sleep = this
            .sleep
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
        match sleep.as_mut().poll(cx) {
            Poll::Ready(()) => {
                this.expired.store(true, Ordering::Release);
                Poll::Ready(Some(Err(axum::Error::new(BodyTimedOut))))
            }
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;
    use tokio::sync::mpsc;

    /// A body whose chunks come from a channel, whenever the test sends them.
    struct Trickle(mpsc::Receiver<Bytes>);

    impl HttpBody for Trickle {
        type Data = Bytes;
        type Error = axum::Error;

        fn poll_frame(
            self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
            self.get_mut()
                .0
                .poll_recv(cx)
                .map(|chunk| chunk.map(|b| Ok(Frame::data(b))))
        }
    }

    #[tokio::test]
    async fn a_trickling_body_is_cut_at_the_deadline_not_per_chunk() {
        let (tx, rx) = mpsc::channel(1);
        let expired = Arc::new(AtomicBool::new(false));
        let deadline = Instant::now() + Duration::from_millis(300);
        let mut body = DeadlineBody::new(Body::new(Trickle(rx)), deadline, Arc::clone(&expired));
        tokio::spawn(async move {
            // A byte every 50 ms, for ever: each well within any per-chunk timeout.
            while tx.send(Bytes::from_static(b"x")).await.is_ok() {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        });
        let mut received = 0;
        let ended = loop {
            match body.frame().await {
                Some(Ok(_)) => received += 1,
                Some(Err(e)) => break e.to_string(),
                None => break "end".to_owned(),
            }
        };
        assert_eq!(ended, BodyTimedOut.to_string());
        assert!(expired.load(Ordering::Acquire));
        assert!(received > 1, "{received} chunks before the deadline");
    }

    #[tokio::test]
    async fn a_body_that_arrived_is_read_even_after_the_deadline() {
        let expired = Arc::new(AtomicBool::new(false));
        let deadline = Instant::now();
        let body = DeadlineBody::new(Body::from("complete"), deadline, Arc::clone(&expired));
        let bytes = body.collect().await.map(|c| c.to_bytes());
        assert_eq!(bytes.ok().as_deref(), Some(&b"complete"[..]));
        assert!(!expired.load(Ordering::Acquire));
    }
}
