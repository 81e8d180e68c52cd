"""A deterministic demo data set for the seed plans' districts (潞城区 2023, 晋城市城区 2024)."""
