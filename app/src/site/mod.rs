//! The site around the areas: the layout (header with the user menu, navigation, footer)
//! and the pages of no single area. It composes the areas, so it sits above them.
pub mod layout;
pub mod pages;
