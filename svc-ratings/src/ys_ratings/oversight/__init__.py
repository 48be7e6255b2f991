"""The bureau's oversight read model: department scorecards and the 督办 ledger."""
