"""How well the forecast would have done: rolling-origin backtest of the model and two baselines per channel and
in total (support_kpis.planning.forecast.backtest)."""

from typing import Any

import pandas as pd

from support_kpis.planning.tables import backtest_table


def model(dbt: Any, session: Any) -> pd.DataFrame:
    arrivals = dbt.ref("int_ticket_arrivals_counted").df()
    return backtest_table(
        arrivals,
        origins=int(dbt.config.get("backtest_origins")),
        horizon_days=int(dbt.config.get("backtest_horizon_days")),
    )
