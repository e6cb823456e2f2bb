"""The title word cloud, drawn from word counts we computed ourselves (so the picture matches the numbers)."""

from __future__ import annotations

from pathlib import Path

from wordcloud import WordCloud

# The layout is computed on a half-size canvas and drawn at twice the size: same picture, far faster.
WIDTH, HEIGHT, SCALE = 700, 350, 2


def draw_word_cloud(frequencies: dict[str, int], path: Path) -> None:
    # A fixed seed keeps the layout the same from one run to the next on the same data.
    cloud = WordCloud(
        width=WIDTH,
        scale=SCALE,
        height=HEIGHT,
        background_color="white",
        colormap="viridis",
        random_state=7,
        prefer_horizontal=0.9,
        max_words=len(frequencies) or 1,
    )
    if not frequencies:
        frequencies = {"(sin palabras)": 1}
    cloud.generate_from_frequencies(frequencies)
    cloud.to_file(str(path))
