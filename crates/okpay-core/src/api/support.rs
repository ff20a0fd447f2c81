//! `/v1/support`: a user's conversations with the support desk, and the desk's own routes
//! (`/v1/admin/support`, staging only, with the admin token). Writes are sent once; reads
//! are retried like every idempotent request.

use super::{ApiClient, json, json_once, url_segment};
use crate::Error;
use okpay_rules::Sensitive;
use okpay_rules::contract::support::{
    AdminConversationDetail, ChangeRejection, Conversation, ConversationDetail, NewConversation,
    NewMessage, QueueEntry,
};
use okpay_rules::contract::{self};
use reqwest::Method;

impl ApiClient {
    /// `POST /v1/support/conversations`.
    pub async fn support_open(
        &self,
        access: &Sensitive<String>,
        new: &NewConversation,
    ) -> Result<Conversation, Error> {
        json(
            self.authed(Method::POST, "v1/support/conversations", access)?
                .json(new),
        )
        .await
    }

    /// `GET /v1/support/conversations/{id}`.
    pub async fn support_conversation(
        &self,
        access: &Sensitive<String>,
        id: &str,
    ) -> Result<ConversationDetail, Error> {
        let path = format!("v1/support/conversations/{}", url_segment(id));
        self.idempotent("support conversation", || async {
            json_once(self.authed(Method::GET, &path, access)?).await
        })
        .await
    }

    /// `GET /v1/admin/support/conversations`: the desk's queue, optionally one status.
    pub async fn desk_queue(
        &self,
        admin: &Sensitive<String>,
        status: Option<&str>,
    ) -> Result<Vec<QueueEntry>, Error> {
        let mut req = self
            .request(Method::GET, "v1/admin/support/conversations")?
            .header(contract::ADMIN_TOKEN_HEADER, admin.expose());
        if let Some(s) = status {
            req = req.query(&[("status", s)]);
        }
        json(req).await
    }

    /// `GET /v1/admin/support/conversations/{id}`.
    pub async fn desk_conversation(
        &self,
        admin: &Sensitive<String>,
        id: &str,
    ) -> Result<AdminConversationDetail, Error> {
        self.desk_send(admin, Method::GET, id, "", None::<&()>)
            .await
    }

    /// `POST …/{id}/messages`: the agent's reply.
    pub async fn desk_reply(
        &self,
        admin: &Sensitive<String>,
        id: &str,
        message: &NewMessage,
    ) -> Result<AdminConversationDetail, Error> {
        self.desk_send(admin, Method::POST, id, "/messages", Some(message))
            .await
    }

    /// `POST …/{id}/close`.
    pub async fn desk_close(
        &self,
        admin: &Sensitive<String>,
        id: &str,
    ) -> Result<AdminConversationDetail, Error> {
        self.desk_send(admin, Method::POST, id, "/close", None::<&()>)
            .await
    }

    /// `POST …/{id}/change/approve`: the verification reopens with the new details.
    pub async fn desk_approve_change(
        &self,
        admin: &Sensitive<String>,
        id: &str,
    ) -> Result<AdminConversationDetail, Error> {
        self.desk_send(admin, Method::POST, id, "/change/approve", None::<&()>)
            .await
    }

    /// `POST …/{id}/change/reject` with the agent's reason.
    pub async fn desk_reject_change(
        &self,
        admin: &Sensitive<String>,
        id: &str,
        rejection: &ChangeRejection,
    ) -> Result<AdminConversationDetail, Error> {
        self.desk_send(admin, Method::POST, id, "/change/reject", Some(rejection))
            .await
    }

    /// One desk request on conversation `id`, sent once.
    async fn desk_send<B: serde::Serialize + ?Sized>(
        &self,
        admin: &Sensitive<String>,
        method: Method,
        id: &str,
        tail: &str,
        body: Option<&B>,
    ) -> Result<AdminConversationDetail, Error> {
        let path = format!("v1/admin/support/conversations/{}{tail}", url_segment(id));
        let mut req = self
            .request(method, &path)?
            .header(contract::ADMIN_TOKEN_HEADER, admin.expose());
        if let Some(b) = body {
            req = req.json(b);
        }
        json(req).await
    }
}
