//! A loopback TCP proxy between the client and okpay-staging that injects network faults:
//! cut a request after N body bytes, answer 503 (or any scripted reply) N times, hold a
//! reply past the client's timeout, never answer at all, throttle uploads. Every request gets its own upstream connection (the proxy
//! adds `Connection: close`), so faults apply per request, matched by a path substring.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One fault, applied to the next `times` requests whose path contains `path`.
#[derive(Clone, Debug)]
pub enum Fault {
    /// Forward the head and this many body bytes, then cut both connections.
    CutAfter(usize),
    /// Answer `503 SERVICE_UNAVAILABLE` without asking the server.
    Unavailable,
    /// Forward the request, hold the reply this long before relaying it.
    DelayReply(Duration),
    /// Answer with this status, extra header lines (each ending in CRLF) and body without
    /// asking the server.
    Reply {
        status: u16,
        headers: &'static str,
        body: &'static str,
    },
    /// Read the request head, then neither read the body nor answer (until cut, or a minute).
    Hang,
}

#[derive(Clone, Debug)]
struct Rule {
    path: String,
    fault: Fault,
    times: usize,
}

#[derive(Default)]
struct State {
    rules: Vec<Rule>,
    /// Upload pace (bytes per second) for request bodies, if throttled.
    throttle: Option<usize>,
    /// `(method, path, fault applied)` of every request seen.
    log: Vec<(String, String, Option<String>)>,
}

/// A running proxy.
#[derive(Clone)]
pub struct FaultProxy {
    pub addr: SocketAddr,
    upstream: SocketAddr,
    state: Arc<Mutex<State>>,
    /// Bumped by [`FaultProxy::cut_all`]: every open connection ends.
    cut: Arc<tokio::sync::watch::Sender<u64>>,
}

impl FaultProxy {
    pub async fn start(upstream: SocketAddr) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let proxy = FaultProxy {
            addr: listener.local_addr().unwrap(),
            upstream,
            state: Arc::new(Mutex::new(State::default())),
            cut: Arc::new(tokio::sync::watch::channel(0).0),
        };
        let p = proxy.clone();
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let p = p.clone();
                let mut cut = p.cut.subscribe();
                tokio::spawn(async move {
                    tokio::select! {
                        _ = p.serve(sock) => {}
                        _ = cut.changed() => {}
                    }
                });
            }
        });
        proxy
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Apply `fault` to the next `times` requests whose path contains `path`.
    pub fn inject(&self, path: &str, fault: Fault, times: usize) {
        self.state.lock().unwrap().rules.push(Rule {
            path: path.to_owned(),
            fault,
            times,
        });
    }

    /// Forget every fault still to be applied.
    pub fn clear(&self) {
        self.state.lock().unwrap().rules.clear();
    }

    /// Cut every open connection at once (as a crashing server or a dropped link would).
    pub fn cut_all(&self) {
        self.cut.send_modify(|n| *n += 1);
    }

    /// Pace request bodies at `bytes_per_sec` (None: full speed).
    pub fn throttle(&self, bytes_per_sec: Option<usize>) {
        self.state.lock().unwrap().throttle = bytes_per_sec;
    }

    /// How many requests matched `path` and got a fault, and how many were seen in all.
    pub fn counts(&self, path: &str) -> (usize, usize) {
        let st = self.state.lock().unwrap();
        let seen: Vec<_> = st.log.iter().filter(|(_, p, _)| p.contains(path)).collect();
        (
            seen.iter().filter(|(_, _, f)| f.is_some()).count(),
            seen.len(),
        )
    }

    fn take_fault(&self, method: &str, path: &str) -> (Option<Fault>, Option<usize>) {
        let mut st = self.state.lock().unwrap();
        let fault = st
            .rules
            .iter_mut()
            .find(|r| r.times > 0 && path.contains(&r.path))
            .map(|r| {
                r.times -= 1;
                r.fault.clone()
            });
        st.log.push((
            method.into(),
            path.into(),
            fault.as_ref().map(|f| format!("{f:?}")),
        ));
        (fault, st.throttle)
    }

    async fn serve(&self, mut client: TcpStream) -> std::io::Result<()> {
        let Some((head, rest)) = read_head(&mut client).await? else {
            return Ok(());
        };
        let text = String::from_utf8_lossy(&head).to_string();
        let mut words = text.split_whitespace();
        let method = words.next().unwrap_or("").to_owned();
        let path = words.next().unwrap_or("").to_owned();
        let length = content_length(&text);
        let (fault, throttle) = self.take_fault(&method, &path);

        let reply = match &fault {
            Some(Fault::Unavailable) => Some((
                503,
                "",
                r#"{"code":"SERVICE_UNAVAILABLE","message":"injected"}"#,
            )),
            Some(Fault::Reply {
                status,
                headers,
                body,
            }) => Some((*status, *headers, *body)),
            Some(Fault::Hang) => {
                tokio::time::sleep(Duration::from_secs(60)).await;
                return Ok(());
            }
            _ => None,
        };
        if let Some((status, headers, body)) = reply {
            drain(&mut client, rest.len(), length).await;
            let reply = format!(
                "HTTP/1.1 {status} Injected\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n{headers}\r\n{body}",
                body.len()
            );
            client.write_all(reply.as_bytes()).await?;
            return client.shutdown().await;
        }

        let mut upstream = TcpStream::connect(self.upstream).await?;
        let head = with_connection_close(&head);
        upstream.write_all(&head).await?;
        let cut = match fault {
            Some(Fault::CutAfter(n)) => Some(n),
            _ => None,
        };
        let delay = match fault {
            Some(Fault::DelayReply(d)) => Some(d),
            _ => None,
        };
        let (mut cr, mut cw) = client.into_split();
        let (mut ur, mut uw) = upstream.into_split();
        let up = async move {
            let mut sent = 0usize;
            let mut pending = rest;
            let mut buf = vec![0u8; 4096];
            loop {
                if pending.is_empty() {
                    let n = cr.read(&mut buf).await?;
                    if n == 0 {
                        break;
                    }
                    pending.extend_from_slice(&buf[..n]);
                }
                let take = throttle.map_or(pending.len(), |_| pending.len().min(1024));
                let take = cut.map_or(take, |c| take.min(c.saturating_sub(sent)));
                if take == 0 && cut.is_some() {
                    return Err(std::io::Error::other("cut"));
                }
                uw.write_all(&pending[..take]).await?;
                pending.drain(..take);
                sent += take;
                if let Some(rate) = throttle {
                    let nanos = 1_000_000_000u64 * take as u64 / rate.max(1) as u64;
                    tokio::time::sleep(Duration::from_nanos(nanos)).await;
                }
            }
            Ok::<(), std::io::Error>(())
        };
        let down = async move {
            let mut buf = vec![0u8; 16 * 1024];
            let mut first = true;
            loop {
                let n = ur.read(&mut buf).await?;
                if n == 0 {
                    break;
                }
                if first {
                    first = false;
                    if let Some(d) = delay {
                        tokio::time::sleep(d).await;
                    }
                }
                cw.write_all(&buf[..n]).await?;
            }
            cw.shutdown().await
        };
        tokio::pin!(up);
        tokio::pin!(down);
        // A cut ends everything at once (both halves dropped); otherwise the reply decides.
        tokio::select! {
            r = &mut up => {
                if r.is_err() {
                    return Ok(());
                }
                down.await
            }
            r = &mut down => r,
        }
    }
}

async fn read_head(sock: &mut TcpStream) -> std::io::Result<Option<(Vec<u8>, Vec<u8>)>> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let rest = data.split_off(end + 4);
            return Ok(Some((data, rest)));
        }
        let n = sock.read(&mut buf).await?;
        if n == 0 {
            return Ok(None);
        }
        data.extend_from_slice(&buf[..n]);
    }
}

fn content_length(head: &str) -> Option<usize> {
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| v.trim().parse().ok())
            .flatten()
    })
}

/// Read and discard the rest of a request body so the reply is not lost to a reset.
async fn drain(sock: &mut TcpStream, already: usize, length: Option<usize>) {
    let Some(total) = length else { return };
    let mut left = total.saturating_sub(already);
    let mut buf = vec![0u8; 16 * 1024];
    while left > 0 {
        match tokio::time::timeout(Duration::from_secs(5), sock.read(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => left = left.saturating_sub(n),
            _ => return,
        }
    }
}

fn with_connection_close(head: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(head);
    let kept: Vec<&str> = text
        .trim_end_matches("\r\n")
        .split("\r\n")
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    format!("{}\r\nconnection: close\r\n\r\n", kept.join("\r\n")).into_bytes()
}
