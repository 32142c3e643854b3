//! The screens: home, progress, the review and the export, each from the warm snapshot.

use super::Recovery;
use crate::error::Result;
use crate::recovery::review::{review, ProgressReview, ReviewRange};
use crate::recovery::screens::{self, Export, Home, ProgressScreen};

impl Recovery {
    /// The home screen: today's recovery day; each journey's counter and next milestone;
    /// today's check-in or its absence; the check-in streak; milestones reached and not yet
    /// celebrated; cards suggested for the person's most frequent recent trigger.
    pub fn home(&self) -> Result<Home> {
        self.view(|s| Ok(screens::home(s, self.now())))
    }

    /// The progress screen over `range`: counters, milestones and each day's status per
    /// journey, the check-in streak, and mood and craving per day.
    pub fn progress(&self, range: ReviewRange) -> Result<ProgressScreen> {
        self.view(|s| screens::progress(s, range, self.now()))
    }

    /// The progress review for `range`, as of now.
    pub fn review_progress(&self, range: ReviewRange) -> Result<ProgressReview> {
        self.view(|s| {
            let settings = s.settings.clone().unwrap_or_default();
            review(s, range, self.now(), &settings)
        })
    }

    /// How many records could not be read, at most (damaged records, rows that are not
    /// records, rows on damaged pages of the file): a shell warns when this is not zero and
    /// offers a backup, which saves everything else.
    pub fn damaged_records(&self) -> Result<i32> {
        self.view(|s| Ok(s.damaged_count()))
    }

    /// Everything the person wrote and recorded, readable (`waymark-export/1`). It is
    /// plaintext: only for an explicit export.
    pub fn export(&self) -> Result<Export> {
        self.view(|s| Ok(screens::export(s, self.now())))
    }

    /// The progress report for `range` as one self-contained HTML document (see
    /// [`crate::recovery::report`]), with the safety plan on a page of its own when
    /// `with_safety_plan`. It holds what the person wrote, readable: save or share it only
    /// when they ask.
    pub fn report_html(&self, range: ReviewRange, with_safety_plan: bool) -> Result<String> {
        let review = self.review_progress(range)?;
        let currency = self.settings()?.currency();
        let plan = if with_safety_plan {
            Some(self.safety_plan()?)
        } else {
            None
        };
        Ok(crate::recovery::report::html(
            &review,
            &currency,
            plan.as_ref(),
        ))
    }
}
