"""The most frequent words in titles (English and Spanish stop words left out), for the word cloud."""

from __future__ import annotations

import pandas as pd

from etl.eda import spanish
from etl.eda.finding import Finding
from etl.eda.stopwords import word_counts

CLOUD_WORDS = 150


def title_words(movies: pd.DataFrame) -> Finding:
    counts = word_counts(movies["title"].dropna().astype(str))
    common = counts.most_common(CLOUD_WORDS)
    numbers: dict[str, int | float | str] = {"palabras_distintas": len(counts)}
    if not common:
        sentence = "Los títulos no tienen palabras fuera de las listas de palabras vacías."
        return Finding(
            "palabras_titulos", "Palabras más frecuentes en los títulos", sentence, numbers, pd.DataFrame()
        )
    top5 = common[:5]
    numbers.update({"palabra_primera": top5[0][0], "veces_palabra_primera": top5[0][1]})
    numbers.update({f"palabra_{i + 1}": word for i, (word, _) in enumerate(top5)})
    listed = ", ".join(f"«{word}» ({spanish.integer(n)})" for word, n in top5)
    sentence = (
        f"Sin contar palabras vacías en inglés y en español, las palabras más repetidas en los títulos son "
        f"{listed}, entre {spanish.integer(len(counts))} palabras distintas."
    )
    data = pd.DataFrame(common, columns=["palabra", "veces"])
    return Finding("palabras_titulos", "Palabras más frecuentes en los títulos", sentence, numbers, data)
