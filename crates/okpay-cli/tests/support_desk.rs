//! `okpay staging support …` against a real okpay-staging: a user's question reaches the
//! desk's queue, the agent's reply from the command line reaches the user, and closing it
//! shows; a wrong admin token is refused with its code.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use okpay_core::Sensitive;
use okpay_core::api::ApiClient;
use okpay_core::contract::support::{
    ConversationStatus, MessageAuthor, NewConversation, SupportTopic,
};
use okpay_core::session::{KeychainSource, Session};
use okpay_testkit::{ADMIN, LOGIN, PASSWORD, ReviewMode, Staging};

mod support;

use support::{json_lines, okpay_async};

/// `[--json] staging --api-url URL --admin-token TOKEN support ACTION...`
fn desk<'a>(json: bool, url: &'a str, token: &'a str, action: &[&'a str]) -> Vec<&'a str> {
    let mut args = if json { vec!["--json"] } else { vec![] };
    args.extend([
        "staging",
        "--api-url",
        url,
        "--admin-token",
        token,
        "support",
    ]);
    args.extend_from_slice(action);
    args
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_desk_answers_a_question_from_the_command_line() {
    let server = Staging::start(ReviewMode::Manual).await;
    let url = server.url();
    let session = Session::new(ApiClient::new(&url).unwrap(), KeychainSource::Disabled);
    session
        .sign_in(LOGIN, &Sensitive::new(PASSWORD.into()))
        .await
        .unwrap();
    let question = NewConversation {
        topic: SupportTopic::VerificationProblem,
        subject: "照片一直不通过".into(),
        body: "国徽面总是提示反光，怎么办？".into(),
        application_id: None,
        change: None,
    };
    let question = &question;
    let api = session.api();
    let opened = session
        .authed(|access| async move { api.support_open(&access, question).await })
        .await
        .unwrap();

    let queue = okpay_async(&desk(true, &url, ADMIN, &["queue", "--status", "open"]), "").await;
    assert!(
        queue.status.success(),
        "{}",
        String::from_utf8_lossy(&queue.stderr)
    );
    let rows = json_lines(&queue);
    assert!(
        rows.iter()
            .any(|r| r["conversation"]["id"] == opened.id.as_str() && r["login"] == LOGIN),
        "{rows:?}"
    );

    let reply = "请把卡片稍微倾斜，避开灯光再拍。";
    let out = okpay_async(&desk(false, &url, ADMIN, &["reply", &opened.id, reply]), "").await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(reply));
    let id = opened.id.as_str();
    let seen = session
        .authed(|access| async move { api.support_conversation(&access, id).await })
        .await
        .unwrap();
    let last = seen.messages.last().unwrap();
    assert_eq!(
        (last.author, last.body.as_str()),
        (MessageAuthor::Agent, reply)
    );
    assert_eq!(seen.conversation.status, ConversationStatus::WaitingForUser);

    let out = okpay_async(&desk(true, &url, ADMIN, &["close", id]), "").await;
    assert_eq!(json_lines(&out)[0]["conversation"]["status"], "closed");

    let bad = okpay_async(&desk(true, &url, "wrong", &["queue"]), "").await;
    assert_eq!(json_lines(&bad)[0]["code"], "FORBIDDEN");
}
