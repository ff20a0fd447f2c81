//! `/v1/support` and `/v1/admin/support`: ownership (another user's conversation is
//! `NOT_FOUND`), the caps and the message rate limit, appeals, the change-of-details state
//! machine (approval reopens the verification and keeps the tier), the desk's queue order and
//! the updates long poll waking on an agent's reply.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use okpay_rules::ErrorCode;
use okpay_rules::contract::support::{
    AdminConversationDetail, ChangeRequestState, Conversation, ConversationDetail,
    ConversationStatus, MAX_MESSAGES_PER_WINDOW, MAX_OPEN_CONVERSATIONS, MessageAuthor, QueueEntry,
    SupportUpdates,
};
use okpay_rules::contract::{Account, Application, Tier, VerificationStatus};
use okpay_staging::ReviewMode;
use reqwest::Response;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use support::*;

const NEW_ID: &str = "110105198001010016";

impl TestServer {
    async fn open(&self, token: &str, body: Value) -> Response {
        self.http
            .post(self.url("/v1/support/conversations"))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("open")
    }

    async fn ask(&self, token: &str, subject: &str) -> Conversation {
        ok_json(
            self.open(
                token,
                json!({"topic": "other", "subject": subject, "body": "Hello"}),
            )
            .await,
        )
        .await
    }

    async fn post_as(&self, token: &str, path: &str, body: Value) -> Response {
        self.http
            .post(self.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("post")
    }

    async fn desk(&self, path: &str, body: Option<Value>) -> Response {
        let mut req = self
            .http
            .post(self.url(&format!("/v1/admin/support/conversations/{path}")))
            .header("X-Admin-Token", ADMIN);
        if let Some(body) = body {
            req = req.json(&body);
        }
        req.send().await.expect("desk")
    }

    async fn desk_get(&self, path: &str) -> Response {
        self.http
            .get(self.url(&format!("/v1/admin/support/{path}")))
            .header("X-Admin-Token", ADMIN)
            .send()
            .await
            .expect("desk get")
    }

    /// A user whose application was approved: the access token.
    async fn verified(&self, login: &str) -> String {
        let token = self.user(login).await;
        self.complete_draft(&token).await;
        let app: Application = ok_json(self.submit(&token, &format!("key-{login}")).await).await;
        ok_json::<Application>(self.approve(app.id.as_deref().unwrap()).await).await;
        token
    }
}

#[tokio::test]
async fn another_users_conversation_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let alice = s.user("alice@example.com").await;
    let mallory = s.user("mallory@example.com").await;
    let c = s.ask(&alice, "My verification").await;
    let path = format!("/v1/support/conversations/{}", c.id);

    let mine: ConversationDetail = ok_json(s.get(&alice, &path).await).await;
    assert_eq!(mine.messages.len(), 1);
    expect_error(s.get(&mallory, &path).await, 404, ErrorCode::NotFound).await;
    let write = s
        .post_as(&mallory, &format!("{path}/messages"), json!({"body": "hi"}))
        .await;
    expect_error(write, 404, ErrorCode::NotFound).await;
    let read = s
        .post_as(&mallory, &format!("{path}/read"), json!({}))
        .await;
    expect_error(read, 404, ErrorCode::NotFound).await;
    let list: Vec<Conversation> = ok_json(s.get(&mallory, "/v1/support/conversations").await).await;
    assert!(list.is_empty());
    let updates: SupportUpdates = ok_json(s.get(&mallory, "/v1/support/updates").await).await;
    assert_eq!((updates.seq, updates.conversations.len()), (0, 0));

    // Nor can another user's application be linked.
    let app: Application = ok_json(s.put_personal(&alice, "张三", ID_NUMBER).await).await;
    let link = json!({"topic": "other", "subject": "x", "body": "y", "application_id": app.id});
    expect_error(s.open(&mallory, link).await, 404, ErrorCode::NotFound).await;
    // Without a token: AUTH_REQUIRED.
    let anon = s.http.get(s.url(&path)).send().await.unwrap();
    expect_error(anon, 401, ErrorCode::AuthRequired).await;
}

#[tokio::test]
async fn caps_on_text_and_open_conversations() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let t = s.user("caps@example.com").await;
    let long_subject = json!({"topic": "other", "subject": "s".repeat(121), "body": "b"});
    expect_error(s.open(&t, long_subject).await, 400, ErrorCode::BadRequest).await;
    let long_body = json!({"topic": "other", "subject": "s", "body": "字".repeat(2001)});
    expect_error(s.open(&t, long_body).await, 400, ErrorCode::BadRequest).await;
    let empty = json!({"topic": "other", "subject": "  ", "body": "b"});
    expect_error(s.open(&t, empty).await, 400, ErrorCode::BadRequest).await;
    let fits = json!({"topic": "other", "subject": "s".repeat(120), "body": "字".repeat(2000)});
    ok_json::<Conversation>(s.open(&t, fits).await).await;

    for i in 1..MAX_OPEN_CONVERSATIONS {
        s.ask(&t, &format!("q{i}")).await;
    }
    let one_more = s
        .open(&t, json!({"topic": "other", "subject": "x", "body": "y"}))
        .await;
    expect_error(one_more, 429, ErrorCode::RateLimited).await;
    // Closing one makes room again.
    let list: Vec<Conversation> = ok_json(s.get(&t, "/v1/support/conversations").await).await;
    ok_json::<AdminConversationDetail>(s.desk(&format!("{}/close", list[0].id), None).await).await;
    s.ask(&t, "room again").await;
    // A closed conversation takes no more messages.
    let closed = format!("/v1/support/conversations/{}/messages", list[0].id);
    let resp = s.post_as(&t, &closed, json!({"body": "hello?"})).await;
    expect_error(resp, 409, ErrorCode::SupportClosed).await;
}

#[tokio::test]
async fn messages_are_rate_limited_per_user() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let t = s.user("chatty@example.com").await;
    let other = s.user("quiet@example.com").await;
    let c = s.ask(&t, "Many questions").await;
    let path = format!("/v1/support/conversations/{}/messages", c.id);
    for i in 1..MAX_MESSAGES_PER_WINDOW {
        let resp = s.post_as(&t, &path, json!({"body": format!("m{i}")})).await;
        ok_json::<Conversation>(resp).await;
    }
    let resp = s.post_as(&t, &path, json!({"body": "one too many"})).await;
    assert!(resp.headers().contains_key("retry-after"));
    expect_error(resp, 429, ErrorCode::RateLimited).await;
    let detail: ConversationDetail = ok_json(
        s.get(&t, &format!("/v1/support/conversations/{}", c.id))
            .await,
    )
    .await;
    assert_eq!(detail.messages.len(), MAX_MESSAGES_PER_WINDOW as usize);
    // Another user is not held.
    s.ask(&other, "Mine").await;
}

#[tokio::test]
async fn appeal_links_a_rejected_application_only() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let t = s.user("appeal@example.com").await;
    s.complete_draft(&t).await;
    let app: Application = ok_json(s.submit(&t, "key-appeal-01").await).await;
    let appeal = json!({"topic": "rejection_question", "subject": "Why?", "application_id": app.id,
                        "body": "You said: the portrait photo has glare. It does not."});
    expect_error(s.open(&t, appeal.clone()).await, 400, ErrorCode::BadRequest).await;
    let no_link = json!({"topic": "rejection_question", "subject": "Why?", "body": "?"});
    expect_error(s.open(&t, no_link).await, 400, ErrorCode::BadRequest).await;
    ok_json::<Application>(
        s.reject(app.id.as_deref().unwrap(), json!(["PORTRAIT_GLARE"]))
            .await,
    )
    .await;
    let c: Conversation = ok_json(s.open(&t, appeal).await).await;
    assert_eq!(c.application_id, app.id);
    assert_eq!(c.status, ConversationStatus::Open);
}

#[tokio::test]
async fn approved_change_reopens_verification_and_keeps_the_tier() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let t = s.verified("mover@example.com").await;
    // The new values go through the field rules.
    let wrong = "110105194912310021";
    let code = okpay_rules::validate::id_number(wrong).expect_err(wrong);
    let bad = json!({"topic": "change_details", "subject": "New card", "body": "b",
                     "change": {"name": "张三", "id_number": wrong}});
    expect_error(s.open(&t, bad).await, code.http_status(), code).await;
    let missing = json!({"topic": "change_details", "subject": "New card", "body": "b"});
    expect_error(s.open(&t, missing).await, 400, ErrorCode::BadRequest).await;

    let req = json!({"topic": "change_details", "subject": "New card", "body": "I renewed my card.",
                     "change": {"name": " 李四 ", "id_number": NEW_ID}});
    let c: Conversation = ok_json(s.open(&t, req).await).await;
    let cr = c.change_request.unwrap();
    assert_eq!(cr.state, ChangeRequestState::Pending);
    assert_eq!(cr.details.name, "李四", "stored normalised");

    let detail: AdminConversationDetail =
        ok_json(s.desk(&format!("{}/change/approve", c.id), None).await).await;
    assert_eq!(
        detail.conversation.change_request.unwrap().state,
        ChangeRequestState::Approved
    );
    assert_eq!(detail.conversation.status, ConversationStatus::Closed);
    assert_eq!(
        detail.verification.id_number,
        Some(okpay_rules::validate::mask_id_number(NEW_ID))
    );
    // Reopened with the new details, the tier kept until the new submission is approved.
    let app = s.application(&t).await;
    assert_eq!(app.status, VerificationStatus::Draft);
    assert_eq!(app.personal.as_ref().unwrap().id_number, NEW_ID);
    let account: Account = ok_json(s.get(&t, "/v1/account").await).await;
    assert_eq!(account.tier, Tier::Verified);
    // No second decision.
    let again = s
        .desk(
            &format!("{}/change/reject", c.id),
            Some(json!({"reason": "no"})),
        )
        .await;
    expect_error(again, 409, ErrorCode::SupportClosed).await;
    let again = s.desk(&format!("{}/change/approve", c.id), None).await;
    expect_error(again, 409, ErrorCode::SupportClosed).await;
    // The resubmission is approved: still verified, now on the new details.
    let sub: Application = ok_json(s.submit(&t, "key-mover-2").await).await;
    ok_json::<Application>(s.approve(sub.id.as_deref().unwrap()).await).await;
    let account: Account = ok_json(s.get(&t, "/v1/account").await).await;
    assert_eq!(
        (account.tier, account.verification),
        (Tier::Verified, VerificationStatus::Approved)
    );
}

#[tokio::test]
async fn rejected_change_closes_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let t = s.verified("stay@example.com").await;
    let req = json!({"topic": "change_details", "subject": "Name", "body": "Please",
                     "change": {"name": "李四", "id_number": NEW_ID}});
    let c: Conversation = ok_json(s.open(&t, req).await).await;
    let empty = s
        .desk(
            &format!("{}/change/reject", c.id),
            Some(json!({"reason": " "})),
        )
        .await;
    expect_error(empty, 400, ErrorCode::BadRequest).await;
    let reason = "The new card's photo is missing.";
    let d: AdminConversationDetail = ok_json(
        s.desk(
            &format!("{}/change/reject", c.id),
            Some(json!({"reason": reason})),
        )
        .await,
    )
    .await;
    let cr = d.conversation.change_request.unwrap();
    assert_eq!(
        (cr.state, cr.reason.as_deref()),
        (ChangeRequestState::Rejected, Some(reason))
    );
    assert_eq!(d.conversation.status, ConversationStatus::Closed);
    let mine: ConversationDetail = ok_json(
        s.get(&t, &format!("/v1/support/conversations/{}", c.id))
            .await,
    )
    .await;
    let last = mine.messages.last().unwrap();
    assert_eq!(
        (last.author, last.body.as_str()),
        (MessageAuthor::Agent, reason)
    );
    assert_eq!(mine.conversation.unread, 1);
    // The verification is untouched.
    let app = s.application(&t).await;
    assert_eq!(app.status, VerificationStatus::Approved);
    assert_eq!(app.personal.unwrap().id_number, ID_NUMBER);
    let again = s.desk(&format!("{}/change/approve", c.id), None).await;
    expect_error(again, 409, ErrorCode::SupportClosed).await;
    // A conversation without a change request has nothing to decide.
    let plain = s.ask(&t, "Other").await;
    let none = s.desk(&format!("{}/change/approve", plain.id), None).await;
    expect_error(none, 404, ErrorCode::NotFound).await;
}

#[tokio::test]
async fn queue_puts_open_first_and_verified_users_ahead_at_equal_age() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let plain = s.user("plain@example.com").await;
    let vip = s.verified("vip@example.com").await;
    let waiting = s.ask(&plain, "answered").await;
    let a = s.ask(&plain, "unverified").await;
    let b = s.ask(&vip, "verified").await;
    ok_json::<AdminConversationDetail>(
        s.desk(
            &format!("{}/messages", waiting.id),
            Some(json!({"body": "Done?"})),
        )
        .await,
    )
    .await;
    let forbidden = s
        .http
        .get(s.url("/v1/admin/support/conversations"))
        .send()
        .await
        .unwrap();
    expect_error(forbidden, 403, ErrorCode::Forbidden).await;

    let q: Vec<QueueEntry> = ok_json(s.desk_get("conversations").await).await;
    let ids: Vec<&str> = q.iter().map(|e| e.conversation.id.as_str()).collect();
    assert_eq!(ids.len(), 3);
    assert_eq!(
        ids[2], waiting.id,
        "waiting for the user comes after open ones"
    );
    if a.created_at / 60 == b.created_at / 60 {
        assert_eq!(
            ids[..2],
            [b.id.as_str(), a.id.as_str()],
            "verified first at equal age"
        );
    } else {
        assert_eq!(ids[..2], [a.id.as_str(), b.id.as_str()], "older first");
    }
    assert_eq!(
        q[0].tier,
        if ids[0] == b.id {
            Tier::Verified
        } else {
            Tier::Unverified
        }
    );
    let open: Vec<QueueEntry> = ok_json(s.desk_get("conversations?status=open").await).await;
    assert_eq!(open.len(), 2);
    let bad = s.desk_get("conversations?status=nope").await;
    expect_error(bad, 400, ErrorCode::BadRequest).await;
    let missing = s.desk_get("conversations/nope").await;
    expect_error(missing, 404, ErrorCode::NotFound).await;
}

#[tokio::test]
async fn updates_long_poll_wakes_on_an_agent_reply() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let t = s.user("waiter@example.com").await;
    let c = s.ask(&t, "Anyone there?").await;
    let now: SupportUpdates = ok_json(s.get(&t, "/v1/support/updates").await).await;
    assert_eq!(now.seq, c.seq);

    // Nothing newer: a short wait runs out.
    let started = Instant::now();
    let same: SupportUpdates = ok_json(
        s.get(&t, &format!("/v1/support/updates?after={}&wait=1", c.seq))
            .await,
    )
    .await;
    assert!(started.elapsed() >= Duration::from_millis(900));
    assert!(same.conversations.is_empty());

    let waiter = {
        let (http, url, token) = (
            s.http.clone(),
            s.url(&format!("/v1/support/updates?after={}&wait=20", c.seq)),
            t.clone(),
        );
        tokio::spawn(async move {
            let started = Instant::now();
            let resp = http.get(url).bearer_auth(token).send().await.unwrap();
            (started.elapsed(), ok_json::<SupportUpdates>(resp).await)
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    ok_json::<AdminConversationDetail>(
        s.desk(
            &format!("{}/messages", c.id),
            Some(json!({"body": "Yes, how can we help?"})),
        )
        .await,
    )
    .await;
    let (elapsed, woke) = waiter.await.unwrap();
    assert!(
        elapsed < Duration::from_secs(10),
        "woke at once: {elapsed:?}"
    );
    assert!(woke.seq > c.seq);
    let changed = &woke.conversations[0];
    assert_eq!(
        (changed.status, changed.unread),
        (ConversationStatus::WaitingForUser, 1)
    );
    // Marked read: nothing unread.
    let read: Conversation = ok_json(
        s.post_as(
            &t,
            &format!("/v1/support/conversations/{}/read", c.id),
            json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(read.unread, 0);
    // The user's answer opens it again.
    let answered: Conversation = ok_json(
        s.post_as(
            &t,
            &format!("/v1/support/conversations/{}/messages", c.id),
            json!({"body": "Thanks"}),
        )
        .await,
    )
    .await;
    assert_eq!(answered.status, ConversationStatus::Open);
}
