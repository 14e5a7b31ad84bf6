"""Daily arrivals per channel and in total, forecast for var forecast_horizon_days after the last whole day, with
80% and 95% intervals (support_kpis.planning.forecast: statsforecast's AutoETS, weekly season)."""

from typing import Any

import pandas as pd

from support_kpis.planning.tables import forecast_table


def model(dbt: Any, session: Any) -> pd.DataFrame:
    arrivals = dbt.ref("int_ticket_arrivals_counted").df()
    return forecast_table(arrivals, horizon_days=int(dbt.config.get("forecast_horizon_days")))
