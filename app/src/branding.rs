//! The retailer's name, logo and brand colour: set by the operator in the configuration,
//! shown in the header and used as the accent colour of the whole portal.
use leptos::prelude::*;
use leptos_meta::Style;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branding {
    pub retailer_name: String,
    /// URL of the logo image; the retailer's name is shown as text without one.
    pub logo_url: Option<String>,
    /// `#rrggbb`; checked by the configuration.
    pub brand_colour: String,
}

impl Default for Branding {
    fn default() -> Self {
        Branding {
            retailer_name: "Mijn Portaal".into(),
            logo_url: None,
            brand_colour: "#1f5f8b".into(),
        }
    }
}

impl Branding {
    /// The branding the server put in the request context (the default outside a request,
    /// e.g. when the router lists the routes).
    pub fn current() -> Branding {
        use_context::<Branding>().unwrap_or_default()
    }

    /// Black or white, whichever reads better on the brand colour (WCAG relative luminance).
    pub fn text_on_brand(&self) -> &'static str {
        match parse_hex_colour(&self.brand_colour) {
            Some((r, g, b)) => {
                let lum = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
                // Contrast with white is (1.05)/(lum+0.05), with black (lum+0.05)/0.05.
                if 1.05 / (lum + 0.05) >= (lum + 0.05) / 0.05 {
                    "#ffffff"
                } else {
                    "#111111"
                }
            }
            None => "#ffffff",
        }
    }
}

fn channel(value: u8) -> f64 {
    let c = f64::from(value) / 255.0;
    if c <= 0.03928 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// Parses `#rrggbb`; anything else is refused (the value ends up in CSS).
pub fn parse_hex_colour(value: &str) -> Option<(u8, u8, u8)> {
    let hex = value.strip_prefix('#')?;
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some((byte(0)?, byte(2)?, byte(4)?))
}

/// The brand colour as CSS custom properties (an inline style with the CSP nonce).
#[component]
pub fn BrandStyle() -> impl IntoView {
    let branding = Branding::current();
    let colour = parse_hex_colour(&branding.brand_colour)
        .map(|_| branding.brand_colour.clone())
        .unwrap_or_else(|| Branding::default().brand_colour);
    let css = format!(
        ":root{{--brand:{colour};--on-brand:{}}}",
        branding.text_on_brand()
    );
    view! { <Style id="brand">{css}</Style> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_hex_colours_pass() {
        assert_eq!(parse_hex_colour("#1f5f8b"), Some((0x1f, 0x5f, 0x8b)));
        assert_eq!(parse_hex_colour("1f5f8b"), None);
        assert_eq!(parse_hex_colour("#fff"), None);
        assert_eq!(parse_hex_colour("#12345g"), None);
        assert_eq!(parse_hex_colour("red;}body{display:none"), None);
    }

    #[test]
    fn readable_text_on_the_brand_colour() {
        let with = |c: &str| Branding {
            brand_colour: c.into(),
            ..Branding::default()
        };
        assert_eq!(with("#1f5f8b").text_on_brand(), "#ffffff");
        assert_eq!(with("#ffd400").text_on_brand(), "#111111");
        assert_eq!(with("#000000").text_on_brand(), "#ffffff");
    }
}
