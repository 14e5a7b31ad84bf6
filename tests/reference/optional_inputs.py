"""Reading the optional tables of a data folder (CSV only), each None when its file is absent.

Same conventions as inputs.py: only an empty field is null, enumerations are trimmed and
lower-cased, ids verbatim, a duplicate primary key keeps the last row read (these tables
have no updated_at). A row that breaks a contract rule raises ValueError naming file, row
and rule: the reference is an oracle for valid data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

from .inputs import Row, parse_boolean, parse_enum, parse_timestamp, read_csv

SURVEY_TYPES = frozenset({"csat", "nps", "ces"})
COST_CATEGORIES = frozenset({"salaries", "tooling", "outsourcing", "overhead", "other"})
# The contract's scales when scale_min / scale_max are null.
DEFAULT_SCALES = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}


@dataclass(frozen=True)
class Survey:
    response_id: str
    survey_type: str
    ticket_id: str | None
    customer_id: str | None
    responded_at: datetime
    score: float
    scale_min: int
    scale_max: int


@dataclass(frozen=True)
class Review:
    review_id: str
    customer_id: str | None
    rating: int
    published_at: datetime


@dataclass(frozen=True)
class Agent:
    agent_id: str
    team: str | None


@dataclass(frozen=True)
class AgentDay:
    agent_id: str
    activity_date: date
    logged_in_seconds: int | None


@dataclass(frozen=True)
class CustomerRevenue:
    customer_id: str
    month: date
    mrr: float


@dataclass(frozen=True)
class KbArticle:
    article_id: str
    published_at: datetime | None
    archived_at: datetime | None


@dataclass(frozen=True)
class Session:
    session_id: str
    customer_id: str | None
    started_at: datetime
    resolved: bool | None
    ticket_id: str | None
    helpful: bool | None


@dataclass(frozen=True)
class MonthAmount:
    month: date
    amount: float


@dataclass(frozen=True)
class SupportCost:
    month: date
    category: str
    amount: float


@dataclass(frozen=True)
class EngagementResponse:
    response_id: str
    agent_id: str
    responded_at: datetime
    score: float


@dataclass(frozen=True)
class OptionalData:
    surveys: list[Survey] | None
    reviews: list[Review] | None
    agents: dict[str, Agent] | None
    agent_activity: list[AgentDay] | None
    # customers.created_at by customer_id (inputs.py reads segment and region).
    customer_created_at: dict[str, datetime | None] | None
    customer_revenue: list[CustomerRevenue] | None
    kb_articles: list[KbArticle] | None
    sessions: list[Session] | None
    support_costs: list[SupportCost] | None
    engagement_surveys: list[EngagementResponse] | None
    marketing_spend: list[MonthAmount] | None


SURVEY_REQUIRED = ("response_id", "survey_type", "responded_at", "score")
REVIEW_REQUIRED = ("review_id", "rating", "published_at")


T = TypeVar("T")


def read_optional_tables(data_dir: Path) -> OptionalData:
    return OptionalData(
        surveys=_table(data_dir, "surveys", SURVEY_REQUIRED, parse_survey, lambda s: s.response_id),
        reviews=_table(data_dir, "reviews", REVIEW_REQUIRED, parse_review, lambda r: r.review_id),
        agents=_agents(data_dir),
        agent_activity=_table(
            data_dir,
            "agent_activity",
            ("agent_id", "activity_date"),
            parse_agent_day,
            lambda d: (d.agent_id, d.activity_date),
        ),
        customer_created_at=_customer_created_at(data_dir),
        customer_revenue=_table(
            data_dir,
            "customer_revenue",
            ("customer_id", "month", "mrr"),
            parse_revenue,
            lambda r: (r.customer_id, r.month),
        ),
        kb_articles=_table(data_dir, "kb_articles", ("article_id",), parse_article, lambda a: a.article_id),
        sessions=_table(
            data_dir, "self_service_sessions", ("session_id", "started_at"), parse_session, lambda s: s.session_id
        ),
        support_costs=_table(
            data_dir, "support_costs", ("month", "category", "amount"), parse_cost, lambda c: (c.month, c.category)
        ),
        engagement_surveys=_table(
            data_dir,
            "engagement_surveys",
            ("response_id", "agent_id", "responded_at", "score"),
            parse_engagement,
            lambda r: r.response_id,
        ),
        marketing_spend=_table(data_dir, "marketing_spend", ("month", "amount"), parse_spend, lambda s: s.month),
    )


def _table(
    data_dir: Path,
    name: str,
    required: tuple[str, ...],
    parse: Callable[[Row, str], T],
    key: Callable[[T], object],
) -> list[T] | None:
    """All rows of <name>.csv, the last row read winning per primary key; None when the file is absent."""
    path = data_dir / f"{name}.csv"
    if not path.is_file():
        return None
    by_key: dict[object, T] = {}
    for number, row in read_csv(path, required):
        where = f"{path.name} row {number}"
        for column in required:
            if row.get(column) is None:
                raise ValueError(f"{where}: {column} is required")
        item = parse(row, where)
        by_key[key(item)] = item
    return list(by_key.values())


def _agents(data_dir: Path) -> dict[str, Agent] | None:
    agents = _table(data_dir, "agents", ("agent_id",), parse_agent, lambda a: a.agent_id)
    return None if agents is None else {a.agent_id: a for a in agents}


def _customer_created_at(data_dir: Path) -> dict[str, datetime | None] | None:
    path = data_dir / "customers.csv"
    if not path.is_file():
        return None
    created: dict[str, datetime | None] = {}
    for number, row in read_csv(path, ("customer_id",)):
        where = f"{path.name} row {number}"
        customer_id = row.get("customer_id")
        if customer_id is None:
            raise ValueError(f"{where}: customer_id is required")
        created[customer_id] = _optional_timestamp(row, "created_at", where)
    return created


def parse_survey(row: Row, where: str) -> Survey:
    survey_type = parse_enum(_get(row, "survey_type"), SURVEY_TYPES, f"{where} survey_type")
    default_min, default_max = DEFAULT_SCALES[survey_type]
    scale_min = _optional_integer(row, "scale_min", where)
    scale_max = _optional_integer(row, "scale_max", where)
    low = default_min if scale_min is None else scale_min
    high = default_max if scale_max is None else scale_max
    if survey_type == "nps":
        low, high = default_min, default_max  # NPS is always 0-10, whatever the scale columns say
    score = _number(row, "score", where)
    if high <= low:
        raise ValueError(f"{where}: scale_min {low} must be below scale_max {high}")
    if not low <= score <= high:
        raise ValueError(f"{where}: score {score} is outside its scale {low}-{high}")
    return Survey(
        response_id=_get(row, "response_id"),
        survey_type=survey_type,
        ticket_id=row.get("ticket_id"),
        customer_id=row.get("customer_id"),
        responded_at=parse_timestamp(_get(row, "responded_at"), f"{where} responded_at"),
        score=score,
        scale_min=low,
        scale_max=high,
    )


def parse_review(row: Row, where: str) -> Review:
    rating = _optional_integer(row, "rating", where)
    if rating is None or not 1 <= rating <= 5:
        raise ValueError(f"{where}: rating must be a whole number 1-5: {row.get('rating')!r}")
    return Review(
        review_id=_get(row, "review_id"),
        customer_id=row.get("customer_id"),
        rating=rating,
        published_at=parse_timestamp(_get(row, "published_at"), f"{where} published_at"),
    )


def parse_agent(row: Row, where: str) -> Agent:
    return Agent(agent_id=_get(row, "agent_id"), team=row.get("team"))


def parse_agent_day(row: Row, where: str) -> AgentDay:
    seconds = _optional_integer(row, "logged_in_seconds", where)
    if seconds is not None and seconds < 0:
        raise ValueError(f"{where}: logged_in_seconds must be >= 0")
    return AgentDay(
        agent_id=_get(row, "agent_id"),
        activity_date=_date(_get(row, "activity_date"), f"{where} activity_date"),
        logged_in_seconds=seconds,
    )


def parse_revenue(row: Row, where: str) -> CustomerRevenue:
    return CustomerRevenue(
        customer_id=_get(row, "customer_id"),
        month=_month(_get(row, "month"), f"{where} month"),
        mrr=_amount(row, "mrr", where),
    )


def parse_article(row: Row, where: str) -> KbArticle:
    return KbArticle(
        article_id=_get(row, "article_id"),
        published_at=_optional_timestamp(row, "published_at", where),
        archived_at=_optional_timestamp(row, "archived_at", where),
    )


def parse_session(row: Row, where: str) -> Session:
    return Session(
        session_id=_get(row, "session_id"),
        customer_id=row.get("customer_id"),
        started_at=parse_timestamp(_get(row, "started_at"), f"{where} started_at"),
        resolved=_optional_boolean(row, "resolved", where),
        ticket_id=row.get("ticket_id"),
        helpful=_optional_boolean(row, "helpful", where),
    )


def parse_cost(row: Row, where: str) -> SupportCost:
    return SupportCost(
        month=_month(_get(row, "month"), f"{where} month"),
        amount=_amount(row, "amount", where),
        category=parse_enum(_get(row, "category"), COST_CATEGORIES, f"{where} category"),
    )


def parse_spend(row: Row, where: str) -> MonthAmount:
    return MonthAmount(month=_month(_get(row, "month"), f"{where} month"), amount=_amount(row, "amount", where))


def parse_engagement(row: Row, where: str) -> EngagementResponse:
    score = _number(row, "score", where)
    if not 0 <= score <= 10:
        raise ValueError(f"{where}: score {score} is outside 0-10")
    return EngagementResponse(
        response_id=_get(row, "response_id"),
        agent_id=_get(row, "agent_id"),
        responded_at=parse_timestamp(_get(row, "responded_at"), f"{where} responded_at"),
        score=score,
    )


def _get(row: Row, column: str) -> str:
    value = row.get(column)
    assert value is not None, f"{column} was checked as required"
    return value


def _number(row: Row, column: str, where: str) -> float:
    text = _get(row, column)
    try:
        return float(text.strip())
    except ValueError:
        raise ValueError(f"{where}: {column} is not a number: {text!r}") from None


def _amount(row: Row, column: str, where: str) -> float:
    value = _number(row, column, where)
    if value < 0:
        raise ValueError(f"{where}: {column} must be >= 0: {value}")
    return value


def _optional_integer(row: Row, column: str, where: str) -> int | None:
    if row.get(column) is None:
        return None
    value = _number(row, column, where)
    if value != int(value):
        raise ValueError(f"{where}: {column} must be a whole number: {row.get(column)!r}")
    return int(value)


def _optional_boolean(row: Row, column: str, where: str) -> bool | None:
    text = row.get(column)
    return None if text is None else parse_boolean(text, f"{where} {column}")


def _optional_timestamp(row: Row, column: str, where: str) -> datetime | None:
    text = row.get(column)
    return None if text is None else parse_timestamp(text, f"{where} {column}")


def _date(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{where}: not a YYYY-MM-DD date: {text!r}") from None


def _month(text: str, where: str) -> date:
    day = _date(text, where)
    if day.day != 1:
        raise ValueError(f"{where}: a month is the first day of the month, not {text!r}")
    return day
