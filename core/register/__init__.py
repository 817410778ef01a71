"""Register reconciliation: field roles, parcel keys and numbers, record-level checks,
and the matching of map parcels to register rows with every disagreement flagged."""
