"""Material requirements planning: BOM explosion, netting, pegging, release."""
