//! Generates the typed `i18n` module from `locales/*.json` (leptos_i18n). A key that is
//! missing from one language is reported here, at compile time.
use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=Cargo.toml");
    // sqlx::migrate! embeds the migration files: a new file must rebuild this crate.
    println!("cargo::rerun-if-changed=../migrations");

    let out_dir = std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?;
    let i18n_mod_directory = PathBuf::from(out_dir).join("i18n");

    // Dutch first: it is the default when the browser asks for neither language.
    let cfg = Config::new("nl")?
        .add_locale("en")?
        // Lets `t_string!` interpolate values (titles, attributes).
        .parse_options(ParseOptions::new().interpolate_display(true));
    let translations = TranslationsInfos::parse(cfg)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(i18n_mod_directory)?;
    Ok(())
}
