//! Codes people use: QR codes and barcodes as inline SVG (a loyalty card, a return's
//! code), drawn by the `qrcode` and `barcoders` crates, and typeable random codes.
use crate::error::AppError;

/// `len` random characters without 0/O or 1/I: codes people read aloud and type at a
/// desk (a return's code, saved advice).
pub fn typeable(len: usize) -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..len)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// A QR code of `text`, at least 180 px, as inline SVG.
pub fn qr_svg(text: &str) -> Result<String, AppError> {
    let qr = qrcode::QrCode::new(text.as_bytes()).map_err(|err| {
        tracing::error!(error = %err, "cannot make the QR code");
        AppError::Internal
    })?;
    let svg = qr
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(180, 180)
        .quiet_zone(true)
        .build();
    Ok(strip_xml_declaration(&svg))
}

/// The bars of a Code 128 barcode of `text` (character set B: any letters and digits).
pub fn code128_bars(text: &str) -> Result<Vec<u8>, AppError> {
    barcoders::sym::code128::Code128::new(format!("Ɓ{text}"))
        .map(|code| code.encode())
        .map_err(|err| {
            tracing::error!(error = %err, "cannot make the barcode");
            AppError::Internal
        })
}

/// A Code 128 barcode of `text` as inline SVG.
pub fn code128_svg(text: &str) -> Result<String, AppError> {
    let svg = barcoders::generators::svg::SVG::new(80)
        .xdim(2)
        .generate(code128_bars(text)?)
        .map_err(|err| {
            tracing::error!(error = %err, "cannot draw the barcode");
            AppError::Internal
        })?;
    Ok(strip_xml_declaration(&svg))
}

/// Inline SVG in HTML needs no XML declaration.
fn strip_xml_declaration(svg: &str) -> String {
    match svg.find("<svg") {
        Some(start) => svg[start..].to_string(),
        None => svg.to_string(),
    }
}
