"""`make run`: one supervisor process for Redis, the ETL, the API, the worker and the bot."""
