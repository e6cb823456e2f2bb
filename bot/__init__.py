"""The Telegram bot: a client of the API that answers the brief's queries in a chat, in Spanish."""
