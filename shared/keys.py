"""Every Redis key, TTL and the dataset version scheme, in one place.

All keys carry the `{cartelera}` hash tag so that they live in one cluster slot: the Lua
lookups that read the current version and its data in one step need that on a Redis Cluster.
"""

from __future__ import annotations

from datetime import UTC, datetime

PREFIX = "{cartelera}"

# The pointer readers follow; switching it is the one atomic step of a publish.
CURRENT_VERSION = f"{PREFIX}:current"
# Pub/sub channel: the new version is announced here right after each switch, so processes that
# keep answers of a version in memory (the API's memo) drop them at once.
VERSION_CHANNEL = f"{PREFIX}:version-switched"
# Serialises publishers so two refreshes never interleave their writes. Its value names the owner
# (host, pid, version being written); the owner renews it while writing, so a publisher killed
# with SIGKILL frees it within the TTL, and at once when the next publisher sees on the same host
# that the owner's process is gone.
PUBLISH_LOCK = f"{PREFIX}:publish-lock"
PUBLISH_LOCK_TTL_SECONDS = 60
# Every key of a version being written expires after this long unless the switch makes it
# permanent: a publish killed half-way leaves nothing behind for good. Renewed while writing.
PROVISIONAL_TTL_SECONDS = 10 * 60
# Held by the worker for a whole refresh (check source, ETL, publish, warm), so two refreshes
# never interleave; renewed while the refresh runs, so a dead worker frees it within the TTL.
REFRESH_LOCK = f"{PREFIX}:refresh-lock"
REFRESH_LOCK_TTL_SECONDS = 60

# The previous version keeps answering for this long after a switch, so a reader that
# resolved the old pointer a moment ago still finds complete data.
OLD_VERSION_GRACE_SECONDS = 60

# Hash: the source `make run` last checked (`path`, `fingerprint`, `digest`), so a restart on
# unchanged files skips hashing them again (see launcher.dataset).
LAUNCHER_SOURCE = f"{PREFIX}:launcher:source"

# Hash: the source the worker last compared with the published version (`fingerprint`, `digest`),
# so a refresh of unchanged files (names, sizes, mtimes) is a no-op without reading them again.
REFRESH_SOURCE = f"{PREFIX}:refresh:source"

# Progress of admin jobs (refreshes), read by GET /admin/jobs/{job_id}.
JOB_PROGRESS_TTL_SECONDS = 24 * 3600

# Hash fields of a version's model key.
MODEL_MATRIX_FIELD = "matrix"
MODEL_IDS_FIELD = "ids"
MODEL_GROUPS_FIELD = "groups"
# Optional: popularity prior per row (npy float32) and ranking parameters (JSON).
MODEL_PRIOR_FIELD = "prior"
MODEL_PARAMS_FIELD = "params"
# Optional (versions published before them have none): title group and collection id per row
# (npy int64, the diversity rules), and the blocks and labels of the matrix's columns (JSON, motivos).
MODEL_TITLES_FIELD = "titles"
MODEL_COLLECTIONS_FIELD = "collections"
MODEL_COLUMNS_FIELD = "columns"


def new_version(source_digest: str, now: datetime | None = None) -> str:
    """A version id that sorts by build time and names its source: `20261126T160000Z-ab12cd34`."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return f"{moment:%Y%m%dT%H%M%S%fZ}-{source_digest[:8]}"


def version_prefix(version: str) -> str:
    return f"{PREFIX}:v:{version}"


def version_pattern(version: str) -> str:
    """SCAN pattern matching every key of one version."""
    return f"{version_prefix(version)}:*"


def meta(version: str) -> str:
    """Hash: version, source_digest, created_at, counts (see etl.publish)."""
    return f"{version_prefix(version)}:meta"


def months(version: str) -> str:
    """Hash: month number "1".."12" -> number of movies released that month."""
    return f"{version_prefix(version)}:months"


def weekdays(version: str) -> str:
    """Hash: weekday "0" (lunes) .. "6" (domingo) -> number of movies released that day."""
    return f"{version_prefix(version)}:weekdays"


def movies(version: str) -> str:
    """Hash: movie id -> `shared.schemas.Movie` JSON."""
    return f"{version_prefix(version)}:movies"


def titles(version: str) -> str:
    """Hash: `shared.text.title_key` -> JSON list of `Movie`, most votes first."""
    return f"{version_prefix(version)}:titles"


def actors(version: str) -> str:
    """Hash: `shared.text.name_key` -> JSON list of `ActorStats`, most films first."""
    return f"{version_prefix(version)}:actors"


def directors(version: str) -> str:
    """Hash: `shared.text.name_key` -> JSON list of `DirectorStats`, most films first."""
    return f"{version_prefix(version)}:directors"


def title_catalog(version: str) -> str:
    """String: JSON list of `[id, title, year, votes]` for every movie (fuzzy suggestions)."""
    return f"{version_prefix(version)}:catalog:titles"


def actor_catalog(version: str) -> str:
    """String: JSON list of `[name, films]`, one per distinct actor name (suggestions)."""
    return f"{version_prefix(version)}:catalog:actors"


def director_catalog(version: str) -> str:
    """String: JSON list of `[name, films]`, one per distinct director name (suggestions)."""
    return f"{version_prefix(version)}:catalog:directors"


def model(version: str) -> str:
    """Hash: the recommender fitted for this version (`MODEL_*_FIELD` fields, bytes)."""
    return f"{version_prefix(version)}:model"


def recommendations(version: str) -> str:
    """Hash: movie id -> `RecommendationResult` JSON, the worker's cache for this version."""
    return f"{version_prefix(version)}:recs"


def job_progress(job_id: str) -> str:
    """Hash: `progreso` (0-100), `detalle` (Spanish), `estado` of an admin job."""
    return f"{PREFIX}:job:{job_id}"


def search_prefixes(version: str) -> str:
    """Hash: folded prefix typed in `/buscar` -> ranked film ids (see etl.search_index)."""
    return f"{version_prefix(version)}:search:prefixes"


def search_cards(version: str) -> str:
    """Hash: movie id -> JSON `[id, title, year, score, votes, poster_path, folded title]`."""
    return f"{version_prefix(version)}:search:cards"


# A user's personal list lives outside every dataset version (it holds film ids only), so it
# survives refreshes; it expires after this long without a change, and /olvidarme deletes it.
USER_LIST_TTL_SECONDS = 365 * 24 * 3600
USER_LIST_STATES = ("quiero_verla", "vista")


def user_list(user_id: int, state: str) -> str:
    """Sorted set: film ids the Telegram user marked with `state`, scored by when (ms)."""
    return f"{PREFIX}:user:{user_id}:{state}"


def user_pattern(user_id: int) -> str:
    """SCAN pattern matching every key stored about one Telegram user."""
    return f"{PREFIX}:user:{user_id}:*"
