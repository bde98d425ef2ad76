"""The emulation pages: `campaigns`, `registrations`, `evaluations` (self-assessment, reviews,
classification), `records` (initiatives, past titles)."""
