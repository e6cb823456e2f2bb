"""The ETL: raw Kaggle files -> clean tables, query artefacts and recommender -> a Redis version."""
