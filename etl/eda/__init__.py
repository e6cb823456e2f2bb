"""The exploratory data analysis: a static Spanish HTML report with figures, built from the clean tables."""
