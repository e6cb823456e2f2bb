"""Tools to talk to the bot on this machine without Telegram: a fake Bot API and a terminal chat."""
