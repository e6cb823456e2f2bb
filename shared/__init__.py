"""What the Cartelera services agree on: settings, Redis keys, jobs, schemas, text rules."""
