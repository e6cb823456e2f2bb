"""The REST gateway: answers every catalogue question from the dataset version published in Redis."""
