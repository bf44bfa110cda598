//! The demo's consent purposes, defined as an admin would. Loading again changes nothing:
//! unchanged texts make no new version. Nobody has consented to anything yet (a consent
//! recorded here would also go to the back office as a webhook).
use app::db::Db;
use app::error::AppError;
use app::language::Language::{En, Nl};
use app::privacy::ContactChannel::{Email, Phone, Post, Sms};
use app::privacy::service::{PurposeDefinition, define_purpose};

pub async fn load(db: &Db) -> Result<(), AppError> {
    let purposes = [
        PurposeDefinition {
            code: "newsletter",
            channels: &[Email],
            marketing: true,
            position: 1,
            active: true,
            soft_opt_in: false,
            texts: &[
                (
                    Nl,
                    "Nieuwsbrief",
                    "Eens per maand onze nieuwsbrief met nieuwe collecties, slaaptips en acties van Slaapwereld.",
                ),
                (
                    En,
                    "Newsletter",
                    "Our monthly newsletter with new collections, sleep tips and offers from Slaapwereld.",
                ),
            ],
            asks_again: true,
        },
        PurposeDefinition {
            code: "personal_offers",
            channels: &[Email, Sms, Post],
            marketing: true,
            position: 2,
            active: true,
            soft_opt_in: false,
            texts: &[
                (
                    Nl,
                    "Persoonlijke aanbiedingen",
                    "Aanbiedingen afgestemd op wat je eerder kocht, bijvoorbeeld een nieuw hoeslaken bij je matras. We gebruiken daarvoor je aankopen in de webshop en in de winkel.",
                ),
                (
                    En,
                    "Personal offers",
                    "Offers based on what you bought before, such as a new fitted sheet for your mattress. We use your purchases in the webshop and in our stores for this.",
                ),
            ],
            asks_again: true,
        },
        PurposeDefinition {
            code: "product_tips",
            channels: &[Email],
            marketing: true,
            position: 3,
            active: true,
            soft_opt_in: true,
            texts: &[
                (
                    Nl,
                    "Tips na je aankoop",
                    "Na een aankoop tips om er lang plezier van te hebben: onderhoud, wassen, wennen aan een nieuw matras.",
                ),
                (
                    En,
                    "Tips after your purchase",
                    "After a purchase, tips to enjoy it for long: care, washing, getting used to a new mattress.",
                ),
            ],
            asks_again: false,
        },
        PurposeDefinition {
            code: "review_requests",
            channels: &[Email, Sms],
            marketing: true,
            position: 4,
            active: true,
            soft_opt_in: false,
            texts: &[
                (
                    Nl,
                    "Vragen om een review",
                    "Een paar weken na je aankoop vragen we wat je ervan vindt. Je review helpt andere klanten kiezen.",
                ),
                (
                    En,
                    "Review requests",
                    "A few weeks after your purchase we ask what you think of it. Your review helps other customers choose.",
                ),
            ],
            asks_again: false,
        },
        PurposeDefinition {
            code: "delivery_partners",
            channels: &[Email, Sms, Phone],
            marketing: false,
            position: 5,
            active: true,
            soft_opt_in: false,
            texts: &[
                (
                    Nl,
                    "Gegevens delen met bezorgers",
                    "Je telefoonnummer en e-mailadres delen met de vervoerder van je pakket, zodat die je kan laten weten wanneer hij komt en je kunt kiezen voor een ander moment.",
                ),
                (
                    En,
                    "Sharing with delivery partners",
                    "Sharing your phone number and e-mail address with the carrier of your parcel, so they can tell you when they come and you can pick another moment.",
                ),
            ],
            asks_again: true,
        },
    ];
    for purpose in &purposes {
        define_purpose(db, purpose).await?;
    }
    Ok(())
}
