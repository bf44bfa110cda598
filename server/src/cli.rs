use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Mijn Portaal: the self-service portal for your customers, after every purchase.
///
/// Configuration comes from environment variables (see README.md), optionally from a TOML
/// file given with --config.
#[derive(Debug, Parser)]
#[command(name = "server", version)]
pub struct Cli {
    /// A TOML configuration file (environment variables still win).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database and serve the portal (the default).
    Serve {
        /// Load the demo data when this database has never had it (used by `make run`).
        #[arg(long)]
        demo: bool,
    },
    /// Apply the database migrations and exit.
    Migrate,
    /// Load a data set.
    Seed {
        #[command(subcommand)]
        set: SeedSet,
    },
    /// Print the OpenAPI 3.1 document of the integration API (also at /api/v1/openapi.json).
    Openapi,
    /// Print a new random WEBHOOK_SECRET (whsec_…) to share with the back office.
    WebhookSecret,
    /// Make (or replace) the secret a carrier signs its webhooks to
    /// /webhooks/carriers/CARRIER with, and print it once: postnl, dhl, dpd or own_delivery.
    CarrierSecret { carrier: String },
    /// Manage API keys for the integration API (/api/v1).
    Apikey {
        #[command(subcommand)]
        action: ApiKeyAction,
    },
    /// Check the audit trail's chain of seals, or make a key for AUDIT_KEY.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Manage user accounts (staff accounts are made here).
    User {
        #[command(subcommand)]
        action: UserAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum ApiKeyAction {
    /// Create a key, e.g. `server apikey create --name webshop --scopes stores:write,orders:write`.
    /// The key is printed once; only its hash is stored.
    Create {
        #[arg(long)]
        name: String,
        /// Comma-separated scopes.
        #[arg(long, value_delimiter = ',', required = true)]
        scopes: Vec<String>,
    },
    /// Revoke the key with this name; it stops working at once.
    Revoke {
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditAction {
    /// Check every row of the audit trail, oldest first: exits 0 when the chain is whole,
    /// 1 with the first changed, inserted or removed row otherwise.
    Verify,
    /// Print a new random AUDIT_KEY (for several server processes on one database).
    Key,
}

#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Create a verified account, e.g. `server user create --email a@b.nl --role admin`.
    /// Without --password-stdin a strong password is generated and printed once.
    Create {
        #[arg(long)]
        email: String,
        /// Display name; defaults to the part of the e-mail address before the @.
        #[arg(long)]
        name: Option<String>,
        /// customer, store_staff, support_agent or admin; repeat for several.
        #[arg(long = "role", value_name = "ROLE", required = true)]
        roles: Vec<String>,
        /// The code of a store the staff member works at (e.g. UTR); repeat for several.
        /// Needed for store_staff (the returns desk works for their store).
        #[arg(long = "store", value_name = "CODE")]
        stores: Vec<String>,
        /// nl or en: the language of the user's e-mails.
        #[arg(long, default_value = "nl")]
        language: String,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Remove a user's two-step login (a lost phone, and no admin left who can reset it on
    /// /admin/staff): their sessions end and they link an app again at their next login.
    ResetTwoStep {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum SeedSet {
    /// The demo world of a Dutch bedding retailer.
    Demo,
    /// Bulk data for benchmarks, e.g. `--customers 100000 --orders-per-customer 10`.
    Scale {
        #[arg(long)]
        customers: u64,
        #[arg(long)]
        orders_per_customer: u32,
        #[arg(long, default_value_t = 3)]
        lines_per_order: u32,
        #[arg(long, default_value_t = 100)]
        products: u32,
        /// The same seed on an empty database gives the same data.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Also create a customer with a login (and `--featured-orders` orders), created
        /// first, e.g. bench@example.com.
        #[arg(long, requires = "featured_orders")]
        featured_email: Option<String>,
        #[arg(long, requires = "featured_email")]
        featured_orders: Option<u32>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn help_lists_the_commands() {
        let help = Cli::command().render_long_help().to_string();
        for cmd in ["serve", "migrate", "seed"] {
            assert!(help.contains(cmd), "{cmd} missing from --help:\n{help}");
        }
    }
}
