//! Text for people: aligned tables, sparklines, the 12-week calendar, and number formats.

pub mod calendar;
pub mod format;
pub mod spark;
pub mod table;
pub mod window;
