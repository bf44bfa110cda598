use std::process::ExitCode;

use clap::Parser;
use server::cli::{ApiKeyAction, AuditAction, Cli, Command, SeedSet, UserAction};
use server::config::Config;
use server::startup::{self, StartError};
use server::{seed, telemetry};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    server::allocator::return_freed_memory_at_once();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), StartError> {
    if let Some(Command::WebhookSecret) = cli.command {
        println!("{}", server::webhooks::new_secret());
        return Ok(());
    }
    if let Some(Command::Audit {
        action: AuditAction::Key,
    }) = cli.command
    {
        println!("{}", app::audit::chain::AuditKey::generate().to_text());
        return Ok(());
    }
    if let Some(Command::Openapi) = cli.command {
        // Needs no configuration or database.
        use utoipa::OpenApi;
        let doc = server::api::docs::ApiDoc::openapi();
        println!(
            "{}",
            doc.to_pretty_json()
                .map_err(|e| StartError::Command(e.to_string()))?
        );
        return Ok(());
    }
    let config = Config::load(cli.config.as_deref())?;
    telemetry::init(&config);
    match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => startup::serve(config, demo).await,
        Command::Migrate => {
            startup::open_database(&config).await?;
            println!("The database is up to date.");
            Ok(())
        }
        Command::Seed { set: SeedSet::Demo } => {
            let db = startup::open_database(&config).await?;
            seed::demo(&db)
                .await
                .map_err(|e| StartError::Seed(e.to_string()))?;
            println!("Demo data loaded.");
            Ok(())
        }
        Command::Seed {
            set:
                SeedSet::Scale {
                    customers,
                    orders_per_customer,
                    lines_per_order,
                    products,
                    seed,
                    featured_email,
                    featured_orders,
                },
        } => {
            let db = startup::open_database(&config).await?;
            let options = seed::scale::ScaleOptions {
                customers,
                orders_per_customer,
                lines_per_order: lines_per_order.max(1),
                products,
                seed,
                featured: featured_email.zip(featured_orders),
            };
            let started = std::time::Instant::now();
            let report = seed::scale::scale(&db, &options)
                .await
                .map_err(StartError::Seed)?;
            println!(
                "Scale data loaded in {:.1} s: {} customers, {} orders, {} order lines, {} shipments, {} carrier events.",
                started.elapsed().as_secs_f64(),
                report.customers,
                report.orders,
                report.lines,
                report.shipments,
                report.events
            );
            if let Some((email, _)) = &options.featured {
                println!(
                    "Featured customer: {email} / {}",
                    seed::scale::FEATURED_PASSWORD
                );
            }
            Ok(())
        }
        Command::Openapi
        | Command::WebhookSecret
        | Command::Audit {
            action: AuditAction::Key,
        } => Ok(()),
        Command::Audit {
            action: AuditAction::Verify,
        } => {
            let db = startup::open_database(&config).await?;
            let key = server::audit::load_key(&config, false).map_err(StartError::Command)?;
            let (report, intact) = server::audit::verify(&db, &key)
                .await
                .map_err(StartError::Command)?;
            println!("{report}");
            if intact {
                Ok(())
            } else {
                Err(StartError::AuditBroken)
            }
        }
        Command::CarrierSecret { carrier } => {
            let db = startup::open_database(&config).await?;
            let secret = server::webhooks::new_secret();
            app::tracking::admin::new_carrier_secret(&db, carrier.trim(), &secret)
                .await
                .map_err(|_| {
                    StartError::Command(format!(
                        "unknown carrier \"{carrier}\": use postnl, dhl, dpd or own_delivery"
                    ))
                })?;
            println!(
                "Secret for {carrier} (give it to the carrier; it signs POST /webhooks/carriers/{carrier}):\n{secret}"
            );
            Ok(())
        }
        Command::Apikey { action } => {
            let db = startup::open_database(&config).await?;
            let message = match action {
                ApiKeyAction::Create { name, scopes } => {
                    server::apikeys::create(&db, &name, &scopes).await
                }
                ApiKeyAction::Revoke { name } => server::apikeys::revoke(&db, &name).await,
            };
            println!("{}", message.map_err(StartError::Command)?);
            Ok(())
        }
        Command::User { action } => match action {
            UserAction::Create {
                email,
                name,
                roles,
                stores,
                language,
                password_stdin,
            } => {
                let db = startup::open_database(&config).await?;
                let key = server::audit::load_key(&config, true).map_err(StartError::Command)?;
                let request = server::users::CreateUser {
                    email,
                    name,
                    roles,
                    stores,
                    language,
                    password_stdin,
                };
                let message = server::users::create(&db, &key, request)
                    .await
                    .map_err(StartError::Command)?;
                println!("{message}");
                Ok(())
            }
            UserAction::ResetTwoStep { email } => {
                let db = startup::open_database(&config).await?;
                let key = server::audit::load_key(&config, true).map_err(StartError::Command)?;
                let message = server::users::reset_two_step(&db, &key, &email)
                    .await
                    .map_err(StartError::Command)?;
                println!("{message}");
                Ok(())
            }
        },
    }
}
