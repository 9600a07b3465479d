//! The edge of the server, before any route: how connections are served and which requests
//! reach the router at all (issue 25).
//!
//! - [`serve`] accepts connections and serves each with hyper's HTTP/1.1 connection, with a
//!   header-read timeout (a client sending one header byte a second is cut off; the same timer
//!   ends a kept-alive connection that sends no next request) and an idle timeout (no byte
//!   read or written), so slow clients cannot hold the server's connections. `axum::serve`
//!   sets neither: it gives hyper no timer.
//! - [`refuse_odd_requests`] answers `CONNECT`, unknown methods and targets that are not a
//!   path (`host:port`, `*`) before any handler sees them: leptos_axum unwraps the path of
//!   every request it renders, and a `CONNECT` panicked a worker without an answer.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::ServiceExt;

/// How long a connection may take to send a request's headers, and stay without traffic.
#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    /// From the first wait for a request's headers to their end (also the keep-alive wait).
    pub header_read: Duration,
    /// Longest time without a byte read or written, while a request is being served.
    pub idle: Duration,
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets each open connection
/// finish its request and waits for all of them. Each request carries the peer's
/// `ConnectInfo<SocketAddr>`, as `into_make_service_with_connect_info` gives.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    timeouts: Timeouts,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    // Dropping `stop` tells each connection to finish; `done` closes once all have ended.
    let (stop, stopping) = watch::channel(());
    let (done, running) = watch::channel(());
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors or a connection reset while queued: wait a
                    // moment instead of spinning, and go on accepting.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(serve_connection(
            stream,
            peer,
            app.clone(),
            timeouts,
            stopping.clone(),
            running.clone(),
        ));
    }
    drop(listener);
    drop(stop);
    drop(running);
    done.closed().await;
    Ok(())
}

/// One connection: hyper's HTTP/1.1 with the header timer, watched for idleness.
async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    timeouts: Timeouts,
    mut stopping: watch::Receiver<()>,
    _running: watch::Receiver<()>,
) {
    let traffic = Traffic::new();
    let io = TokioIo::new(Watched {
        inner: stream,
        traffic: traffic.clone(),
    });
    let service =
        hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            app.clone().oneshot(req.map(axum::body::Body::new))
        });
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(timeouts.header_read)
        .serve_connection(io, service);
    tokio::pin!(conn);
    let mut check = tokio::time::interval(Duration::from_millis(
        (timeouts.idle.as_millis() as u64 / 4).clamp(50, 1000),
    ));
    let mut finishing = false;
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, %peer, "connection ended");
                }
                break;
            }
            _ = stopping.changed(), if !finishing => {
                finishing = true;
                conn.as_mut().graceful_shutdown();
            }
            _ = check.tick() => {
                if traffic.quiet_for() > timeouts.idle {
                    tracing::debug!(%peer, "idle connection closed");
                    break;
                }
            }
        }
    }
}

/// When a connection last read or wrote a byte.
#[derive(Clone)]
struct Traffic {
    start: Instant,
    last_ms: Arc<AtomicU64>,
}

impl Traffic {
    fn new() -> Traffic {
        Traffic {
            start: Instant::now(),
            last_ms: Arc::default(),
        }
    }

    fn touch(&self) {
        self.last_ms
            .store(self.start.elapsed().as_millis() as u64, Ordering::Relaxed);
    }

    fn quiet_for(&self) -> Duration {
        let last = Duration::from_millis(self.last_ms.load(Ordering::Relaxed));
        self.start.elapsed().saturating_sub(last)
    }
}

/// A stream that records its traffic.
struct Watched {
    inner: TcpStream,
    traffic: Traffic,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.traffic.touch();
        }
        r
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.traffic.touch();
        }
        r
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The methods the portal answers.
const ALLOWED: &str = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

/// Middleware (outermost): `CONNECT` and unknown methods get 405 with `Allow`; a target that
/// is not a path (authority-form `host:port`, asterisk-form `*`) gets 400, except
/// `OPTIONS *`, which is answered with what the server allows. Absolute-form targets
/// (`GET http://host/path`) carry a path and go on.
pub async fn refuse_odd_requests(req: Request, next: Next) -> Response {
    let known = matches!(
        *req.method(),
        Method::GET
            | Method::HEAD
            | Method::POST
            | Method::PUT
            | Method::PATCH
            | Method::DELETE
            | Method::OPTIONS
    );
    if !known {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, ALLOWED)],
            "405 方法不被允许 / method not allowed",
        )
            .into_response();
    }
    let target = req.uri().path_and_query().map(|p| p.as_str());
    match target {
        Some(t) if t.starts_with('/') => next.run(req).await,
        Some("*") if req.method() == Method::OPTIONS => {
            (StatusCode::NO_CONTENT, [(header::ALLOW, ALLOWED)]).into_response()
        }
        _ => (
            StatusCode::BAD_REQUEST,
            "400 请求目标须为路径 / the request target must be a path",
        )
            .into_response(),
    }
}
