"""Applications (办件): intake, 受理, review, decision, delivery, 办结."""
