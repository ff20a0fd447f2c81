//! `docs/openapi.yaml` against the code: the same routes as the router, the error code
//! enum equal to `ErrorCode::ALL`, and each schema's properties equal to the fields of the
//! Rust type it describes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use okpay_rules::contract::*;
use okpay_rules::{ApiError, ErrorCode};
use serde_json::Value as Json;
use serde_yaml::Value;
use std::collections::BTreeSet;

fn spec() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.yaml");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_yaml::from_str(&text).unwrap()
}

fn schema<'a>(spec: &'a Value, name: &str) -> &'a Value {
    let s = &spec["components"]["schemas"][name];
    assert!(!s.is_null(), "schema {name} missing");
    s
}

#[test]
fn is_openapi_3_1_with_both_security_schemes() {
    let spec = spec();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    let schemes = &spec["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"].as_str(), Some("bearer"));
    assert_eq!(
        schemes["adminToken"]["name"].as_str(),
        Some(ADMIN_TOKEN_HEADER)
    );
}

#[test]
fn sign_in_documents_the_device_token_and_its_limits() {
    let spec = spec();
    let login = &spec["paths"]["/v1/auth/login"]["post"];
    let headers: Vec<&str> = login["parameters"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter(|p| p["in"].as_str() == Some("header"))
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(headers, [DEVICE_TOKEN_HEADER]);
    assert!(!login["responses"]["200"]["headers"][DEVICE_TOKEN_HEADER].is_null());
    for path in ["/v1/auth/register", "/v1/auth/login"] {
        let responses = &spec["paths"][path]["post"]["responses"];
        for status in ["429", "503"] {
            assert!(!responses[status].is_null(), "{path} {status}");
        }
    }
}

#[test]
fn spec_paths_equal_the_router_routes() {
    let spec = spec();
    let mut in_spec = BTreeSet::new();
    for (path, item) in spec["paths"].as_mapping().unwrap() {
        for (method, _) in item.as_mapping().unwrap() {
            let method = method.as_str().unwrap();
            if ["get", "put", "post", "delete", "patch", "head", "options"].contains(&method) {
                in_spec.insert((method.to_uppercase(), path.as_str().unwrap().to_owned()));
            }
        }
    }
    let served: BTreeSet<(String, String)> = okpay_staging::route_table()
        .into_iter()
        .map(|(m, p)| (m.to_owned(), p.to_owned()))
        .collect();
    assert_eq!(served, in_spec);
}

#[test]
fn error_code_enum_equals_error_code_all() {
    let spec = spec();
    let in_spec: Vec<&str> = schema(&spec, "ErrorCode")["enum"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let wire: Vec<String> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(in_spec, wire);
    let body = schema(&spec, "ErrorBody");
    assert_eq!(
        body["properties"]["code"]["$ref"].as_str(),
        Some("#/components/schemas/ErrorCode")
    );
}

#[test]
fn reason_codes_and_enums_match() {
    let spec = spec();
    let names = |name: &str| -> Vec<String> {
        schema(&spec, name)["enum"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    let wire = |v: Vec<Json>| -> Vec<String> {
        v.into_iter()
            .map(|j| j.as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        names("ReasonCode"),
        ReasonCode::ALL
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
    );
    let statuses = [
        VerificationStatus::None,
        VerificationStatus::Draft,
        VerificationStatus::Pending,
        VerificationStatus::Approved,
        VerificationStatus::Rejected,
    ];
    assert_eq!(
        names("VerificationStatus"),
        wire(
            statuses
                .iter()
                .map(|s| serde_json::to_value(s).unwrap())
                .collect()
        )
    );
    assert_eq!(
        names("Tier"),
        wire(vec![
            serde_json::to_value(Tier::Unverified).unwrap(),
            serde_json::to_value(Tier::Verified).unwrap()
        ])
    );
    assert_eq!(
        names("PhotoSide"),
        PhotoSide::BOTH
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect::<Vec<_>>()
    );
    let targets = ReasonCode::ALL.iter().map(|c| {
        serde_json::to_value(c.target())
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    });
    let targets: BTreeSet<String> = targets.collect();
    assert_eq!(
        names("ReasonTarget").into_iter().collect::<BTreeSet<_>>(),
        targets
    );
    // Only the current consent text is taken.
    let consent = &schema(&spec, "ConsentRequest")["properties"]["version"]["enum"];
    assert_eq!(consent.as_sequence().map(Vec::len), Some(1));
    assert_eq!(consent[0].as_str(), Some(CONSENT_VERSION));
}

fn keys(v: &Json) -> BTreeSet<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

fn props(spec: &Value, name: &str) -> BTreeSet<String> {
    schema(spec, name)["properties"]
        .as_mapping()
        .unwrap()
        .keys()
        .map(|k| k.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn schema_properties_match_the_rust_types() {
    let spec = spec();
    let photo = PhotoInfo {
        side: PhotoSide::Portrait,
        sha256: "0".repeat(64),
        bytes: 1,
        width: 2,
        height: 3,
    };
    let personal = PersonalInfo {
        name: "张三".into(),
        id_number: "11010519491231002X".into(),
        validity: Some(Validity {
            start: Some("2020-01-01".into()),
            end: None,
            long_term: true,
        }),
    };
    let application = Application {
        id: Some("a".into()),
        status: VerificationStatus::Rejected,
        revision: 3,
        personal: Some(personal.clone()),
        photos: Photos {
            portrait: Some(photo.clone()),
            emblem: None,
        },
        submitted_at: Some(1),
        decided_at: Some(2),
        reasons: vec![RejectReason::from(ReasonCode::PortraitGlare)],
        consent: Some(Consent {
            version: CONSENT_VERSION.into(),
            accepted_at: 1,
        }),
    };
    let tokens = TokenReply {
        access_token: "a".into(),
        refresh_token: "r".into(),
        expires_in: 900,
    };
    let samples: Vec<(&str, Json)> = vec![
        (
            "ErrorBody",
            serde_json::to_value(ApiError::new(ErrorCode::NotFound)).unwrap(),
        ),
        (
            "Credentials",
            serde_json::to_value(CredentialsBody {
                login: "l",
                password: "p",
            })
            .unwrap(),
        ),
        (
            "RefreshRequest",
            serde_json::to_value(RefreshBody { refresh_token: "r" }).unwrap(),
        ),
        ("TokenReply", serde_json::to_value(tokens).unwrap()),
        (
            "Registered",
            serde_json::to_value(Registered {
                user_id: "u".into(),
                login: "l".into(),
            })
            .unwrap(),
        ),
        (
            "Limits",
            serde_json::to_value(Limits::for_tier(Tier::Verified)).unwrap(),
        ),
        (
            "Account",
            serde_json::to_value(Account {
                user_id: "u".into(),
                login: "l".into(),
                tier: Tier::Verified,
                limits: Limits::for_tier(Tier::Verified),
                verification: VerificationStatus::Approved,
            })
            .unwrap(),
        ),
        (
            "Validity",
            serde_json::to_value(personal.validity.clone().unwrap()).unwrap(),
        ),
        ("PersonalInfo", serde_json::to_value(&personal).unwrap()),
        (
            "ConsentRequest",
            serde_json::to_value(ConsentRequest {
                version: CONSENT_VERSION.into(),
            })
            .unwrap(),
        ),
        ("PhotoInfo", serde_json::to_value(&photo).unwrap()),
        ("Photos", serde_json::to_value(&application.photos).unwrap()),
        (
            "RejectReason",
            serde_json::to_value(RejectReason::from(ReasonCode::EmblemBlurry)).unwrap(),
        ),
        ("Application", serde_json::to_value(&application).unwrap()),
        (
            "StatusReply",
            serde_json::to_value(StatusReply {
                status: VerificationStatus::None,
                revision: 0,
                reasons: vec![],
            })
            .unwrap(),
        ),
        (
            "RejectRequest",
            serde_json::to_value(RejectRequest {
                reasons: vec![ReasonCode::NameMismatch],
            })
            .unwrap(),
        ),
        (
            "AdminApplication",
            serde_json::to_value(AdminApplication {
                id: "a".into(),
                login: "l".into(),
                status: VerificationStatus::Pending,
                submitted_at: Some(1),
                card_read: Some(ReviewerReading::default()),
            })
            .unwrap(),
        ),
        (
            "ReviewerReading",
            serde_json::to_value(ReviewerReading::default()).unwrap(),
        ),
        (
            "PhotoReading",
            serde_json::to_value(PhotoReading {
                shows: "portrait".into(),
                name: Some("张三".into()),
                sex: Some("男".into()),
                birth: Some("1949-12-31".into()),
                id_number: Some("1101**********002X".into()),
                valid_from: Some("2020-01-01".into()),
                valid_to: Some("长期".into()),
            })
            .unwrap(),
        ),
    ];
    for (name, sample) in samples {
        assert_eq!(props(&spec, name), keys(&sample), "schema {name}");
        if let Some(required) = schema(&spec, name)["required"].as_sequence() {
            for r in required {
                assert!(
                    sample.get(r.as_str().unwrap()).is_some(),
                    "{name}.{r:?} required but not a field"
                );
            }
        }
    }
}

#[test]
fn support_schemas_match_the_rust_types() {
    use okpay_rules::contract::support::*;
    let spec = spec();
    let personal = PersonalInfo {
        name: "李四".into(),
        id_number: "11010519800101001X".into(),
        validity: None,
    };
    let request = ChangeRequest {
        state: ChangeRequestState::Rejected,
        details: personal.clone(),
        reason: Some("r".into()),
        decided_at: Some(1),
    };
    let conversation = Conversation {
        id: "c".into(),
        topic: SupportTopic::ChangeDetails,
        status: ConversationStatus::Closed,
        subject: "s".into(),
        application_id: Some("a".into()),
        created_at: 1,
        updated_at: 2,
        unread: 1,
        last_message: Some("m".into()),
        change_request: Some(request.clone()),
        seq: 3,
    };
    let message = Message {
        id: "m".into(),
        author: MessageAuthor::Agent,
        body: "b".into(),
        created_at: 1,
    };
    let summary = VerificationSummary {
        application_id: Some("a".into()),
        status: VerificationStatus::Draft,
        tier: Tier::Verified,
        name: Some("李四".into()),
        id_number: Some("1101**********001X".into()),
    };
    let samples: Vec<(&str, Json)> = vec![
        ("ChangeRequest", serde_json::to_value(&request).unwrap()),
        ("Conversation", serde_json::to_value(&conversation).unwrap()),
        ("Message", serde_json::to_value(&message).unwrap()),
        (
            "ConversationDetail",
            serde_json::to_value(ConversationDetail {
                conversation: conversation.clone(),
                messages: vec![message.clone()],
            })
            .unwrap(),
        ),
        (
            "NewConversation",
            serde_json::to_value(NewConversation {
                topic: SupportTopic::ChangeDetails,
                subject: "s".into(),
                body: "b".into(),
                application_id: None,
                change: Some(personal.clone()),
            })
            .unwrap(),
        ),
        (
            "NewMessage",
            serde_json::to_value(NewMessage { body: "b".into() }).unwrap(),
        ),
        (
            "SupportUpdates",
            serde_json::to_value(SupportUpdates {
                seq: 3,
                conversations: vec![conversation.clone()],
            })
            .unwrap(),
        ),
        (
            "ChangeRejection",
            serde_json::to_value(ChangeRejection { reason: "r".into() }).unwrap(),
        ),
        (
            "QueueEntry",
            serde_json::to_value(QueueEntry {
                conversation: conversation.clone(),
                login: "l".into(),
                tier: Tier::Unverified,
            })
            .unwrap(),
        ),
        (
            "VerificationSummary",
            serde_json::to_value(&summary).unwrap(),
        ),
        (
            "AdminConversationDetail",
            serde_json::to_value(AdminConversationDetail {
                conversation,
                messages: vec![message],
                login: "l".into(),
                verification: summary,
            })
            .unwrap(),
        ),
    ];
    for (name, sample) in samples {
        assert_eq!(props(&spec, name), keys(&sample), "schema {name}");
        for r in schema(&spec, name)["required"].as_sequence().unwrap() {
            assert!(sample.get(r.as_str().unwrap()).is_some(), "{name}.{r:?}");
        }
    }
    let enums = |name: &str| -> Vec<String> {
        schema(&spec, name)["enum"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    let wire = |v: Vec<Json>| -> Vec<String> {
        v.into_iter()
            .map(|j| j.as_str().unwrap().to_owned())
            .collect()
    };
    let topics = [
        SupportTopic::VerificationProblem,
        SupportTopic::ChangeDetails,
        SupportTopic::RejectionQuestion,
        SupportTopic::Other,
    ];
    let statuses = [
        ConversationStatus::Open,
        ConversationStatus::WaitingForUser,
        ConversationStatus::Closed,
    ];
    let states = [
        ChangeRequestState::Pending,
        ChangeRequestState::Approved,
        ChangeRequestState::Rejected,
    ];
    let to = |v: Vec<Json>| wire(v);
    assert_eq!(
        enums("SupportTopic"),
        to(topics
            .iter()
            .map(|t| serde_json::to_value(t).unwrap())
            .collect())
    );
    assert_eq!(
        enums("ConversationStatus"),
        to(statuses
            .iter()
            .map(|t| serde_json::to_value(t).unwrap())
            .collect())
    );
    assert_eq!(
        enums("ChangeRequestState"),
        to(states
            .iter()
            .map(|t| serde_json::to_value(t).unwrap())
            .collect())
    );
}
