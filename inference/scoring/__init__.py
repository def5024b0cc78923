"""Online scoring: rescore what changed, write predictions, raise and clear risk alerts."""
