//! Layout and components shared by every area.
pub mod error_view;
pub mod format;
pub mod forms;
pub mod language;
pub mod layout;
pub mod pages;
