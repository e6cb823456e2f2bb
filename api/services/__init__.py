"""Plain async functions over a Redis client that answer each question (no web framework here)."""
