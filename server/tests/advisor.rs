//! Product advisors (issue #21): definitions are imported into a draft, checked and
//! published as versions; advice is saved under a code and keeps pointing at the version
//! it was given with; personal answers are kept only with consent. On SQLite and (with
//! TEST_DATABASE_URL) PostgreSQL.
mod common;

use app::advisor::engine::{Answers, Given};
use app::advisor::{repo, service};
use app::db::Timestamp;

fn answers(pairs: &[(&str, Given)]) -> Answers {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn choose(key: &str) -> Given {
    Given::Choices(vec![key.to_string()])
}

fn side_sleeper() -> Answers {
    answers(&[
        ("position", choose("side")),
        ("weight", Given::Number(75)),
        ("partner", choose("no")),
        ("complaints", Given::Choices(vec!["shoulder_hip".into()])),
        ("material", choose("foam")),
        ("width", choose("140")),
    ])
}

#[tokio::test]
async fn the_demo_publishes_the_mattress_advisor_and_a_new_version_leaves_old_advice_alone() {
    let t = common::demo().await;
    let v1 = service::published(&t.db, "matras")
        .await
        .expect("read")
        .expect("the demo's advisor is published");
    assert_eq!(v1.row.version, 1);
    let candidates = service::candidates(&t.db, &v1.definition)
        .await
        .expect("catalogue");
    // The active mattresses of the demo catalogue, every size.
    assert_eq!(candidates.len(), 17);

    // A guest's advice, saved under a code; their weight and complaints are not kept.
    let now = Timestamp::now();
    let code = service::save(
        &t.db,
        service::ToSave {
            version: &v1,
            customer_id: None,
            answers: &side_sleeper(),
            keep_personal: false,
            candidates: &candidates,
        },
        now,
    )
    .await
    .expect("saved");
    assert_eq!(code.len(), 8);
    let typed = format!("{}-{}", &code[..4], code[4..].to_lowercase());
    let saved = service::by_code(&t.db, &typed)
        .await
        .expect("read")
        .expect("found by the code as typed");
    assert_eq!(saved.version.row.version, 1);
    assert!(saved.advice.customer_id.is_none());
    assert!(saved.advice.expires_at.is_some());
    assert!(saved.answers.contains_key("position"));
    assert!(
        !saved.answers.contains_key("weight"),
        "no consent: not kept"
    );
    assert!(!saved.answers.contains_key("complaints"));
    assert!(
        saved.advice.picks.contains("MAT-WOLKEN-140200"),
        "{}",
        saved.advice.picks
    );

    // With consent, they are.
    let code_kept = service::save(
        &t.db,
        service::ToSave {
            version: &v1,
            customer_id: None,
            answers: &side_sleeper(),
            keep_personal: true,
            candidates: &candidates,
        },
        now,
    )
    .await
    .expect("saved");
    let kept = service::by_code(&t.db, &code_kept)
        .await
        .expect("read")
        .expect("found");
    assert_eq!(kept.answers.get("weight"), Some(&Given::Number(75)));

    // The retailer edits the first question and publishes: version 2 for new visitors,
    // while the saved advice still opens with version 1.
    let mut edited: serde_json::Value = serde_json::from_str(app::advisor::MATTRESS).expect("json");
    edited["questions"][0]["text"]["en"] =
        serde_json::json!("How do you lie when you fall asleep?");
    let key = service::import_draft(&t.db, &edited.to_string(), None)
        .await
        .expect("import")
        .expect("valid");
    assert_eq!(key, "matras");
    let draft = service::draft(&t.db, "matras")
        .await
        .expect("read")
        .expect("a draft");
    assert_eq!(draft.row.version, repo::DRAFT);
    assert_eq!(
        service::published(&t.db, "matras")
            .await
            .expect("read")
            .expect("v1")
            .row
            .version,
        1,
        "a draft changes nothing for visitors"
    );
    let report = service::check_draft(&t.db, "matras").await.expect("check");
    assert!(report.complete && report.dead_ends.is_empty());
    assert_eq!(
        service::publish(&t.db, "matras", None)
            .await
            .expect("published"),
        2
    );
    let v2 = service::published(&t.db, "matras")
        .await
        .expect("read")
        .expect("v2");
    assert_eq!(v2.row.version, 2);
    assert_eq!(
        v2.definition.questions[0].text.en,
        "How do you lie when you fall asleep?"
    );
    let old = service::by_code(&t.db, &code)
        .await
        .expect("read")
        .expect("found");
    assert_eq!(old.version.row.version, 1);
    assert_eq!(
        old.version.definition.questions[0].text.en,
        "Which position do you usually sleep in?"
    );

    // A guest's advice goes after its period.
    let later = now + chrono::TimeDelta::days(service::GUEST_ADVICE_DAYS + 1);
    assert_eq!(repo::purge_expired(&t.db, later).await.expect("purged"), 2);
    assert!(
        service::by_code(&t.db, &code)
            .await
            .expect("read")
            .is_none()
    );
}

#[tokio::test]
async fn a_bad_definition_is_refused_whole_naming_the_field() {
    let t = common::demo().await;
    let before = t.count("advisor_versions").await;
    let mut bad: serde_json::Value = serde_json::from_str(app::advisor::MATTRESS).expect("json");
    bad["rules"][3]["op"] = serde_json::json!("around");
    let problems = service::import_draft(&t.db, &bad.to_string(), None)
        .await
        .expect("read")
        .expect_err("refused");
    assert_eq!(problems[0].at, "rules[3].op");
    assert!(
        problems[0].message.contains("unknown variant `around`"),
        "{}",
        problems[0]
    );
    bad["rules"][3]["op"] = serde_json::json!("equals");
    bad["questions"][2]["answers"][1]["key"] = serde_json::json!("no");
    let problems = service::import_draft(&t.db, &bad.to_string(), None)
        .await
        .expect("read")
        .expect_err("refused");
    assert_eq!(problems[0].at, "questions[2].answers[1].key");
    assert_eq!(
        t.count("advisor_versions").await,
        before,
        "nothing half-imported"
    );
    let draft = service::draft(&t.db, "matras")
        .await
        .expect("read")
        .expect("the draft the demo published from");
    assert_eq!(draft.definition.questions[2].answers[1].key, "yes");
}
