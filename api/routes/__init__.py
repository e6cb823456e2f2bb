"""One router per resource of the gateway."""

# Registers the `text` path convertor before any route module compiles its paths.
from api.routes import params as params
