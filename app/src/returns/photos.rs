//! Photos of damage on a return line: what a phone uploads (JPEG, PNG or WebP, often
//! several megabytes, often sideways with an EXIF orientation, often with the GPS position
//! in its EXIF data) becomes an upright JPEG of at most `MAX_SIDE` pixels, without any of
//! the original metadata. Only the re-encoded picture is stored.
use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use super::service::{self, Actor};
use super::{MAX_PHOTOS_PER_LINE, PHOTO_REASONS, Return, ReturnStatus, photo_repo, repo};
use crate::db::{Db, Timestamp};
use crate::error::AppError;

/// The largest upload accepted (a photo straight from a phone camera fits).
pub const MAX_UPLOAD_BYTES: usize = 15 * 1024 * 1024;
/// The longest side of a stored photo: enough to see a stain or a tear.
pub const MAX_SIDE: u32 = 1600;

/// A photo ready to store.
#[derive(Debug)]
pub struct Prepared {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Why an upload was refused; each has a message next to the field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    Empty,
    TooLarge,
    /// Not a JPEG, PNG or WebP picture (or not a picture at all).
    NotAPhoto,
}

impl Refused {
    /// The field error code shown to the user.
    pub fn code(self) -> &'static str {
        match self {
            Refused::Empty => "required",
            Refused::TooLarge => "too_large",
            Refused::NotAPhoto => "not_a_photo",
        }
    }
}

/// Checks and re-encodes an upload. CPU-bound: call it from `spawn_blocking`.
pub fn prepare(upload: &[u8]) -> Result<Prepared, Refused> {
    if upload.is_empty() {
        return Err(Refused::Empty);
    }
    if upload.len() > MAX_UPLOAD_BYTES {
        return Err(Refused::TooLarge);
    }
    // The bytes decide what it is, never the file name or the browser's content type.
    let mut reader = ImageReader::new(Cursor::new(upload))
        .with_guessed_format()
        .map_err(|_| Refused::NotAPhoto)?;
    if !matches!(
        reader.format(),
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)
    ) {
        return Err(Refused::NotAPhoto);
    }
    // A small file can claim a huge canvas ("decompression bomb"): cap what decoding may use.
    let mut limits = Limits::default();
    limits.max_image_width = Some(12_000);
    limits.max_image_height = Some(12_000);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| Refused::NotAPhoto)?;
    let orientation = decoder.orientation().ok();
    let mut picture = DynamicImage::from_decoder(decoder).map_err(|_| Refused::NotAPhoto)?;
    if let Some(orientation) = orientation {
        picture.apply_orientation(orientation);
    }
    if picture.width() > MAX_SIDE || picture.height() > MAX_SIDE {
        picture = picture.resize(MAX_SIDE, MAX_SIDE, FilterType::Triangle);
    }
    let rgb = picture.to_rgb8();
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 82)
        .encode_image(&rgb)
        .map_err(|_| Refused::NotAPhoto)?;
    Ok(Prepared {
        jpeg,
        width: rgb.width(),
        height: rgb.height(),
    })
}

/// Who asks for a return's photos: its customer, or staff (any store's desk, as returns
/// are omnichannel, and the back office through the API).
#[derive(Clone, Copy, Debug)]
pub enum Viewer {
    Customer(Option<i64>),
    Staff,
}

async fn the_return(db: &Db, viewer: Viewer, code: &str) -> Result<(i64, Return), AppError> {
    let (id, _, ret) = repo::find_by_code(db, code.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    if let Viewer::Customer(customer_id) = viewer {
        service::check_owner(db, customer_id, &ret).await?;
    }
    Ok((id, ret))
}

/// Photos can be added and removed until the return is inspected.
fn still_open(ret: &Return) -> Result<(), AppError> {
    if matches!(
        ret.status,
        ReturnStatus::Registered | ReturnStatus::HandedIn | ReturnStatus::Received
    ) {
        Ok(())
    } else {
        Err(AppError::invalid("photo", "closed"))
    }
}

/// Whether `viewer` may add a photo to `line` of return `code` now (their return, still
/// open, a line whose reason asks for one, room for more); the return's id. Asked
/// before an upload is read at all, so nobody else's upload costs memory.
pub async fn may_add(db: &Db, viewer: Viewer, code: &str, line: i32) -> Result<i64, AppError> {
    let (id, ret) = the_return(db, viewer, code).await?;
    still_open(&ret)?;
    let field = format!("photo[{line}]");
    let on_line = ret
        .lines
        .iter()
        .find(|l| l.line == line)
        .ok_or_else(|| AppError::invalid(&field, "invalid"))?;
    if !PHOTO_REASONS.contains(&on_line.reason.as_str()) {
        return Err(AppError::invalid(&field, "not_needed"));
    }
    if on_line.photos.len() >= MAX_PHOTOS_PER_LINE {
        return Err(AppError::invalid(&field, "too_many"));
    }
    Ok(id)
}

/// Adds a photo of the damage to one line of a return; the field errors are named
/// `photo[<line>]`.
pub async fn add(
    db: &Db,
    actor: Actor,
    viewer: Viewer,
    code: &str,
    line: i32,
    upload: Vec<u8>,
) -> Result<Return, AppError> {
    let id = may_add(db, viewer, code, line).await?;
    let field = format!("photo[{line}]");
    // Decoding a photo takes memory in proportion to its pixels: a few at a time.
    let _turn = crate::limits::decoding()
        .acquire()
        .await
        .map_err(|_| AppError::Internal)?;
    let prepared = tokio::task::spawn_blocking(move || prepare(&upload))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "photo task failed");
            AppError::Internal
        })?
        .map_err(|refused| AppError::invalid(&field, refused.code()))?;
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    // Counted again right before the insert: another tab may have added one meanwhile.
    // (The limit keeps pages tidy; it guards no money, so a rare race past it is harmless.)
    let before = photo_repo::photo_count(&mut tx, id, line).await?;
    if before >= MAX_PHOTOS_PER_LINE as i64 {
        return Err(AppError::invalid(&field, "too_many"));
    }
    let photo_id = photo_repo::insert_photo(
        &mut tx,
        &photo_repo::NewPhoto {
            return_id: id,
            line_no: line,
            jpeg: &prepared.jpeg,
            width: i32::try_from(prepared.width).unwrap_or(i32::MAX),
            height: i32::try_from(prepared.height).unwrap_or(i32::MAX),
            uploaded_by: actor.user_id,
        },
        now,
    )
    .await?;
    repo::record(
        &mut tx,
        &repo::Step {
            return_id: id,
            action: "photo_added",
            user_id: actor.user_id,
            role: actor.role.as_str(),
            store_id: actor.store_id,
            details: Some(&format!("line {line}, photo {photo_id}")),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    service::find(db, code).await
}

/// The JPEG bytes of one of a return's photos.
pub async fn bytes(
    db: &Db,
    viewer: Viewer,
    code: &str,
    photo_id: i64,
) -> Result<Vec<u8>, AppError> {
    let (id, _) = the_return(db, viewer, code).await?;
    photo_repo::photo(db, id, photo_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Removes a photo (a wrong one, or one taken again) until the return is inspected.
pub async fn remove(
    db: &Db,
    actor: Actor,
    viewer: Viewer,
    code: &str,
    photo_id: i64,
) -> Result<Return, AppError> {
    let (id, ret) = the_return(db, viewer, code).await?;
    still_open(&ret)?;
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    if !photo_repo::delete_photo(&mut tx, id, photo_id).await? {
        return Err(AppError::NotFound);
    }
    repo::record(
        &mut tx,
        &repo::Step {
            return_id: id,
            action: "photo_removed",
            user_id: actor.user_id,
            role: actor.role.as_str(),
            store_id: actor.store_id,
            details: Some(&format!("photo {photo_id}")),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    service::find(db, code).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};

    fn encoded(picture: &RgbImage, format: ImageFormat) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        picture.write_to(&mut out, format).expect("encodes");
        out.into_inner()
    }

    /// A JPEG with an EXIF block (orientation 6: turn 90° clockwise, and a maker note
    /// standing in for a GPS position) right after its start marker.
    fn jpeg_with_exif(picture: &RgbImage) -> Vec<u8> {
        let plain = encoded(picture, ImageFormat::Jpeg);
        // Big-endian TIFF header, one IFD entry: Orientation (0x0112), SHORT, 1, value 6.
        let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
        tiff.extend_from_slice(&[0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0]);
        let mut exif = b"Exif\0\0".to_vec();
        exif.extend_from_slice(&tiff);
        exif.extend_from_slice(b"SECRET-GPS-52.0907N-5.1214E");
        let len = u16::try_from(exif.len() + 2).expect("small");
        let mut out = plain[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&exif);
        out.extend_from_slice(&plain[2..]);
        out
    }

    fn refused(upload: &[u8]) -> Refused {
        prepare(upload).expect_err("refused")
    }

    #[test]
    fn a_phone_photo_becomes_a_smaller_jpeg() {
        let picture = RgbImage::from_pixel(4000, 3000, Rgb([200, 120, 40]));
        let prepared = prepare(&encoded(&picture, ImageFormat::Png)).expect("accepted");
        assert_eq!((prepared.width, prepared.height), (1600, 1200));
        assert_eq!(&prepared.jpeg[..3], &[0xFF, 0xD8, 0xFF], "stored as JPEG");
        let back = image::load_from_memory(&prepared.jpeg).expect("readable");
        assert_eq!((back.width(), back.height()), (1600, 1200));
    }

    #[test]
    fn small_photos_keep_their_size_and_webp_is_read() {
        let picture = RgbImage::from_pixel(300, 200, Rgb([10, 20, 30]));
        let prepared = prepare(&encoded(&picture, ImageFormat::WebP)).expect("accepted");
        assert_eq!((prepared.width, prepared.height), (300, 200));
    }

    #[test]
    fn the_photo_is_turned_upright_and_its_exif_is_dropped() {
        let picture = RgbImage::from_pixel(400, 100, Rgb([90, 90, 90]));
        let upload = jpeg_with_exif(&picture);
        assert!(upload.windows(6).any(|w| w == b"SECRET"));
        let prepared = prepare(&upload).expect("accepted");
        assert_eq!(
            (prepared.width, prepared.height),
            (100, 400),
            "turned upright"
        );
        assert!(!prepared.jpeg.windows(4).any(|w| w == b"Exif"));
        assert!(!prepared.jpeg.windows(6).any(|w| w == b"SECRET"));
    }

    #[test]
    fn anything_else_is_refused() {
        assert_eq!(refused(b""), Refused::Empty);
        assert_eq!(refused(b"%PDF-1.7 not a photo"), Refused::NotAPhoto);
        let gif = b"GIF89a\x01\0\x01\0\0\0\0;";
        assert_eq!(refused(gif), Refused::NotAPhoto);
        // A JPEG cut off halfway cannot be decoded.
        let picture = RgbImage::from_pixel(64, 64, Rgb([1, 2, 3]));
        let jpeg = encoded(&picture, ImageFormat::Jpeg);
        assert_eq!(refused(&jpeg[..jpeg.len() / 3]), Refused::NotAPhoto);
        let huge = vec![0u8; MAX_UPLOAD_BYTES + 1];
        assert_eq!(refused(&huge), Refused::TooLarge);
    }

    #[test]
    fn a_canvas_too_large_to_decode_is_refused() {
        // A PNG header claiming 20,000 × 20,000 pixels.
        let picture = RgbImage::from_pixel(1, 1, Rgb([0, 0, 0]));
        let mut png = encoded(&picture, ImageFormat::Png);
        // IHDR width and height sit at bytes 16..24; the CRC then no longer matches,
        // which must be refused just the same.
        png[16..20].copy_from_slice(&20_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&20_000u32.to_be_bytes());
        assert_eq!(refused(&png), Refused::NotAPhoto);
    }
}
