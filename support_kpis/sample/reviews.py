"""Public reviews on app stores and review sites, spread like the rest of the activity."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from support_kpis.sample import columns, vocab
from support_kpis.sample.arrivals import ActivityCurve
from support_kpis.sample.config import SampleConfig
from support_kpis.sample.customers import Customers, customer_ids

_RATING_P = np.array([0.12, 0.08, 0.10, 0.25, 0.45])  # ratings 1..5
KNOWN_REVIEWER_SHARE = 0.6


def reviews_table(
    config: SampleConfig, curve: ActivityCurve, customers: Customers, rng: np.random.Generator
) -> pa.Table:
    n = config.n_reviews
    published = curve.sample(n, rng)
    region = curve.regions_at(published, rng)
    customer = customers.pick(region, published, rng.random(n))
    customer = np.where(rng.random(n) < KNOWN_REVIEWER_SHARE, customer, -1)
    return columns.build_table(
        "reviews",
        {
            "review_id": columns.ids("R", np.arange(n), columns.id_width(n, 6)),
            "customer_id": customer_ids(customer, customers.count),
            "source": columns.labels(vocab.REVIEW_SOURCES, rng.integers(0, len(vocab.REVIEW_SOURCES), n)),
            "rating": columns.integers(rng.choice(np.arange(1, 6), n, p=_RATING_P)),
            "published_at": columns.timestamps(published),
        },
    )
