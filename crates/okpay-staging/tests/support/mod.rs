//! The HTTP side of the integration tests: a server from okpay-testkit (loopback port 0,
//! temporary data dir, fast hashing) driven with reqwest, error and JSON checks, and the
//! request shapes the API takes.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use image::{DynamicImage, ImageFormat, RgbImage};
use okpay_rules::contract::{AdminApplication, Application, TokenPair};
use okpay_rules::{ApiError, ErrorCode};
use okpay_staging::{Config, ReviewMode, ServerHandle};
use okpay_testkit::fixtures::Side;
use reqwest::multipart::{Form, Part};
use reqwest::{Response, StatusCode};
use serde_json::json;
use std::io::Cursor;
use std::net::SocketAddr;
use std::path::Path;

pub use okpay_testkit::fixtures::card_jpeg;
pub use okpay_testkit::staging::config;
pub use okpay_testkit::{ADMIN, ID_NUMBER, PASSWORD};

pub struct TestServer {
    pub base: String,
    pub addr: SocketAddr,
    pub handle: ServerHandle,
    pub http: reqwest::Client,
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client")
}

/// A client whose connections come from `ip` (any 127.x address reaches the server, which
/// sees it as the client's address).
pub fn client_from(ip: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .local_address(std::net::IpAddr::from(ip))
        .build()
        .expect("client")
}

pub async fn start_with(config: Config) -> TestServer {
    let handle = okpay_testkit::staging::spawn(config).await;
    let addr = handle.addr();
    TestServer {
        base: format!("http://{addr}"),
        addr,
        handle,
        http: client(),
    }
}

pub async fn start_in(dir: &Path, review: ReviewMode) -> TestServer {
    start_with(config(dir, review)).await
}

/// Decode an error reply and check status and code.
pub async fn expect_error(resp: Response, status: u16, code: ErrorCode) -> ApiError {
    assert_eq!(resp.status().as_u16(), status, "status for {code}");
    let text = resp.text().await.expect("body");
    let err: ApiError =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not an ApiError ({e}): {text}"));
    assert_eq!(err.code, code, "{text}");
    err
}

pub async fn ok_json<T: serde::de::DeserializeOwned>(resp: Response) -> T {
    let status = resp.status();
    let text = resp.text().await.expect("body");
    assert!(status.is_success(), "{status}: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

pub fn image_bytes(w: u32, h: u32, format: ImageFormat) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x + y) % 239) as u8])
    });
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), format)
        .expect("encode");
    out
}

/// A good photo of the portrait side, JPEG, `specimen::WIDTH` × `specimen::HEIGHT`.
pub fn portrait() -> Vec<u8> {
    card_jpeg(Side::Portrait, 0)
}

/// The position of `marker` (0xFF, code) in `jpeg`.
pub fn marker(jpeg: &[u8], code: u8) -> usize {
    jpeg.windows(2)
        .position(|m| m == [0xFF, code])
        .expect("marker")
}

/// [`portrait`] with its scan repeated until it has one scan more than any photo may: a
/// file whose decode would make a pass per scan.
pub fn scan_bomb() -> Vec<u8> {
    let good = portrait();
    let (sos, eoi) = (marker(&good, 0xDA), good.len() - 2);
    let mut bomb = good[..eoi].to_vec();
    for _ in 0..okpay_photo::codec::MAX_SCANS {
        bomb.extend_from_slice(&good[sos..eoi]);
    }
    bomb.extend_from_slice(&good[eoi..]);
    bomb
}

/// A good photo of the emblem side, JPEG.
pub fn jpeg() -> Vec<u8> {
    card_jpeg(Side::Emblem, 0)
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn register(&self, login: &str, password: &str) -> Response {
        self.http
            .post(self.url("/v1/auth/register"))
            .json(&json!({"login": login, "password": password}))
            .send()
            .await
            .expect("register")
    }

    pub async fn login(&self, login: &str, password: &str) -> Response {
        self.http
            .post(self.url("/v1/auth/login"))
            .json(&json!({"login": login, "password": password}))
            .send()
            .await
            .expect("login")
    }

    /// Sign in through `http`, presenting `device` as the known-device token when given.
    pub async fn login_via(
        &self,
        http: &reqwest::Client,
        login: &str,
        password: &str,
        device: Option<&str>,
    ) -> Response {
        let mut req = http
            .post(self.url("/v1/auth/login"))
            .json(&json!({"login": login, "password": password}));
        if let Some(device) = device {
            req = req.header(okpay_rules::contract::DEVICE_TOKEN_HEADER, device);
        }
        req.send().await.expect("login")
    }

    /// Register through `http`.
    pub async fn register_via(&self, http: &reqwest::Client, login: &str) -> Response {
        http.post(self.url("/v1/auth/register"))
            .json(&json!({"login": login, "password": PASSWORD}))
            .send()
            .await
            .expect("register")
    }

    pub async fn tokens(&self, login: &str, password: &str) -> TokenPair {
        ok_json(self.login(login, password).await).await
    }

    /// Register `login`, sign in and agree to the consent text: the access token.
    pub async fn user(&self, login: &str) -> String {
        let token = self.user_without_consent(login).await;
        assert_eq!(
            self.put_consent(&token, okpay_rules::contract::CONSENT_VERSION)
                .await
                .status(),
            StatusCode::OK
        );
        token
    }

    /// Register `login` and sign in, nothing agreed to yet: the access token.
    pub async fn user_without_consent(&self, login: &str) -> String {
        assert_eq!(
            self.register(login, PASSWORD).await.status(),
            StatusCode::CREATED
        );
        self.tokens(login, PASSWORD)
            .await
            .access_token
            .expose()
            .clone()
    }

    pub async fn put_consent(&self, token: &str, version: &str) -> Response {
        self.http
            .put(self.url("/v1/verification/consent"))
            .bearer_auth(token)
            .json(&json!({ "version": version }))
            .send()
            .await
            .expect("consent")
    }

    pub async fn get(&self, token: &str, path: &str) -> Response {
        self.http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("get")
    }

    pub async fn application(&self, token: &str) -> Application {
        ok_json(self.get(token, "/v1/verification").await).await
    }

    pub async fn put_personal(&self, token: &str, name: &str, id_number: &str) -> Response {
        self.http
            .put(self.url("/v1/verification/personal"))
            .bearer_auth(token)
            .json(&json!({"name": name, "id_number": id_number}))
            .send()
            .await
            .expect("personal")
    }

    pub async fn put_photo(
        &self,
        token: &str,
        side: &str,
        bytes: Vec<u8>,
        file_name: &str,
        mime: &str,
    ) -> Response {
        let part = Part::bytes(bytes)
            .file_name(file_name.to_owned())
            .mime_str(mime)
            .expect("mime");
        self.http
            .put(self.url(&format!("/v1/verification/photos/{side}")))
            .bearer_auth(token)
            .multipart(Form::new().part("photo", part))
            .send()
            .await
            .expect("photo")
    }

    /// Personal info and both photos: a complete draft.
    pub async fn complete_draft(&self, token: &str) {
        ok_json::<Application>(self.put_personal(token, "张三", ID_NUMBER).await).await;
        ok_json::<serde_json::Value>(
            self.put_photo(token, "portrait", portrait(), "p.jpg", "image/jpeg")
                .await,
        )
        .await;
        ok_json::<serde_json::Value>(
            self.put_photo(token, "emblem", jpeg(), "e.jpg", "image/jpeg")
                .await,
        )
        .await;
    }

    pub async fn submit(&self, token: &str, key: &str) -> Response {
        self.http
            .post(self.url("/v1/verification/submit"))
            .bearer_auth(token)
            .header("Idempotency-Key", key)
            .send()
            .await
            .expect("submit")
    }

    pub async fn admin_list(&self, query: &str) -> Vec<AdminApplication> {
        let resp = self
            .http
            .get(self.url(&format!("/v1/admin/applications{query}")))
            .header("X-Admin-Token", ADMIN)
            .send()
            .await
            .expect("admin list");
        ok_json(resp).await
    }

    pub async fn approve(&self, id: &str) -> Response {
        self.http
            .post(self.url(&format!("/v1/admin/applications/{id}/approve")))
            .header("X-Admin-Token", ADMIN)
            .send()
            .await
            .expect("approve")
    }

    pub async fn reject(&self, id: &str, reasons: serde_json::Value) -> Response {
        self.http
            .post(self.url(&format!("/v1/admin/applications/{id}/reject")))
            .header("X-Admin-Token", ADMIN)
            .json(&json!({ "reasons": reasons }))
            .send()
            .await
            .expect("reject")
    }
}
