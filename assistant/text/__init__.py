"""Pure text rules shared by ingest, contracts and answering: clause numbers, quantities and dates,
money ranges, redaction. No I/O, no models."""
