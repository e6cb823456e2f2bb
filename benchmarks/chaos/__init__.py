"""`make chaos`: faults injected into a running system under load, and what its users saw."""
