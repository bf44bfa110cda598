//! The advisor's rules on the demo's mattress advisor and on small made-up definitions.
use serde_json::json;

use super::check::check;
use super::definition::{self, Definition};
use super::engine::{self, Answers, Candidate, Given};

pub(super) fn mattress() -> Definition {
    definition::parse(super::MATTRESS).expect("the demo's definition is valid")
}

/// The demo catalogue's mattresses (as `server/src/seed/world.rs` makes them).
pub(super) fn mattresses() -> Vec<Candidate> {
    let kinds = [
        (
            "NACHTRUST",
            "Nachtrust Pocket",
            "medium",
            "pocket springs",
            49900,
            json!(["side", "back"]),
            false,
        ),
        (
            "WOLKEN",
            "Wolkenzacht Foam",
            "soft",
            "memory foam",
            39900,
            json!(["side", "side"]),
            false,
        ),
        (
            "STEVIG",
            "Stevig Latex",
            "firm",
            "latex",
            59900,
            json!(["back", "stomach"]),
            true,
        ),
        (
            "HYBRIDE",
            "Hybride Comfort",
            "medium-firm",
            "hybrid",
            79900,
            json!(["back", "side"]),
            true,
        ),
    ];
    let mut out = Vec::new();
    for (code, name, firmness, core, base, positions, cool) in kinds {
        for width in [80, 90, 140, 160] {
            out.push(Candidate {
                sku: format!("MAT-{code}-{width}200"),
                name: format!("{name} {width}×200"),
                family: format!("MAT-{code}"),
                price: base + (width - 80) * 500,
                attributes: json!({
                    "firmness": firmness, "core": core, "width_cm": width,
                    "sleep_positions": positions.clone(),
                    "max_weight_kg": if firmness == "soft" { 90 } else { 130 },
                    "hot_sleeper_friendly": cool,
                }),
            });
        }
    }
    out.push(Candidate {
        sku: "MAT-MAATWERK".into(),
        name: "Maatwerk".into(),
        family: "MAT-MAATWERK".into(),
        price: 119900,
        attributes: json!({"firmness": "chosen", "core": "pocket springs", "custom_made": true}),
    });
    out
}

pub(super) fn choose(key: &str) -> Given {
    Given::Choices(vec![key.to_string()])
}

pub(super) fn answers(pairs: &[(&str, Given)]) -> Answers {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

pub(super) fn side_sleeper() -> Answers {
    answers(&[
        ("position", choose("side")),
        ("weight", Given::Number(75)),
        ("partner", choose("no")),
        ("complaints", choose("none")),
        ("material", choose("foam")),
        ("width", choose("140")),
    ])
}

pub(super) fn stomach_sleeper() -> Answers {
    answers(&[
        ("position", choose("stomach")),
        ("weight", Given::Number(110)),
        ("partner", choose("no")),
        (
            "complaints",
            Given::Choices(vec!["back".into(), "hot".into()]),
        ),
        ("material", choose("latex")),
        ("width", choose("90")),
    ])
}

fn skus(advice: &engine::Advice<'_>) -> Vec<String> {
    advice.picks.iter().map(|p| p.sku.clone()).collect()
}

#[test]
fn one_question_at_a_time_and_the_partner_question_only_for_two() {
    let d = mattress();
    let mut given = Answers::new();
    let mut order = Vec::new();
    while let Some(question) = engine::next_question(&d, &given) {
        order.push(question.key.clone());
        let answer = match question.key.as_str() {
            "weight" => Given::Number(80),
            "partner" => choose("no"),
            _ => choose(&question.answers[0].key),
        };
        given.insert(question.key.clone(), answer);
    }
    assert_eq!(
        order,
        [
            "position",
            "weight",
            "partner",
            "complaints",
            "material",
            "width"
        ]
    );
    // Sharing the bed asks the other's weight, right after.
    given.insert("partner".into(), choose("yes"));
    assert_eq!(
        engine::next_question(&d, &given).map(|q| q.key.as_str()),
        Some("partner_weight")
    );
    // Back to "alone": that answer no longer counts, though it is kept.
    given.insert("partner_weight".into(), Given::Number(95));
    given.insert("partner".into(), choose("no"));
    assert!(!engine::in_effect(&d, &given).contains_key("partner_weight"));
    // An answer that is not one of the question's (or out of range) does not count.
    given.insert("weight".into(), Given::Number(250));
    assert_eq!(
        engine::next_question(&d, &given).map(|q| q.key.as_str()),
        Some("weight")
    );
}

#[test]
fn the_advice_is_three_explained_products_and_always_the_same() {
    let d = mattress();
    let products = mattresses();
    let advice = engine::advise(&d, &side_sleeper(), &products, 3);
    assert!(advice.exact);
    assert_eq!(
        skus(&advice),
        [
            "MAT-WOLKEN-140200",
            "MAT-NACHTRUST-140200",
            "MAT-HYBRIDE-140200"
        ]
    );
    // Soft foam: everything a side sleeper wishes for, but soft for 75 kg (8 of 10).
    let first = &advice.picks[0];
    assert_eq!(first.score, 80);
    let fits: Vec<&str> = first.fits.iter().map(|t| t.get("en")).collect();
    assert!(fits.contains(&"memory foam, as you wanted"), "{fits:?}");
    assert!(fits.contains(&"140 cm wide, fits your bed"), "{fits:?}");
    assert!(fits.contains(&"carries your weight"), "{fits:?}");
    let misses: Vec<&str> = first.misses.iter().map(|t| t.get("en")).collect();
    assert_eq!(misses, ["not the firmness that suits your weight"]);
    // Pocket springs, medium: fits the weight, misses the foam (7 of 10); the hybrid
    // scores the same and costs more.
    let second = &advice.picks[1];
    assert_eq!((second.score, advice.picks[2].score), (70, 70));
    let misses: Vec<&str> = second.misses.iter().map(|t| t.get("nl")).collect();
    assert_eq!(misses, ["geen traagschuim, waar je voorkeur naar uitging"]);
    // Deterministic: the same answers, the same advice; the order of the catalogue does
    // not matter.
    let mut reversed = products.clone();
    reversed.reverse();
    assert_eq!(
        skus(&engine::advise(&d, &side_sleeper(), &reversed, 3)),
        skus(&advice)
    );
}

#[test]
fn opposite_answers_give_different_advice() {
    let d = mattress();
    let products = mattresses();
    let side = engine::advise(&d, &side_sleeper(), &products, 3);
    let stomach = engine::advise(&d, &stomach_sleeper(), &products, 3);
    assert_eq!(stomach.picks[0].sku, "MAT-STEVIG-90200");
    assert_ne!(side.picks[0].sku, stomach.picks[0].sku);
    // 110 kg: the soft mattress (up to 90 kg) is never advised.
    assert!(
        stomach
            .picks
            .iter()
            .all(|p| !p.sku.starts_with("MAT-WOLKEN"))
    );
    assert!(stomach.exact);
}

#[test]
fn ties_go_to_the_lower_price_then_the_sku_and_one_size_per_family() {
    let d = definition::parse(
        &json!({
            "key": "t", "category": "c",
            "title": {"nl": "T", "en": "T"}, "intro": {"nl": "I", "en": "I"},
            "questions": [{"key": "q", "kind": "single", "text": {"nl": "Q", "en": "Q"},
                "answers": [{"key": "a", "text": {"nl": "A", "en": "A"}},
                            {"key": "b", "text": {"nl": "B", "en": "B"}}]}],
            "rules": [{"when": [{"question": "q", "any_of": ["a"]}], "effect": "prefer",
                "attribute": "colour", "op": "equals", "value": "blue",
                "fits": {"nl": "blauw", "en": "blue"}, "misses": {"nl": "niet blauw", "en": "not blue"}}]
        })
        .to_string(),
    )
    .expect("valid");
    let product = |sku: &str, family: &str, price: i64, colour: &str| Candidate {
        sku: sku.into(),
        name: sku.into(),
        family: family.into(),
        price,
        attributes: json!({ "colour": colour }),
    };
    let products = vec![
        product("Z-BLUE", "Z", 100, "blue"),
        product("A-BLUE", "A", 100, "blue"),
        product("A-BLUE-XL", "A", 90, "blue"),
        product("CHEAP-BLUE", "C", 50, "blue"),
        product("RED", "R", 10, "red"),
    ];
    let advice = engine::advise(&d, &answers(&[("q", choose("a"))]), &products, 3);
    assert_eq!(skus(&advice), ["CHEAP-BLUE", "A-BLUE-XL", "Z-BLUE"]);
    assert_eq!(advice.picks[0].score, 100);
    // No wish fired: every product scores 100, the cheapest first.
    let advice = engine::advise(&d, &answers(&[("q", choose("b"))]), &products, 2);
    assert_eq!(skus(&advice), ["RED", "CHEAP-BLUE"]);
}

#[test]
fn a_must_filters_where_a_wish_only_weighs() {
    let d = mattress();
    let products = mattresses();
    // Two people, one of them 120 kg: the soft foam mattress is out whatever is preferred,
    // and so are the single widths.
    let mut two = side_sleeper();
    two.insert("partner".into(), choose("yes"));
    two.insert("partner_weight".into(), Given::Number(120));
    let advice = engine::advise(&d, &two, &products, 3);
    assert!(advice.exact);
    assert!(
        advice
            .picks
            .iter()
            .all(|p| !p.sku.starts_with("MAT-WOLKEN"))
    );
    assert!(advice.picks.iter().all(|p| p.sku.ends_with("140200")));
    // The foam wish is missed by each, and they say so.
    assert!(
        advice.picks[0]
            .misses
            .iter()
            .any(|t| t.en == "no memory foam, which you preferred")
    );
}

#[test]
fn when_no_product_meets_every_must_the_nearest_come_with_the_wish_not_met() {
    let d = mattress();
    let mut heavy = stomach_sleeper();
    heavy.insert("weight".into(), Given::Number(150));
    let advice = engine::advise(&d, &heavy, &mattresses(), 3);
    assert!(!advice.exact);
    assert_eq!(advice.picks.len(), 3);
    let unmet: Vec<&str> = advice.unmet.iter().map(|t| t.en.as_str()).collect();
    assert_eq!(unmet, ["a mattress that carries your weight"]);
    // The nearest still fit the bed: they fail only the one must.
    assert!(
        advice
            .picks
            .iter()
            .all(|p| p.sku.ends_with("90200") && p.unmet.len() == 1)
    );
}

#[test]
fn answers_that_would_leave_no_product_are_hidden() {
    let d = mattress();
    let products = mattresses();
    let mut two = side_sleeper();
    two.remove("width");
    two.insert("partner".into(), choose("yes"));
    two.insert("partner_weight".into(), Given::Number(70));
    let width = d.question("width").expect("asked");
    assert_eq!(
        engine::hidden_answers(&d, &two, width, &products),
        ["80", "90"]
    );
    // Alone, every width is there.
    let mut alone = side_sleeper();
    alone.remove("width");
    assert!(engine::hidden_answers(&d, &alone, width, &products).is_empty());
}

#[test]
fn what_would_change_names_an_answer_that_gives_another_first_choice() {
    let d = mattress();
    let products = mattresses();
    let changes = engine::what_would_change(&d, &side_sleeper(), &products, 2);
    assert_eq!(changes.len(), 2, "{changes:?}");
    let first = engine::advise(&d, &side_sleeper(), &products, 1).picks[0]
        .sku
        .clone();
    for change in &changes {
        assert_ne!(change.first, first);
        let changed = engine::with(&side_sleeper(), &change.question, change.given.clone());
        assert_eq!(
            engine::advise(&d, &changed, &products, 1).picks[0].sku,
            change.first
        );
    }
    // At 75 kg the nearest weight that changes it is 91 (the foam mattress carries 90).
    assert_eq!(changes[0].question, "position");
    assert!(
        changes
            .iter()
            .all(|c| c.question != "weight" || c.given == Given::Number(91))
    );
}

#[test]
fn rules_compare_numbers_lists_and_ranges() {
    let rule = |op: &str, value: serde_json::Value| -> definition::Rule {
        serde_json::from_value(json!({
            "effect": "must", "attribute": "a", "op": op, "value": value,
            "fits": {"nl": "x", "en": "x"}, "misses": {"nl": "y", "en": "y"}
        }))
        .expect("a rule")
    };
    let none = Answers::new();
    let given = answers(&[("weight", Given::Number(80))]);
    let attrs = |v: serde_json::Value| json!({ "a": v });
    assert!(engine::meets(
        &rule("equals", json!(90)),
        &attrs(json!(90.0)),
        &none
    ));
    assert!(engine::meets(
        &rule("one_of", json!(["x", "y"])),
        &attrs(json!(["z", "y"])),
        &none
    ));
    assert!(!engine::meets(
        &rule("one_of", json!(["x"])),
        &attrs(json!(["z"])),
        &none
    ));
    assert!(engine::meets(
        &rule("between", json!([70, 90])),
        &attrs(json!(90)),
        &none
    ));
    assert!(!engine::meets(
        &rule("between", json!([70, 90])),
        &attrs(json!(91)),
        &none
    ));
    assert!(engine::meets(
        &rule("at_least", json!({"answer": "weight"})),
        &attrs(json!(80)),
        &given
    ));
    assert!(!engine::meets(
        &rule("at_least", json!({"answer": "weight"})),
        &attrs(json!(80)),
        &none
    ));
    assert!(engine::meets(
        &rule("at_most", json!(80)),
        &attrs(json!(79)),
        &none
    ));
    assert!(!engine::meets(
        &rule("at_most", json!(80)),
        &json!({}),
        &none
    ));
}

/// A made-up advisor with a known dead end: after "small", the colour question has only
/// colours no small product comes in.
fn with_a_dead_end() -> Definition {
    definition::parse(
        &json!({
            "key": "dead-end", "category": "c",
            "title": {"nl": "T", "en": "T"}, "intro": {"nl": "I", "en": "I"},
            "questions": [
                {"key": "size", "kind": "single", "text": {"nl": "Maat", "en": "Size"},
                 "answers": [{"key": "small", "text": {"nl": "S", "en": "S"}},
                             {"key": "large", "text": {"nl": "L", "en": "L"}}]},
                {"key": "colour", "kind": "single", "text": {"nl": "Kleur", "en": "Colour"},
                 "answers": [{"key": "red", "text": {"nl": "Rood", "en": "Red"}},
                             {"key": "blue", "text": {"nl": "Blauw", "en": "Blue"}}]},
                {"key": "length", "kind": "number", "text": {"nl": "Lengte", "en": "Length"},
                 "range": {"min": 150, "max": 210, "unit": {"nl": "cm", "en": "cm"}}}
            ],
            "rules": [
                {"when": [{"question": "size", "any_of": ["small"]}], "effect": "must",
                 "attribute": "size", "op": "equals", "value": "s",
                 "fits": {"nl": "s", "en": "s"}, "misses": {"nl": "s", "en": "small"}},
                {"when": [{"question": "size", "any_of": ["large"]}], "effect": "must",
                 "attribute": "size", "op": "equals", "value": "l",
                 "fits": {"nl": "l", "en": "l"}, "misses": {"nl": "l", "en": "large"}},
                {"when": [{"question": "colour", "any_of": ["red"]}], "effect": "must",
                 "attribute": "colour", "op": "equals", "value": "red",
                 "fits": {"nl": "r", "en": "r"}, "misses": {"nl": "r", "en": "red"}},
                {"when": [{"question": "colour", "any_of": ["blue"]}], "effect": "must",
                 "attribute": "colour", "op": "equals", "value": "blue",
                 "fits": {"nl": "b", "en": "b"}, "misses": {"nl": "b", "en": "blue"}},
                {"when": [{"question": "length", "between": [190, 210]}], "effect": "must",
                 "attribute": "max_length", "op": "at_least", "value": {"answer": "length"},
                 "fits": {"nl": "lang", "en": "long"}, "misses": {"nl": "lang", "en": "long enough"}}
            ]
        })
        .to_string(),
    )
    .expect("valid, though not sensible")
}

#[test]
fn the_check_before_publishing_finds_the_dead_end_and_the_combinations_without_product() {
    let d = with_a_dead_end();
    let products = vec![
        Candidate {
            sku: "S-GREEN".into(),
            name: "s".into(),
            family: "S".into(),
            price: 1,
            attributes: json!({"size": "s", "colour": "green", "max_length": 200}),
        },
        Candidate {
            sku: "L-RED".into(),
            name: "l".into(),
            family: "L".into(),
            price: 1,
            attributes: json!({"size": "l", "colour": "red", "max_length": 200}),
        },
    ];
    let report = check(&d, &products, 10_000);
    assert!(report.complete);
    assert!(!report.is_clean());
    assert_eq!(
        report.dead_ends,
        [(
            vec![("size".to_string(), choose("small"))],
            "colour".to_string()
        )]
    );
    // After "large", "blue" is hidden; "red" goes on to the length, where more than the
    // products' 200 cm finds nothing long enough.
    let lengths: Vec<&Given> = report
        .without_product
        .iter()
        .map(|path| &path.last().expect("a step").1)
        .collect();
    assert_eq!(lengths, [&Given::Number(201), &Given::Number(210)]);
    let tried = engine::telling_numbers(&d, d.question("length").expect("q"), &products);
    assert_eq!(tried, [150, 189, 190, 199, 200, 201, 210]);
    // Walked: small (a dead end), then large → red → each length.
    assert_eq!(report.combinations, 1 + tried.len());
    // A limit makes it a sample, and says so.
    let sample = check(&d, &products, 2);
    assert!(!sample.complete);
}

#[test]
fn the_mattress_advisor_has_no_dead_end_only_weights_nothing_carries() {
    let d = mattress();
    let report = check(&d, &mattresses(), 100_000);
    assert!(report.complete, "{} walked", report.combinations);
    assert!(report.dead_ends.is_empty(), "{:?}", report.dead_ends);
    assert!(!report.without_product.is_empty());
    for path in &report.without_product {
        assert!(
            path.iter().any(|(q, g)| {
                q.ends_with("weight") && matches!(g, Given::Number(n) if *n > 130)
            }),
            "{path:?}"
        );
    }
}

#[test]
fn a_bad_definition_is_refused_naming_the_field() {
    let mut value: serde_json::Value = serde_json::from_str(super::MATTRESS).expect("json");
    value["questions"][1]["range"]["maximum"] = json!(10);
    let problems = definition::parse(&value.to_string()).expect_err("refused");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].at, "questions[1].range.maximum");
    assert!(
        problems[0].message.contains("unknown field `maximum`"),
        "{}",
        problems[0]
    );

    let problems = definition::parse("{\"key\": \"x\"").expect_err("refused");
    assert!(problems[0].message.contains("EOF"), "{}", problems[0]);

    // Readable, but inconsistent: every problem is listed, each where it is.
    let mut value: serde_json::Value = serde_json::from_str(super::MATTRESS).expect("json");
    value["questions"][3]["show_if"][0]["question"] = json!("width");
    value["rules"][0]["when"][0]["any_of"] = json!(["sideways"]);
    value["rules"][1]["op"] = json!("between");
    value["questions"][1]["why"] = serde_json::Value::Null;
    value["title"]["en"] = json!(" ");
    let problems = definition::parse(&value.to_string()).expect_err("refused");
    let at: Vec<&str> = problems.iter().map(|p| p.at.as_str()).collect();
    assert_eq!(
        at,
        [
            "title.en",
            "questions[1].why",
            "questions[3].show_if[0].question",
            "rules[0].when[0].any_of[0]",
            "rules[1].value"
        ],
        "{problems:?}"
    );
    assert!(problems[2].message.contains("not an earlier question"));
}

#[test]
fn an_answer_names_an_icon_the_portal_has() {
    let mut value: serde_json::Value = serde_json::from_str(super::MATTRESS).expect("json");
    value["questions"][0]["answers"][1]["icon"] = json!("unicorn");
    let problems = definition::parse(&value.to_string()).expect_err("refused");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].at, "questions[0].answers[1].icon");
    assert!(
        problems[0].message.contains("side, back"),
        "{}",
        problems[0]
    );

    // Every icon a definition may name is a file the site serves.
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("public/icons/advisor");
    for icon in definition::ICONS {
        let svg = std::fs::read_to_string(folder.join(format!("{icon}.svg")))
            .unwrap_or_else(|e| panic!("{icon}.svg: {e}"));
        assert!(svg.starts_with("<svg") && svg.contains("viewBox"), "{icon}");
    }
}
