"""申诉复核: the rated unit appeals a rating; the bureau upholds or rejects it."""
