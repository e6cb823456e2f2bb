"""Every sentence a person reads from the API or the bot, one module per family.

- `formats`: numbers and lists the way Spanish readers write them (1.234,56; «a, b y c»).
- `answers`: the answers to the seven questions (the brief's sentences), for the API and the bot.
- `errors`: the API's error sentences (`detail` of every 4xx/5xx).
- `jobs`: what each job state means, refresh progress, and the worker's failures.
- `bot`: the bot's own words: menu, help, buttons, cards, refusals, rate limit.
- `lists`: title search, inline mode, the personal list and `/olvidarme` (API and bot), and the
  filmography line that says "sin datos" for unknown money.

Machine codes (error codes, job states, field names) stay English and live elsewhere in `shared/`.
"""
