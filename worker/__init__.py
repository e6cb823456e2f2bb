"""The arq worker: recommendations from a version's model, and dataset refreshes in a child process."""
